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

/// A source's poll record, kept in the cache.
public struct SourceHealth: Sendable, Hashable, Codable {
  public let name: String
  public let kind: String
  public var intervalS: Double
  public var lastAttempt: Date?
  public var lastSuccess: Date?
  public var lastError: String?
  public var pollDurationS: Double?

  public init(
    name: String, kind: String, intervalS: Double, lastAttempt: Date? = nil,
    lastSuccess: Date? = nil, lastError: String? = nil, pollDurationS: Double? = nil
  ) {
    self.name = name
    self.kind = kind
    self.intervalS = intervalS
    self.lastAttempt = lastAttempt
    self.lastSuccess = lastSuccess
    self.lastError = lastError
    self.pollDurationS = pollDurationS
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
