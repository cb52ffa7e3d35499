import Feeds
import FleetModel
import FleetSim
import Foundation
import Logging
import Polling
import StateCache
import Synchronization
import TestSupport
import Testing

private let faultyServer = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("scripts/it/faulty_http.py")

/// A Prometheus that answers, then fails in one way after another, then answers again, while
/// the poller runs as `factop poll` does: each failure is recorded with what it was, the last
/// good GPUs stay in the cache, the demo source beside it is untouched, and the poller notices
/// the recovery on its own (backing off in between).
@Suite struct SourceRecoveryTests {
  static let answer = #"""
    {"status":"success","data":{"resultType":"vector","result":[
      {"metric":{"__name__":"DCGM_FI_DEV_GPU_UTIL","Hostname":"gpu01","UUID":"GPU-1","gpu":"0","modelName":"NVIDIA H100 80GB HBM3"},"value":[1795552852.482,"87"]}]}}
    """#

  @Test(.requires(RealServer.python))
  func aSourceThatBreaksKeepsItsDataAndRecoversByItself() async throws {
    let python = RealServer.python
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-recovery-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let okFile = folder.appendingPathComponent("answer.json")
    try Self.answer.write(to: okFile, atomically: true, encoding: .utf8)
    let server = try await RealServer(
      python, arguments: { [faultyServer.path, String($0), "--ok", okFile.path] },
      ready: { RealServer.answers("http://127.0.0.1:\($0)/ok/") })
    defer { server.stop() }
    func control(_ mode: String) {
      #expect(RealServer.answers("http://127.0.0.1:\(server.port)/control/\(mode)"))
    }

    let prometheus = PrometheusFeed(
      name: "lab/prometheus",
      layout: ClusterLayout(
        cluster: Cluster(name: "lab", scheduler: .slurm, site: "s", pricing: .owned)),
      http: try HTTPSource(
        base: "http://127.0.0.1:\(server.port)/live", user: nil, password: nil, caFile: nil,
        timeoutS: 3, maxBytes: 1 << 20),
      timeoutS: 3, intervalS: 0.25)
    let demo = SimulatorFeed(fleet: try DemoFleet(gpus: 256), intervalS: 0.25)
    let cache = try StateCache.open(path: folder.appendingPathComponent("cache.sqlite").path)
    let poller = Poller(
      cache: cache, feeds: [prometheus, demo], rules: FleetRules(prices: .demo),
      logger: Logger(label: "test"))
    let stop = Atomic(false)
    let running = Task { await poller.run(intervalS: 1) { stop.load(ordering: .relaxed) } }
    defer {
      stop.store(true, ordering: .relaxed)
    }

    /// Waits (at most a minute: backoff doubles the wait after each failure) until the
    /// Prometheus source's health satisfies `condition`.
    func health(_ condition: (SourceHealth) -> Bool) async throws -> SourceHealth {
      let deadline = Date().addingTimeInterval(60)
      while Date() < deadline {
        if let health = try cache.sourceHealth().first(where: { $0.name == prometheus.name }),
          condition(health)
        {
          return health
        }
        try await Task.sleep(for: .milliseconds(100))
      }
      throw ServerError(message: "the Prometheus source never got there")
    }
    func gpu01() throws -> Bool { try cache.fleetState().gpus.contains { $0.node.name == "gpu01" } }

    let first = try await health { $0.lastSuccess != nil && $0.lastError == nil }
    #expect(try gpu01())
    for (mode, said) in [
      ("503", "HTTP 503"), ("silence", "no answer"), ("malformed", "not valid JSON"),
      ("huge", "larger than 1 MiB"),
    ] {
      control(mode)
      let failed = try await health { $0.lastError?.contains(said) == true }
      #expect(failed.status(at: Date()) == .error)
      #expect(failed.lastSuccess != nil && failed.lastSuccess! >= first.lastSuccess!)
      #expect(try gpu01(), "the last good data is kept through \(mode)")
      let others = try cache.sourceHealth().first { $0.name == demo.name }
      #expect(others?.lastError == nil, "the demo source is not touched by \(mode)")
    }
    control("ok")
    let recovered = try await health { $0.lastError == nil }
    #expect(recovered.status(at: Date()) == .ok)
    #expect(try gpu01())
    stop.store(true, ordering: .relaxed)
    await running.value
  }
}
