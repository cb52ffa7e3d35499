import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// An HTTP(S) service that factop reads with GETs (a BMC, a PDU, OpenCost, node exporter): TLS
/// verified against the system's roots or a CA file, Basic authentication, a size limit and a
/// deadline per request.
public final class HTTPSource: Sendable {
  public let base: String
  public var origin: String { base }
  private let client: HTTPClient
  private let authorization: String?
  private let timeoutS: Double
  /// The largest answer read; anything larger is refused rather than held in memory.
  public let maxBytes: Int

  /// `caFile` replaces the system's trust roots; `insecure` skips verification (for lab BMCs
  /// with self-signed certificates, never by default).
  public init(
    base: String, user: String?, password: String?, caFile: String?, insecure: Bool = false,
    timeoutS: Double = 10, maxBytes: Int = 4 << 20
  ) throws {
    self.maxBytes = maxBytes
    self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
    var tls = TLSConfiguration.makeClientConfiguration()
    if let caFile {
      tls.trustRoots = .file(caFile)
    }
    if insecure { tls.certificateVerification = .none }
    var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
    configuration.timeout = .init(
      connect: .milliseconds(Int64(timeoutS * 1_000)), read: .milliseconds(Int64(timeoutS * 1_000)))
    client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    if let user {
      authorization = "Basic " + Data("\(user):\(password ?? "")".utf8).base64EncodedString()
    } else {
      authorization = nil
    }
    self.timeoutS = timeoutS
  }

  deinit {
    try? client.syncShutdown()
  }

  /// The body of `base + path` (a fragment dropped), or nil on 404.
  public func get(_ path: String) async throws -> Data? {
    let resource = path.split(separator: "#").first.map(String.init) ?? path
    var request = HTTPClientRequest(url: base + resource)
    request.headers.add(name: "Accept", value: "application/json")
    if let authorization { request.headers.add(name: "Authorization", value: authorization) }
    let response = try await client.execute(
      request, timeout: .milliseconds(Int64(timeoutS * 1_000)))
    switch response.status.code {
    case 200..<300:
      let body = try await response.body.collect(upTo: maxBytes)
      return Data(body.readableBytesView)
    case 404:
      return nil
    case 401, 403:
      throw SourceError(
        origin: base, path: resource,
        message: "refused: HTTP \(response.status.code) (check the user and password)")
    default:
      throw SourceError(origin: base, path: resource, message: "HTTP \(response.status.code)")
    }
  }
}

/// What went wrong reading a service or a file, and where.
public struct SourceError: Error, CustomStringConvertible {
  public let origin: String
  public let path: String
  public let message: String

  public var description: String { "\(origin)\(path): \(message)" }
}
