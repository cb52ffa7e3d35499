import Foundation
import TestSupport
import Testing

/// Real servers killed (SIGKILL, as a crash or the OOM killer would) while `factop poll` runs,
/// then started again: the source turns to error and says why, the last good data stays in the
/// cache with its age, and the same poller recovers by itself.
extension SlurmServerTests {
  @Test func slurmctldAndASlurmdDieAndComeBackWhileFactopPolls() throws {
    let slurm = try SlurmCluster.start()
    defer { slurm.stop() }
    _ = try slurm.client([
      "sbatch", "-N", "2", "--gres=gpu:8", "-J", "llm-pretrain", "--wrap", "sleep 600",
    ])
    let poller = try PollingFactop(
      config: """
        [[cluster]]
        name = "fleet"
          [[cluster.source]]
          kind = "slurm"
          interval_s = 1
          timeout_s = 10
        """, environment: ["SLURM_CONF": slurm.conf])
    defer { poller.stop() }
    let healthy = ["mixed", "mixed", "idle", "idle"]
    #expect(eventually(timeoutS: 120) { poller.nodeStates() == healthy ? true : nil } == true)

    // slurmctld dies: every client call fails; the nodes and the job stay, marked with age.
    var timeline = Timeline()
    try slurm.crash("slurmctld")
    let failed = eventually(timeoutS: 120) { poller.source().flatMap { $0.error } }
    #expect(failed != nil, "the source never reported slurmctld gone")
    timeline.note("slurmctld killed: source error (\(failed ?? "none"))")
    let during = try #require(poller.snapshot())
    #expect(poller.nodeStates(in: during) == healthy)
    let jobs = during["jobs"] as? [[String: Any]] ?? []
    #expect(jobs.compactMap { $0["name"] as? String } == ["llm-pretrain"])
    let source = (during["sources"] as? [[String: Any]])?.first
    #expect(source?["status"] as? String == "error")
    #expect(source?["age_s"] is Double)

    // Back again: the same poller notices at its next try (backing off meanwhile); the nodes
    // read unknown until their slurmd registers with the new slurmctld, as Slurm says.
    try slurm.restart("slurmctld")
    #expect(eventually(timeoutS: 120) { poller.source()?.status == "ok" ? true : nil } == true)
    #expect(eventually(timeoutS: 120) { poller.nodeStates() == healthy ? true : nil } == true)
    timeline.note("slurmctld started again: source ok, nodes as before")

    // n4's slurmd dies: Slurm stops hearing from it (~20 s) and factop shows it down, not
    // responding, while the other nodes and the source stay as they were.
    try slurm.crash("slurmd-n4")
    let lost = eventually(timeoutS: 180) {
      poller.nodeStates() == ["mixed", "mixed", "idle", "down"] ? poller.snapshot() : nil
    }
    timeline.note("slurmd n4 killed: n4 down")
    let node = (lost?["nodes"] as? [[String: Any]])?.last
    #expect(node?["reason"] as? String == "not responding", "\(String(describing: node))")
    #expect(poller.source()?.status == "ok")
    try slurm.restart("slurmd-n4")
    #expect(eventually(timeoutS: 120) { poller.nodeStates() == healthy ? true : nil } == true)
    timeline.note("slurmd n4 started again: n4 idle")
    #expect(poller.isRunning, "the poller itself never needed a restart")
    print("Slurm outages: \(timeline)")
  }
}

@MainActor @Suite struct PrometheusOutageTests {
  @Test(.requires(PrometheusServer.programs))
  func prometheusDiesAndComesBackWhileFactopPolls() async throws {
    let metrics = """
      DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-aaaa-0",Hostname="node1",modelName="NVIDIA H100 80GB HBM3"} 87
      DCGM_FI_DEV_POWER_USAGE{gpu="0",UUID="GPU-aaaa-0",Hostname="node1",modelName="NVIDIA H100 80GB HBM3"} 612.5

      """
    let prometheus = try await PrometheusServer.start(metrics: metrics)
    defer { prometheus.stop() }
    let poller = try PollingFactop(
      config: """
        [[cluster]]
        name = "test"
          [[cluster.source]]
          kind = "prometheus"
          url = "\(prometheus.url)"
          interval_s = 1
          timeout_s = 5
        """)
    defer { poller.stop() }
    let gpu = { (snapshot: [String: Any]?) -> [String: Any]? in
      (snapshot?["gpus"] as? [[String: Any]])?.first
    }
    let scraped = eventually(timeoutS: 120) {
      gpu(poller.snapshot())?["util_pct"] as? Double == 87 ? true : nil
    }
    try #require(scraped == true, "Prometheus never answered: \(prometheus.diagnosis)")

    var timeline = Timeline()
    prometheus.server.crash()
    let failed = eventually(timeoutS: 60) { poller.source().flatMap { $0.error } }
    timeline.note("Prometheus killed: source error (\(failed ?? "none"))")
    #expect(failed?.contains("refused") == true, "\(String(describing: failed))")
    let during = poller.snapshot()
    #expect(gpu(during)?["util_pct"] as? Double == 87, "the last good sample stays")
    #expect((during?["sources"] as? [[String: Any]])?.first?["status"] as? String == "error")

    try await prometheus.restart()
    #expect(eventually(timeoutS: 120) { poller.source()?.status == "ok" ? true : nil } == true)
    timeline.note("Prometheus started again: source ok")
    #expect(poller.isRunning)
    print("Prometheus outage: \(timeline)")
  }
}

/// What happened how long after the step before, for docs/reliability.md.
struct Timeline: CustomStringConvertible {
  private var last = Date()
  private var notes: [String] = []
  var description: String { notes.joined(separator: "; ") }

  mutating func note(_ what: String) {
    notes.append("\(what) after \(Int(Date().timeIntervalSince(last).rounded())) s")
    last = Date()
  }
}

/// `factop poll` running as a daemon over one config, and what `factop sources` and
/// `factop snapshot --offline` then read from its cache.
final class PollingFactop {
  let folder = temporaryFolder()
  let process = Process()
  var config: String { folder.appendingPathComponent("config.toml").path }
  var db: String { folder.appendingPathComponent("cache.sqlite").path }
  /// What the poller logged: which polls failed, and why.
  var log: String { folder.appendingPathComponent("poll.log").path }
  let environment: [String: String]

  init(config text: String, environment: [String: String] = [:]) throws {
    self.environment = environment
    try text.write(toFile: config, atomically: true, encoding: .utf8)
    process.executableURL = try factopBinary()
    process.arguments = ["poll", "--config", config, "--db", db]
    process.environment = ProcessInfo.processInfo.environment.merging(
      environment.merging(["XDG_CONFIG_HOME": folder.path]) { a, _ in a }
    ) { _, new in new }
    _ = FileManager.default.createFile(atPath: log, contents: nil)
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle(forWritingAtPath: log)
    try process.run()
  }

  var isRunning: Bool { process.isRunning }

  /// The one source's line of `factop sources --json`.
  func source() -> (status: String, error: String?)? {
    guard let result = try? factop(["sources", "--json"]),
      let object = try? JSONSerialization.jsonObject(with: result.stdout) as? [String: Any],
      let status = object["status"] as? String
    else { return nil }
    return (status, object["error"] as? String)
  }

  /// The snapshot, written whether or not it exits 1 for a failing source.
  func snapshot() -> [String: Any]? {
    guard let result = try? factop(["snapshot", "--offline", "--format", "json"]),
      result.status <= 1
    else { return nil }
    return try? JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
  }

  func nodeStates(in snapshot: [String: Any]? = nil) -> [String]? {
    (snapshot ?? self.snapshot())
      .flatMap { $0["nodes"] as? [[String: Any]] }?.compactMap { $0["state"] as? String }
  }

  private func factop(_ arguments: [String]) throws -> Finished {
    try run(
      try factopBinary(), arguments + ["--config", config, "--db", db], environment: environment)
  }

  func stop() {
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
  }
}
