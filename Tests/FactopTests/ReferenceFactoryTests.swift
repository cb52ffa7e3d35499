import Foundation
import TestSupport
import Testing

/// Every source at once on one cache: the reference factory of `scripts/it/factory.sh` (Slurm
/// with accounting and REST, Prometheus over a dcgm-exporter-format target whose hosts carry a
/// domain, sushy-static BMCs, a node exporter, OpenCost and a FOCUS bill), polled by
/// `factop poll` for several cycles, then read back through the snapshot and the cockpit in
/// tmux. Then Prometheus and one slurmd are killed, and the same must still hold, with the
/// failing source marked.
@MainActor @Suite struct ReferenceFactoryTests {
  @Test(
    .requires(ReferenceFactory.parts),
    .enabled(if: SharedFixtures.present, "../shared/fixtures is absent"))
  func everySourceAtOnceOnOneCache() throws {
    let factory = try ReferenceFactory()
    defer { factory.stop() }
    let poller = try PollingFactop(config: try factory.config)
    defer { poller.stop() }
    let bill = try factop(
      [
        "import", "focus", SharedFixtures.path("focus/focus_sample_head300.csv"), "--config",
        poller.config,
      ], db: poller.db)
    #expect(bill.status == 0, "\(bill.stderr)")

    // Several poll cycles (every 2 s): every source answering, every running job's GPUs
    // measured.
    let settled = eventually(timeoutS: 120) { () -> [String: Any]? in
      guard let snapshot = poller.snapshot(), Self.statuses(snapshot).allSatisfy({ $0.1 == "ok" }),
        Self.statuses(snapshot).count == 5, Self.measuredJobs(snapshot) == 3
      else { return nil }
      return snapshot
    }
    let healthy = try #require(
      settled, "the factory never settled; the poller said: \(Self.tail(poller.log))")
    try checkInvariants(healthy, factory: factory)
    // GPU 2 of n1 has a failing NVLink: its error counters rise between polls, an incident on
    // its node, with the action to take; no GPU reports a double-bit ECC error or a failed
    // row remap.
    let nvlink = eventually(timeoutS: 30) { () -> [String: Any]? in
      let incidents = (poller.snapshot()?["incidents"] as? [String: Any])?["incidents"]
      return (incidents as? [[String: Any]])?.first { $0["cause"] as? String == "nvlink_errors" }
    }
    let incident = try #require(
      nvlink, "no NVLink incident; the poller said: \(Self.tail(poller.log))")
    #expect(incident["node"] as? String == "n1")
    let events = try #require(incident["events"] as? [[String: Any]])
    #expect(events.allSatisfy { $0["subject"] as? String == "GPU 2" })
    #expect((incident["action"] as? String)?.contains("NVLink") == true)
    // Its errors as a rate from Prometheus, over 5 minutes: 8 every 3 s is at most 2.7 a second
    // (less while the target is younger than the window); the others have none.
    let gpus = try #require(poller.snapshot()?["gpus"] as? [[String: Any]])
    let rates = Dictionary(
      gpus.compactMap { gpu -> (String, Double)? in
        guard let node = gpu["node"] as? String, let index = gpu["index"] as? Int,
          let rate = gpu["nvlink_errors_per_s"] as? Double
        else { return nil }
        return ("\(node)/\(index)", rate)
      }, uniquingKeysWith: { a, _ in a })
    #expect((0.001...2.8).contains(rates["n1/2"] ?? 0), "\(rates)")
    #expect(rates.count == 32 && rates.filter { $0.value > 0 }.keys.sorted() == ["n1/2"])
    let causes =
      ((poller.snapshot()?["incidents"] as? [String: Any])?["incidents"]
      as? [[String: Any]] ?? []).compactMap { $0["cause"] as? String }
    #expect(!causes.contains("ecc_double_bit") && !causes.contains("row_remap_failure"))
    #expect(healthy["billing"] is [String: Any] && healthy["opencost"] is [String: Any])

    // Buy or build, joined from every source: Slurm says vllm-serve serves on 2 of n4's GPUs,
    // Prometheus how busy they are, the price book what they cost; the FOCUS bill buys no
    // managed AI.
    let managed = try factop(
      ["model", "managed", "--offline", "--format", "json", "--config", poller.config],
      db: poller.db)
    let comparison = try #require(
      try JSONSerialization.jsonObject(with: managed.stdout) as? [String: Any], "\(managed.stderr)")
    let deployments = try #require(comparison["deployments"] as? [[String: Any]])
    #expect(deployments.map { $0["name"] as? String } == ["vllm-serve"])
    let serve = try #require(deployments.first)
    #expect(serve["gpus"] as? Int == 2)
    // Two H100s at the public 1-year reserved price, $57.63 ÷ 8 an hour.
    #expect(abs((serve["usd_per_month_today"] as? Double ?? 0) - 2 * 57.63 / 8 * 730) < 0.01)
    #expect((serve["options"] as? [Any])?.count == 8)
    #expect((comparison["billed_managed_ai"] as? [Any])?.isEmpty == true)

    // The cockpit over the same cache, as on-call would open it.
    let session = TmuxSession()
    defer { session.stop() }
    let cockpit = "\(try factopBinary().path) --config \(poller.config) --db \(poller.db)"
    #expect(try session.start(width: 160, height: 50, command: cockpit) == 0)
    _ = try session.waitFor("GPUs 32", "╭ Fleet")
    try session.tmux(["send-keys", "-t", session.name, "2"]).expectSuccess()
    let nodes = try session.waitFor("╭ Nodes (4)", " n1 ", " n2 ", " n3 ", " n4 ")
    let states = try Self.slurmStates(factory)
    for name in ["n1", "n2", "n3", "n4"] {
      let lines = nodes.split(separator: "\n").filter { $0.contains(" \(name) ") }
      #expect(lines.count == 1, "\(name) once:\n\(nodes)")
      #expect(lines.first?.contains(" \(states[name] ?? "?") ") == true, "\(name): \(lines)")
    }
    try session.tmux(["send-keys", "-t", session.name, "8"]).expectSuccess()
    _ = try session.waitFor("╭ Sources (5)", "prometheus", "redfish", "opencost")

    // Prometheus and one slurmd die. The poller keeps the last good readings, marked; the
    // scheduler still says every node's state.
    try factory.crash("prometheus")
    try factory.crash("slurmd-n2")
    let failed = eventually(timeoutS: 60) { () -> [String: Any]? in
      guard let snapshot = poller.snapshot(),
        Self.statuses(snapshot).first(where: { $0.0 == "fleet/prometheus" })?.1 == "error"
      else { return nil }
      return snapshot
    }
    let degraded = try #require(failed, "Prometheus's death was never reported")
    try checkInvariants(degraded, factory: factory)
    #expect(Self.statuses(degraded).filter { $0.1 != "ok" }.map(\.0) == ["fleet/prometheus"])
    _ = try session.waitFor("error", "fleet/prometh")
  }

  /// What must hold of the factory whatever has failed: each node once with Slurm's state,
  /// every running job's GPUs measured (on the right GPUs where device files are out of NVML
  /// order), GPU power within node power within the fleet's, and team spend adding up.
  private func checkInvariants(_ snapshot: [String: Any], factory: ReferenceFactory) throws {
    let nodes = try #require(snapshot["nodes"] as? [[String: Any]])
    #expect(nodes.compactMap { $0["name"] as? String }.sorted() == ["n1", "n2", "n3", "n4"])
    let slurmStates = try Self.slurmStates(factory)
    for node in nodes {
      let name = node["name"] as? String ?? ""
      #expect(node["state"] as? String == slurmStates[name], "\(name)")
      #expect(node["gpus_total"] as? Int == 8, "\(name)")
    }
    #expect((snapshot["join_findings"] as? [Any])?.isEmpty == true, "\(snapshot["join_findings"]!)")

    let gpus = try #require(snapshot["gpus"] as? [[String: Any]])
    #expect(gpus.count == 32)
    let jobs = try #require(snapshot["jobs"] as? [[String: Any]])
    let running = jobs.filter { $0["state"] as? String == "running" }
    #expect(
      running.compactMap { $0["name"] as? String }.sorted() == [
        "llm-finetune", "llm-pretrain", "vllm-serve",
      ])
    for job in running {
      let held = gpus.filter { $0["job"] as? String == job["id"] as? String }
      #expect(held.count == job["gpus"] as? Int, "\(job["name"]!)")
      #expect(
        held.allSatisfy {
          $0["uuid"] is String && $0["power_w"] is Double && $0["util_pct"] is Double
        },
        "\(job["name"]!): \(held)")
    }
    #expect(
      jobs.contains {
        $0["name"] as? String == "llm-pretrain-next" && $0["state"] as? String == "pending"
      })
    // n4's device files run against NVML order: Slurm's IDX 0-1 are NVML GPUs 7 and 6.
    let serving = try #require(running.first { $0["name"] as? String == "vllm-serve" })
    let servingGPUs = gpus.filter { $0["job"] as? String == serving["id"] as? String }
    #expect(Set(servingGPUs.compactMap { $0["index"] as? Int }) == [6, 7])
    #expect(servingGPUs.allSatisfy { $0["node"] as? String == "n4" })

    // n4's InfiniBand ports, from node exporter beside its power meter.
    let fabric = try #require(snapshot["fabric"] as? [[String: Any]])
    #expect(
      fabric.map {
        "\($0["node"] as? String ?? "")/\($0["device"] as? String ?? "")/\($0["port"] as? String ?? "")"
      }
        == ["n4/i40iw0/1", "n4/mlx4_0/1", "n4/mlx4_0/2"])
    #expect(
      fabric.allSatisfy { $0["state"] as? String == "ACTIVE" && $0["flapping"] as? Bool == false })
    #expect(fabric.dropFirst().allSatisfy { $0["rate_bytes_per_s"] as? Double == 5e9 })

    // GPU power within each node's, the nodes' within the fleet's IT power.
    for node in nodes {
      let name = node["name"] as? String
      let gpuW = gpus.filter { $0["node"] as? String == name }.compactMap {
        $0["power_w"] as? Double
      }
      .reduce(0, +)
      let nodeW = try #require(node["power_w"] as? Double, "\(name ?? "")")
      #expect(gpuW > 0 && gpuW <= nodeW, "\(name ?? ""): GPUs \(gpuW) W, node \(nodeW) W")
    }
    let power = try #require(snapshot["power"] as? [String: Any])
    let nodesW = nodes.compactMap { $0["power_w"] as? Double }.reduce(0, +)
    #expect(abs((power["it_w"] as? Double ?? 0) - nodesW) < 0.5)
    #expect((power["nodes_gpu_above_bmc"] as? [Any])?.isEmpty == true)

    // Teams, with the unallocated capacity, add up to the fleet's spend.
    let fleet = try #require(snapshot["fleet"] as? [String: Any])
    let spend = try #require(fleet["cost_usd_per_h"] as? Double)
    let teams = try #require(snapshot["teams"] as? [[String: Any]])
    let teamSum = teams.compactMap { $0["cost_usd_per_h"] as? Double }.reduce(0, +)
    #expect(spend > 0 && abs(teamSum - spend) < 0.05, "teams \(teamSum), fleet \(spend)")
  }

  /// Each node's state as sinfo says it: its long names are factop's; `*` marks a node not
  /// responding.
  static func slurmStates(_ factory: ReferenceFactory) throws -> [String: String] {
    let sinfo = try factory.slurm(["sinfo", "-h", "-N", "-o", "%N %T"])
      .split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    return Dictionary(
      sinfo.filter { $0.count == 2 }.map { ($0[0], $0[1].replacingOccurrences(of: "*", with: "")) },
      uniquingKeysWith: { a, _ in a })
  }

  /// Each source's (name, status).
  static func statuses(_ snapshot: [String: Any]) -> [(String, String)] {
    (snapshot["sources"] as? [[String: Any]] ?? []).map {
      ($0["name"] as? String ?? "", $0["status"] as? String ?? "")
    }
  }

  /// Running jobs whose every GPU carries telemetry.
  static func measuredJobs(_ snapshot: [String: Any]) -> Int {
    let gpus = snapshot["gpus"] as? [[String: Any]] ?? []
    let jobs = (snapshot["jobs"] as? [[String: Any]] ?? []).filter {
      $0["state"] as? String == "running"
    }
    return jobs.filter { job in
      let held = gpus.filter { $0["job"] as? String == job["id"] as? String }
      return !held.isEmpty && held.count == job["gpus"] as? Int
        && held.allSatisfy { $0["power_w"] is Double }
    }.count
  }

  static func tail(_ path: String) -> String {
    String(((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").suffix(2_000))
  }
}

extension Finished {
  func expectSuccess(sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(status == 0, "\(stderr)", sourceLocation: sourceLocation)
  }
}
