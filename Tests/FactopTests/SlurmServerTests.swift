import Foundation
import TestSupport
import Testing

/// factop against a real Slurm 22.05 (scripts/it/slurm.sh): four emulated 8-GPU nodes with
/// slurmdbd and slurmrestd, running, pending and failed jobs, a node drained with an XID reason
/// and a node set down. One poll, then the snapshot must show exactly that.
@MainActor @Suite(.serialized, .requires(SlurmCluster.daemons)) struct SlurmServerTests {
  @Test func oneSnapshotShowsTheClusterAsSlurmSeesIt() throws {
    let slurm = try SlurmCluster.start()
    defer { slurm.stop() }
    _ = try slurm.client([
      "sbatch", "-N", "2", "--gres=gpu:8", "-J", "llm-pretrain", "--wrap", "sleep 600",
    ])
    _ = try slurm.client([
      "sbatch", "--gres=gpu:2", "--time=1-02:00:00", "-J", "finetune", "--wrap", "sleep 600",
    ])
    _ = try slurm.client(["sbatch", "--gres=gpu:1", "-J", "failing", "--wrap", "exit 3"])
    _ = try slurm.client([
      "sbatch", "-N", "2", "--gres=gpu:8", "-J", "waiting", "--wrap", "sleep 600",
    ])
    // Accounting is asynchronous: wait until it knows the failure and the two jobs run.
    try waitUntil(seconds: 60) {
      let queue = try slurm.client(["squeue", "-h", "-o", "%j %T"])
      let failed = try slurm.client([
        "sacct", "-a", "-n", "-X", "-S", "now-1hours", "-E", "now", "-s", "F", "-o", "JobName%20",
      ])
      return queue.contains("llm-pretrain RUNNING") && queue.contains("finetune RUNNING")
        && failed.contains("failing")
    }
    _ = try slurm.client([
      "scontrol", "update", "nodename=n3", "state=drain", "reason=XID 79 on GPU 3",
    ])
    _ = try slurm.client([
      "scontrol", "update", "nodename=n4", "state=down", "reason=GPU fell off the bus",
    ])

    let folder = temporaryFolder()
    let config = """
      [[cluster]]
      name = "fleet"
      racks = { r1 = "n[1-2]", r2 = "n[3-4]" }
        [[cluster.source]]
        kind = "slurm"
      """
    let snapshot = try factopSnapshot(config: config, in: folder, slurm: slurm)
    let nodes = try #require(snapshot["nodes"] as? [[String: Any]])
    #expect(nodes.map { $0["name"] as? String } == ["n1", "n2", "n3", "n4"])
    #expect(nodes.map { $0["state"] as? String } == ["mixed", "mixed", "draining", "down"])
    #expect(nodes.map { $0["rack"] as? String } == ["r1", "r1", "r2", "r2"])
    try #require(nodes.count == 4)
    #expect(nodes[2]["reason"] as? String == "XID 79 on GPU 3")
    #expect(nodes[3]["reason"] as? String == "GPU fell off the bus")
    #expect(nodes[0]["reason"] is NSNull)
    #expect(nodes.map { $0["gpus_total"] as? Int } == [8, 8, 8, 8])
    #expect(nodes.map { $0["gpus_allocated"] as? Int } == [8, 8, 2, 0])

    let jobs = try #require(snapshot["jobs"] as? [[String: Any]])
    #expect(
      jobs.compactMap { $0["name"] as? String }.sorted() == [
        "failing", "finetune", "llm-pretrain", "waiting",
      ])
    let byName = Dictionary(
      jobs.map { ($0["name"] as? String, $0) }, uniquingKeysWith: { a, _ in a })
    #expect(byName["llm-pretrain"]?["state"] as? String == "running")
    #expect(byName["llm-pretrain"]?["gpus"] as? Int == 16)
    #expect(byName["llm-pretrain"]?["nodes"] as? [String] == ["n1", "n2"])
    #expect(byName["finetune"]?["gpus"] as? Int == 2)
    #expect(byName["finetune"]?["nodes"] as? [String] == ["n3"])
    // `--time=1-02:00:00`, as `squeue %l` prints it.
    #expect(byName["finetune"]?["time_limit_s"] as? Double == 93_600)
    #expect(byName["finetune"]?["ends_by"] is String)
    #expect(byName["waiting"]?["state"] as? String == "pending")
    #expect(byName["waiting"]?["gpus"] as? Int == 16)
    #expect(byName["waiting"]?["nodes"] as? [String] == [])
    #expect(byName["failing"]?["state"] as? String == "failed")
    #expect(byName["llm-pretrain"]?["user"] as? String == "root")
    #expect(byName["llm-pretrain"]?["team"] as? String == "ml")

    let gpus = try #require(snapshot["gpus"] as? [[String: Any]])
    #expect(gpus.count == 32 && gpus.allSatisfy { $0["model"] as? String == "h100" })
    let sources = try #require(snapshot["sources"] as? [[String: Any]])
    #expect(sources.map { $0["status"] as? String } == ["ok"])

    // The same cluster through slurmrestd with a JWT.
    let token = try slurm.client(["scontrol", "token", "username=nobody", "lifespan=600"])
    let tokenFile = folder.appendingPathComponent("slurm.jwt")
    try Data(token.replacingOccurrences(of: "SLURM_JWT=", with: "").utf8).write(to: tokenFile)
    let rest = """
      [[cluster]]
      name = "fleet"
        [[cluster.source]]
        kind = "slurmrestd"
        url = "http://127.0.0.1:17020"
        user = "nobody"
        token_file = "\(tokenFile.path)"
      """
    let viaREST = try factopSnapshot(config: rest, in: temporaryFolder(), slurm: slurm)
    let restNodes = try #require(viaREST["nodes"] as? [[String: Any]])
    #expect(restNodes.map { $0["state"] as? String } == ["mixed", "mixed", "draining", "down"])
    #expect(restNodes.map { $0["gpus_allocated"] as? Int } == [8, 8, 2, 0])
    let restJobs = try #require(viaREST["jobs"] as? [[String: Any]])
    #expect(
      restJobs.filter { $0["state"] as? String == "running" }.compactMap { $0["name"] as? String }
        .sorted() == ["finetune", "llm-pretrain"])
    #expect(
      restJobs.first { $0["name"] as? String == "finetune" }?["time_limit_s"] as? Double == 93_600)
  }

  /// A job that fails between two polls is an incident: hit, priced from the run accounting
  /// gives it (its checkpoints cannot be seen: the cluster has no GPU telemetry), and said so. A
  /// job that ran and failed between two polls, never seen running, is one too; so is a job
  /// requeued by the scheduler, waiting in the queue.
  @Test func aJobThatFailsBetweenTwoPollsIsAPricedIncident() throws {
    let slurm = try SlurmCluster.start()
    defer { slurm.stop() }
    let folder = temporaryFolder()
    let file = folder.appendingPathComponent("config.toml")
    try """
    [[cluster]]
    name = "fleet"
      [[cluster.source]]
      kind = "slurm"
    """.write(to: file, atomically: true, encoding: .utf8)
    let db = folder.appendingPathComponent("cache.sqlite").path
    func factop(_ arguments: [String]) throws -> Data {
      let result = try run(
        try factopBinary(), arguments + ["--config", file.path, "--db", db],
        environment: ["SLURM_CONF": slurm.conf])
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
      return result.stdout
    }
    _ = try slurm.client([
      "sbatch", "-N", "2", "--gres=gpu:4", "-J", "crashing", "--wrap", "sleep 12; exit 3",
    ])
    let requeued = try slurm.client([
      "sbatch", "--parsable", "--requeue", "--gres=gpu:2", "-J", "preempted", "--wrap",
      "sleep 600",
    ]).trimmingCharacters(in: .whitespacesAndNewlines)
    try waitUntil(seconds: 60) {
      let queue = try slurm.client(["squeue", "-h", "-o", "%j %T"])
      return queue.contains("crashing RUNNING") && queue.contains("preempted RUNNING")
    }
    _ = try factop(["poll", "--once"])
    _ = try slurm.client(["scontrol", "requeuehold", requeued])
    try waitUntil(seconds: 60) {
      let queue = try slurm.client(["squeue", "-h", "-t", "all", "-o", "%j %T"])
      return queue.contains("crashing FAILED") && !queue.contains("preempted RUNNING")
    }
    _ = try factop(["poll", "--once"])
    // A job that runs and fails between two polls, never seen running: found by its end.
    _ = try slurm.client(["sbatch", "--gres=gpu:2", "-J", "brief", "--wrap", "sleep 4; exit 2"])
    try waitUntil(seconds: 60) {
      try slurm.client([
        "sacct", "-a", "-n", "-X", "-S", "now-1hours", "-E", "now", "-s", "F", "-o", "JobName%20",
      ]).contains("brief")
    }
    _ = try factop(["poll", "--once"])

    let summary = try #require(
      try JSONSerialization.jsonObject(
        with: try factop(["incidents", "--offline", "--format", "json"])) as? [String: Any])
    let incidents = try #require(summary["incidents"] as? [[String: Any]])
    func incident(hitting name: String) throws -> [String: Any] {
      try #require(
        incidents.first {
          ($0["jobs"] as? [[String: Any]])?.contains { $0["name"] as? String == name } == true
        }, "no incident hit \(name): \(incidents)")
    }
    let crash = try incident(hitting: "crashing")
    #expect(crash["cause"] as? String == "job_failed")
    #expect(crash["node"] is NSNull)
    let job = try #require((crash["jobs"] as? [[String: Any]])?.first)
    #expect(job["gpus"] as? Int == 8 && job["requeued"] as? Bool == false)
    let cost = try #require(crash["cost"] as? [String: Any])
    // Accounting says it ran 12 s: no checkpoint can be seen (the cluster has no GPU
    // telemetry), so all 12 s on 8 GPUs are lost, said so, rather than the assumed half hour;
    // no wait until it is resubmitted.
    #expect(job["started"] is String)
    let lost = try #require(cost["lost_work_gpu_hours"] as? Double)
    #expect(lost >= 8 * 11 / 3_600 && lost <= 8 * 20 / 3_600, "\(cost)")
    #expect(cost["wait_gpu_hours"] as? Double == 0)
    #expect((cost["usd"] as? Double ?? 0) > 0)
    #expect(
      (cost["assumptions"] as? [String])?.contains { $0.hasPrefix("crashing: ran ") } == true,
      "\(cost)")
    let brief = try incident(hitting: "brief")
    #expect(brief["cause"] as? String == "job_failed")
    let briefJob = try #require((brief["jobs"] as? [[String: Any]])?.first)
    #expect(briefJob["started"] is String && briefJob["gpus"] as? Int == 2)
    // It ran about four seconds: that is all it could lose, not the assumed half hour.
    let briefCost = try #require(brief["cost"] as? [String: Any])
    let briefLost = try #require(briefCost["lost_work_gpu_hours"] as? Double)
    #expect(briefLost > 0 && briefLost < 2.0 * 60 / 3_600, "\(briefCost)")
    #expect(
      (briefCost["assumptions"] as? [String])?.contains { $0.contains("brief: ran") } == true)
    let preempted = try incident(hitting: "preempted")
    #expect(preempted["cause"] as? String == "job_requeued")
    #expect(
      (preempted["jobs"] as? [[String: Any]])?.first?["requeued"] as? Bool == true)
  }

  private func factopSnapshot(config: String, in folder: URL, slurm: SlurmCluster) throws
    -> [String: Any]
  {
    let file = folder.appendingPathComponent("config.toml")
    try config.write(to: file, atomically: true, encoding: .utf8)
    let result = try run(
      try factopBinary(),
      [
        "snapshot", "--format", "json", "--config", file.path, "--db",
        folder.appendingPathComponent("cache.sqlite").path,
      ], environment: ["SLURM_CONF": slurm.conf])
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
  }

  private func waitUntil(seconds: Double, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while try !condition() {
      guard Date() < deadline else {
        Issue.record("timed out after \(seconds) s")
        return
      }
      Thread.sleep(forTimeInterval: 0.2)
    }
  }
}
