import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// Fetches Redfish resources by path (`/redfish/v1/Chassis`): over HTTPS from a BMC, or from a
/// DMTF mockup folder. Nil means the resource does not exist (404), which BMCs and mockups both
/// answer for links that point nowhere.
public protocol RedfishTransport: Sendable {
  /// Where the resources come from, for errors: a URL or a folder.
  var origin: String { get }
  func get(_ path: String) async throws -> Data?
}

/// A DMTF "short form" mockup folder: the folder is `/redfish/v1`, and `/redfish/v1/X/Y` is
/// `X/Y/index.json` (what `factop import redfish DIR` reads, and what sushy-static serves).
public struct RedfishMockupFolder: RedfishTransport {
  public let folder: URL
  public var origin: String { folder.path }

  public init(folder: URL) {
    self.folder = folder
  }

  public func get(_ path: String) async throws -> Data? {
    var relative = path.split(separator: "#").first.map(String.init) ?? path
    for prefix in ["/redfish/v1/", "/redfish/v1"] where relative.hasPrefix(prefix) {
      relative = String(relative.dropFirst(prefix.count))
      break
    }
    let file = folder.appendingPathComponent(relative).appendingPathComponent("index.json")
    guard FileManager.default.fileExists(atPath: file.path) else { return nil }
    return try Data(contentsOf: file)
  }
}

/// A BMC or PDU over HTTP(S): TLS verified against the system's roots or a CA file, Basic
/// authentication, a size limit and a deadline per request.
public final class RedfishHTTP: RedfishTransport {
  public let base: String
  public var origin: String { base }
  private let client: HTTPClient
  private let authorization: String?
  private let timeoutS: Double
  /// A BMC's answer is a few kilobytes; anything this large is not Redfish.
  static let maxBytes = 4 << 20

  /// `caFile` replaces the system's trust roots; `insecure` skips verification (for lab BMCs
  /// with self-signed certificates, never by default).
  public init(
    base: String, user: String?, password: String?, caFile: String?, insecure: Bool = false,
    timeoutS: Double = 10
  ) throws {
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

  public func get(_ path: String) async throws -> Data? {
    let resource = path.split(separator: "#").first.map(String.init) ?? path
    var request = HTTPClientRequest(url: base + resource)
    request.headers.add(name: "Accept", value: "application/json")
    if let authorization { request.headers.add(name: "Authorization", value: authorization) }
    let response = try await client.execute(
      request, timeout: .milliseconds(Int64(timeoutS * 1_000)))
    switch response.status.code {
    case 200..<300:
      let body = try await response.body.collect(upTo: Self.maxBytes)
      return Data(body.readableBytesView)
    case 404:
      return nil
    case 401, 403:
      throw RedfishError(
        origin: base, path: resource,
        message: "refused: HTTP \(response.status.code) (check the user and password)")
    default:
      throw RedfishError(origin: base, path: resource, message: "HTTP \(response.status.code)")
    }
  }
}

/// What went wrong reading a Redfish service, and where.
public struct RedfishError: Error, CustomStringConvertible {
  public let origin: String
  public let path: String
  public let message: String

  public var description: String { "\(origin)\(path): \(message)" }
}
