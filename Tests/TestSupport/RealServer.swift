import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A real server started by a test on 127.0.0.1 and stopped by its PID: the recipes of
/// ../shared/guides/real-servers.md. Servers are installed by .ci/run; a test that starts one
/// says so with `.requires(…)`, so where one is missing it is reported skipped, unless
/// FACTOP_REQUIRE_SERVERS=1 (as in CI) makes that a failure.
public final class RealServer: @unchecked Sendable {
  public private(set) var pid: pid_t = 0
  public let port: Int
  public let log: URL
  private let command: [String]

  /// Starts `executable` with `arguments(port)` on a free port, then waits (at most
  /// `timeoutS`) until `ready(port)` answers. The wait suspends rather than blocks: a test that
  /// held a cooperative thread (one per core) while a server starts stalls the tests beside it.
  public init(
    _ executable: String, arguments: @Sendable (Int) -> [String], timeoutS: Double = 15,
    ready: @Sendable (Int) -> Bool
  ) async throws {
    port = Self.freePort()
    log = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-server-\(UUID().uuidString).log")
    command = [executable] + arguments(port)
    try await launch(timeoutS: timeoutS, ready: ready)
  }

  /// Starts the server again, after `crash()` or `stop()`, on the same port with the same
  /// arguments (and so the same data), and waits until `ready(port)` answers.
  public func restart(timeoutS: Double = 15, ready: @Sendable (Int) -> Bool) async throws {
    stop()
    try await launch(timeoutS: timeoutS, ready: ready)
  }

  /// SIGKILL, as a crash or the OOM killer would: no chance to close anything.
  public func crash() {
    guard isRunning else { return }
    kill(pid, SIGKILL)
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    pid = 0
  }

  private func launch(timeoutS: Double, ready: @Sendable (Int) -> Bool) async throws {
    pid = try spawnWithEmptySignalMask(command, output: log.path)
    let deadline = Date().addingTimeInterval(timeoutS)
    while !ready(port) {
      guard Date() < deadline, isRunning else {
        stop()
        let said = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw ServerError(message: "\(command[0]) did not become ready: \(said.suffix(2_000))")
      }
      try await Task.sleep(for: .milliseconds(50))
    }
  }

  /// Whether the server is still running (reaping it once it is not).
  public var isRunning: Bool {
    guard pid > 0 else { return false }
    var status: Int32 = 0
    if waitpid(pid, &status, WNOHANG) == 0 { return true }
    pid = 0
    return false
  }

  /// SIGTERM, up to 10 s to exit, then SIGKILL.
  public func stop() {
    guard isRunning else { return }
    kill(pid, SIGTERM)
    let deadline = Date().addingTimeInterval(10)
    while isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    if isRunning {
      kill(pid, SIGKILL)
      var status: Int32 = 0
      waitpid(pid, &status, 0)
      pid = 0
    }
  }

  deinit { stop() }

  /// The real Python interpreter (not a pyenv shim, whose PID would not be the server's).
  public static let python: String = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import sys; print(sys.executable)"]
    let output = Pipe()
    process.standardOutput = output
    try? process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }()

  /// A port the kernel says is free now.
  public static func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  /// Whether something accepts TCP connections on 127.0.0.1:`port` (a TLS server, whose
  /// certificate a plain probe would not trust).
  public static func listens(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
  }

  /// A self-signed certificate for 127.0.0.1 that no trust store knows, made by openssl:
  /// `[certificate path, key path]`.
  public static func selfSignedCertificate(subjectAltName: String = "IP:127.0.0.1") throws
    -> [String]
  {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-tls-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let cert = folder.appendingPathComponent("cert.pem").path
    let key = folder.appendingPathComponent("key.pem").path
    let openssl = Process()
    openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    openssl.arguments = [
      "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
      "/CN=127.0.0.1", "-addext", "subjectAltName=\(subjectAltName)", "-keyout", key, "-out", cert,
    ]
    openssl.standardError = FileHandle.nullDevice
    try openssl.run()
    openssl.waitUntilExit()
    guard openssl.terminationStatus == 0 else {
      throw ServerError(message: "openssl could not make a certificate")
    }
    return [cert, key]
  }

  /// Whether an HTTP GET of `url` answers 200 within a second.
  public static func answers(_ url: String) -> Bool { get(url, timeoutS: 1) != nil }

  /// The body of a 200 answer to an HTTP GET of `url`, or nil.
  public static func get(_ url: String, timeoutS: Double = 5) -> String? {
    let done = DispatchSemaphore(value: 0)
    let body = Box<String?>(nil)
    var request = URLRequest(url: URL(string: url)!)
    request.timeoutInterval = timeoutS
    URLSession.shared.dataTask(with: request) { data, response, _ in
      if (response as? HTTPURLResponse)?.statusCode == 200 {
        body.value = String(decoding: data ?? Data(), as: UTF8.self)
      }
      done.signal()
    }.resume()
    _ = done.wait(timeout: .now() + timeoutS + 1)
    return body.value
  }
}

final class Box<T>: @unchecked Sendable {
  var value: T
  init(_ value: T) { self.value = value }
}

public struct ServerError: Error, CustomStringConvertible {
  public let message: String
  public var description: String { message }
  public init(message: String) { self.message = message }
}
