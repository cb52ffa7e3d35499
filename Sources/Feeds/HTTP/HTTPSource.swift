import AsyncHTTPClient
import FleetModel
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// An HTTP(S) service that factop reads with GETs (a BMC, a PDU, OpenCost, node exporter): TLS
/// verified against the system's roots or a CA file, Basic authentication, a size limit and a
/// deadline per request.
public final class HTTPSource: Sendable {
  public let base: String
  /// The base URL without any `user:password@` it was given: safe to show and log.
  public var origin: String {
    guard var parts = URLComponents(string: base), parts.user != nil || parts.password != nil
    else { return base }
    parts.user = nil
    parts.password = nil
    return parts.string ?? base
  }
  private let client: HTTPClient
  private let authorization: String?
  /// Where to open a Redfish session (`X-Auth-Token`) instead of sending the password with
  /// every request; nil for Basic authentication.
  private let sessionPath: String?
  private let credentials: (user: String, password: String)?
  private enum Session { case unopened, open(token: String), basic }
  private let session = Mutex<Session>(.unopened)
  private let timeoutS: Double
  /// The largest answer read; anything larger is refused rather than held in memory.
  public let maxBytes: Int
  /// How the server's certificate is checked; nil over plain HTTP.
  public let tls: TLSVerification?

  /// `caFile` replaces the system's trust roots; `insecure` skips verification (for lab BMCs
  /// with self-signed certificates, never by default).
  /// With `sessionPath` (Redfish: `/redfish/v1/SessionService/Sessions`), the credentials open
  /// a session whose token authenticates the requests; a service that answers without a token
  /// gets Basic authentication instead.
  public init(
    base: String, user: String?, password: String?, caFile: String?, insecure: Bool = false,
    timeoutS: Double = 10, maxBytes: Int = 4 << 20, sessionPath: String? = nil,
    caPEM: [UInt8]? = nil,
    clientCertificate: (certPEM: [UInt8], keyPEM: [UInt8])? = nil
  ) throws {
    self.sessionPath = user == nil ? nil : sessionPath
    credentials = user.map { ($0, password ?? "") }
    self.maxBytes = maxBytes
    self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
    tls = base.lowercased().hasPrefix("https://") ? (insecure ? .unverified : .verified) : nil
    var tls = TLSConfiguration.makeClientConfiguration()
    if let caFile {
      tls.trustRoots = .file(caFile)
    }
    if insecure { tls.certificateVerification = .none }
    if let caPEM {
      tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(caPEM))
    }
    if let clientCertificate {
      tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(clientCertificate.certPEM)
        .map { .certificate($0) }
      tls.privateKey = .privateKey(
        try NIOSSLPrivateKey(bytes: clientCertificate.keyPEM, format: .pem))
    }
    var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
    // The poller retries each source on its own schedule (with backoff): a refused connection
    // should fail this poll at once and say so, not be retried until the poll's deadline.
    configuration.connectionPool.retryConnectionEstablishment = false
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

  /// The body of `base + path` (a fragment dropped), or nil on 404. `headers` go with this
  /// request only (a token read fresh for each poll).
  public func get(_ path: String, headers: [String: String]) async throws -> Data? {
    let resource = path.split(separator: "#").first.map(String.init) ?? path
    do {
      // The client's deadline ends with the answer's head; a server that then drips its body
      // a byte at a time must not hold the poll past its deadline too.
      let data = try await withTimeout(seconds: timeoutS) {
        try await self.fetch(resource, headers: headers)
      }
      BytesRead.add(data?.count ?? 0)
      return data
    } catch let error as SourceError {
      throw error
    } catch {
      throw SourceError(
        origin: origin, path: Self.shown(resource), message: describe(error))
    }
  }

  /// A resource as errors show it: without its query, which can be long (PromQL) or carry
  /// what should not be repeated.
  static func shown(_ resource: String) -> String {
    String(resource.prefix { $0 != "?" })
  }

  /// What went wrong below HTTP, in an operator's words.
  func describe(_ error: any Error) -> String {
    if let io = error as? IOError {
      return "cannot connect: \(String(cString: strerror(io.errnoCode)))"
    }
    if let client = error as? HTTPClientError {
      switch client {
      case .deadlineExceeded, .readTimeout, .connectTimeout: return "no answer in time"
      case .remoteConnectionClosed: return "the server closed the connection"
      default: return "\(client)"
      }
    }
    if error is NIOTooManyBytesError {
      return "the answer is larger than \(maxBytes >> 20) MiB, this source's limit; not read"
    }
    if error is HTTPParserError {
      return "the answer was cut short or is not HTTP (\(error))"
    }
    if let tls = error as? NIOSSLError {
      // BoringSSL's own text names the file it was built from; say what it means instead.
      if "\(tls)".contains("CERTIFICATE_VERIFY_FAILED") {
        return
          "TLS: the server's certificate is not signed by a trusted CA (set ca_file to the CA "
          + "that signed it)"
      }
      if case .handshakeFailed = tls { return "TLS: the handshake failed" }
      return "TLS: the connection failed"
    }
    if let tls = error as? NIOSSLExtraError, tls == .failedToValidateHostname {
      // NIOSSL's text is "Couldn't find <none> in certificate" for an address: say which.
      let host = (URL(string: origin)?.host ?? origin).trimmingCharacters(in: ["[", "]"])
      if (try? SocketAddress(ipAddress: host, port: 0)) != nil {
        return "TLS: the server's certificate names no IP address \(host) (reach it by a name "
          + "the certificate lists, or have the certificate list the address)"
      }
      return "TLS: the server's certificate does not name \(host)"
    }
    return "\(error)"
  }

  private func fetch(_ resource: String, headers: [String: String]) async throws -> Data? {
    var response = try await send(resource, token: try await sessionToken(), headers: headers)
    if response.status.code == 401, case .open = session.withLock({ $0 }) {
      // The session expired: open a new one, once.
      session.withLock { $0 = .unopened }
      response = try await send(resource, token: try await sessionToken(), headers: headers)
    }
    switch response.status.code {
    case 200..<300:
      let body = try await response.body.collect(upTo: maxBytes)
      return Data(body.readableBytesView)
    case 404:
      return nil
    case 401, 403:
      let detail = await Self.detail(of: response)
      throw SourceError(
        origin: origin, path: Self.shown(resource),
        message: "refused: HTTP \(response.status.code)\(detail) (check the credentials)")
    default:
      let detail = await Self.detail(of: response)
      throw SourceError(
        origin: origin, path: Self.shown(resource), message: "HTTP \(response.status.code)\(detail)"
      )
    }
  }

  /// What an error answer says, when it is JSON that says it: Prometheus' `error`, Slurm's
  /// `errors[].error`, a Kubernetes Status' `message`. Empty otherwise (an HTML error page says
  /// nothing a person needs).
  private static func detail(of response: HTTPClientResponse) async -> String {
    guard let body = try? await response.body.collect(upTo: 16 << 10),
      let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        as? [String: Any]
    else { return "" }
    let errors = (object["errors"] as? [[String: Any]])?.compactMap {
      ($0["description"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? $0["error"] as? String
    }
    let said = (object["error"] as? String) ?? errors?.first ?? (object["message"] as? String)
    return said.map { ": \($0.prefix(300))" } ?? ""
  }
}

extension HTTPSource {
  private func send(_ resource: String, token: String?, headers: [String: String])
    async throws -> HTTPClientResponse
  {
    var request = HTTPClientRequest(url: base + resource)
    request.headers.add(name: "Accept", value: "application/json")
    for (name, value) in headers {
      request.headers.add(name: name, value: value)
    }
    if let token {
      request.headers.add(name: "X-Auth-Token", value: token)
    } else if let authorization {
      request.headers.add(name: "Authorization", value: authorization)
    }
    return try await client.execute(request, timeout: .milliseconds(Int64(timeoutS * 1_000)))
  }

  /// The open session's token, opening one when needed; nil for Basic authentication (no
  /// session configured, or a service that opens none).
  private func sessionToken() async throws -> String? {
    guard let sessionPath, let credentials else { return nil }
    switch session.withLock({ $0 }) {
    case .open(let token): return token
    case .basic: return nil
    case .unopened: break
    }
    var request = HTTPClientRequest(url: base + sessionPath)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    let body = try JSONSerialization.data(
      withJSONObject: ["UserName": credentials.user, "Password": credentials.password])
    request.body = .bytes(ByteBuffer(bytes: body))
    let response = try await client.execute(
      request, timeout: .milliseconds(Int64(timeoutS * 1_000)))
    switch response.status.code {
    case 200..<300:
      let opened = response.headers.first(name: "X-Auth-Token")
      session.withLock { $0 = opened.map { .open(token: $0) } ?? .basic }
      return opened
    case 401, 403:
      throw SourceError(
        origin: base, path: sessionPath,
        message: "session refused: HTTP \(response.status.code) (check the user and password)")
    default:
      throw SourceError(
        origin: base, path: sessionPath,
        message: "cannot open a session: HTTP \(response.status.code)")
    }
  }
}

/// What went wrong reading a service or a file, and where.
public struct SourceError: Error, CustomStringConvertible {
  public let origin: String
  public let path: String
  public let message: String

  public init(origin: String, path: String, message: String) {
    self.origin = origin
    self.path = path
    self.message = message
  }

  public var description: String { "\(origin)\(path): \(message)" }
}
