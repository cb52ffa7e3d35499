import Foundation

/// How a source is doing, as shown on every screen and in the snapshot.
public enum SourceStatus: String, Sendable, Hashable, Codable {
  /// Polled successfully within three intervals.
  case ok
  /// Its last good data is older than three poll intervals.
  case stale
  /// Its last poll failed; its last good data (if any) is still shown, marked with its age.
  case error
  /// Never polled successfully and no error yet.
  case pending
}

/// Whether a source's HTTPS connections check the server's certificate.
public enum TLSVerification: String, Sendable, Hashable, Codable {
  /// Against the system's trust roots or the configured CA file.
  case verified
  /// Not at all: the config says `insecure_skip_verify = true` (a lab BMC's self-signed
  /// certificate), and anyone on the path can read and answer for the source.
  case unverified

  /// A source reading several endpoints is as unverified as its weakest; nil when none of them
  /// is TLS (a command, plain HTTP).
  public static func weakest(_ endpoints: [TLSVerification?]) -> TLSVerification? {
    endpoints.contains(.unverified) ? .unverified : endpoints.contains(.verified) ? .verified : nil
  }
}

/// A source's poll record, kept in the cache.
public struct SourceHealth: Sendable, Hashable, Codable {
  public let name: String
  public let kind: String
  public var intervalS: Double
  public var lastAttempt: Date?
  public var lastSuccess: Date?
  public var lastError: String?
  public var pollDurationS: Double?
  /// How its TLS is checked when it last polled; nil when it does not use TLS.
  public var tls: TLSVerification?

  public init(
    name: String, kind: String, intervalS: Double, lastAttempt: Date? = nil,
    lastSuccess: Date? = nil, lastError: String? = nil, pollDurationS: Double? = nil,
    tls: TLSVerification? = nil
  ) {
    self.name = name
    self.kind = kind
    self.intervalS = intervalS
    self.lastAttempt = lastAttempt
    self.lastSuccess = lastSuccess
    self.lastError = lastError
    self.pollDurationS = pollDurationS
    self.tls = tls
  }

  /// Seconds since the last good data, or nil when there never was any.
  public func ageS(at now: Date) -> Double? {
    lastSuccess.map { max(0, now.timeIntervalSince($0)) }
  }

  /// Data older than this many poll intervals is stale.
  public static let staleAfterIntervals = 3.0

  public func status(at now: Date) -> SourceStatus {
    if lastError != nil { return .error }
    guard let age = ageS(at: now) else { return .pending }
    return age > Self.staleAfterIntervals * intervalS ? .stale : .ok
  }
}
