import Feeds
import FleetModel
import Foundation
import TestSupport
import Testing

private let faultyServer = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("scripts/it/faulty_http.py")

/// Every way an HTTP source can fail, met by every HTTP source factop polls (Prometheus,
/// Kubernetes, Redfish, OpenCost), against scripts/it/faulty_http.py on 127.0.0.1: each poll
/// fails within its deadline with an error that says what happened, and nothing crashes or
/// hangs. What the poller then does with a failure (keep the last good data, mark it stale,
/// retry with backoff) is `SourceRecoveryTests`.
@Suite struct HTTPFaultTests {
  /// A fault and what the error must say of it.
  enum Fault: String, CaseIterable, CustomTestStringConvertible {
    case refused, silence, drip, http500, http503, http401, http403, truncated, malformed, shape,
      huge, unknownCA

    var testDescription: String { rawValue }
    /// Short where waiting is the fault; otherwise long enough that a loaded test machine never
    /// turns another fault into a timeout.
    var timeoutS: Double { self == .silence || self == .drip ? 2 : 30 }
    /// What the error may say: one of these.
    var said: [String] {
      switch self {
      case .refused: ["cannot connect: Connection refused"]
      case .silence, .drip: ["no answer"]
      case .http500: ["HTTP 500"]
      case .http503: ["HTTP 503"]
      case .http401: ["refused: HTTP 401"]
      case .http403: ["refused: HTTP 403"]
      case .truncated: ["cut short"]
      case .malformed: ["not valid JSON", "not a JSON object"]
      case .shape:
        ["at items", "at status: missing", "no \"data\" array", "not a Redfish collection"]
      case .huge: ["larger than 4 MiB"]
      case .unknownCA: ["not signed by a trusted CA"]
      }
    }
    /// The path segment faulty_http.py answers this fault under.
    var segment: String {
      switch self {
      case .http500: "500"
      case .http503: "503"
      case .http401: "401"
      case .http403: "403"
      case .unknownCA: "ok"
      default: rawValue
      }
    }
  }

  /// The four HTTP sources, each reading `base`.
  static func sources(base: String, timeoutS: Double) throws -> [any Feed] {
    func http() throws -> HTTPSource {
      try HTTPSource(
        base: base, user: nil, password: nil, caFile: nil, timeoutS: timeoutS, maxBytes: 4 << 20)
    }
    let layout = ClusterLayout(
      cluster: Cluster(name: "c", scheduler: .kubernetes, site: "s", pricing: .onDemand))
    return [
      PrometheusFeed(name: "prometheus", layout: layout, http: try http(), intervalS: 10),
      KubernetesFeed(
        name: "kubernetes", layout: layout, http: try http(), token: "t", intervalS: 10),
      RedfishFeed(
        name: "redfish", intervalS: 10,
        bmcs: [.init(node: "n1", chassis: nil, transport: try http())]),
      OpenCostFeed(service: try http(), window: "1d", aggregate: "namespace", intervalS: 10),
    ]
  }

  @Test(.requires(RealServer.python), arguments: Fault.allCases)
  func everySourceFailsClearlyAndInTime(fault: Fault) async throws {
    let python = RealServer.python
    let tls = fault == .unknownCA ? try RealServer.selfSignedCertificate() : []
    let server = try await RealServer(
      python,
      arguments: { [faultyServer.path, String($0)] + (tls.isEmpty ? [] : ["--tls"] + tls) },
      ready: { RealServer.listens($0) })
    defer { server.stop() }
    let scheme = fault == .unknownCA ? "https" : "http"
    let port = fault == .refused ? RealServer.freePort() : server.port
    let base = "\(scheme)://127.0.0.1:\(port)/\(fault.segment)"
    let started = ContinuousClock.now
    let errors = try await withThrowingTaskGroup(of: (String, String?).self) { group in
      for feed in try Self.sources(base: base, timeoutS: fault.timeoutS) {
        group.addTask {
          do {
            _ = try await feed.poll(at: Date())
            return (feed.kind, nil)
          } catch {
            return (feed.kind, "\(error)")
          }
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(errors.count == 4)
    for (kind, said) in errors {
      let message = try #require(said, "\(kind) took \(fault) for an answer")
      #expect(fault.said.contains { message.contains($0) }, "\(kind): \(message)")
      // Where it happened, and nothing of the machine factop was built on.
      #expect(message.contains("127.0.0.1:\(port)/\(fault.segment)"), "\(kind): \(message)")
      #expect(!message.contains(".build/") && message.count < 300, "\(kind): \(message)")
    }
    // Bounded by the sources' deadline; the margin is for a loaded test machine.
    #expect(ContinuousClock.now - started < .seconds(fault.timeoutS + 30))
  }

  /// A BMC reached by its IP address, whose certificate names only a host name: the error says
  /// the certificate names no such address (NIOSSL says "Couldn't find <none>").
  @Test(.requires(RealServer.python))
  func aCertificateWithoutTheAddressSaysSo() async throws {
    let tls = try RealServer.selfSignedCertificate(subjectAltName: "DNS:bmc.example")
    let server = try await RealServer(
      RealServer.python, arguments: { [faultyServer.path, String($0), "--tls"] + tls },
      ready: { RealServer.listens($0) })
    defer { server.stop() }
    let http = try HTTPSource(
      base: "https://127.0.0.1:\(server.port)/ok", user: nil, password: nil, caFile: tls[0])
    let feed = PrometheusFeed(
      name: "p",
      layout: ClusterLayout(
        cluster: Cluster(name: "c", scheduler: .slurm, site: "s", pricing: .owned)),
      http: http, intervalS: 10)
    let error = await #expect(throws: SourceError.self) { try await feed.poll(at: Date()) }
    #expect(
      error?.message.contains("certificate names no IP address 127.0.0.1") == true,
      "\(String(describing: error))")
  }

  /// The same self-signed server read with its certificate as the CA, or with verification
  /// skipped (as `insecure_skip_verify = true` does), answers.
  @Test(.requires(RealServer.python))
  func aCertificateSignedByTheConfiguredCAOrSkippedIsRead() async throws {
    let python = RealServer.python
    let tls = try RealServer.selfSignedCertificate()
    let server = try await RealServer(
      python, arguments: { [faultyServer.path, String($0), "--tls"] + tls },
      ready: { RealServer.listens($0) })
    defer { server.stop() }
    let base = "https://127.0.0.1:\(server.port)/ok"
    let layout = ClusterLayout(
      cluster: Cluster(name: "c", scheduler: .slurm, site: "s", pricing: .owned))
    for http in [
      try HTTPSource(base: base, user: nil, password: nil, caFile: tls[0]),
      try HTTPSource(base: base, user: nil, password: nil, caFile: nil, insecure: true),
    ] {
      let feed = PrometheusFeed(name: "p", layout: layout, http: http, intervalS: 10)
      #expect(try await feed.poll(at: Date()).gpus.isEmpty)  // an empty vector: nothing, no error
    }
  }
}
