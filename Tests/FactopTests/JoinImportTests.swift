import Foundation
import Testing

/// Sources that see the same nodes, imported into one cache from the real captures in
/// ../shared/fixtures: what the snapshot shows must not depend on which came last, and two
/// clusters that reuse node names and job ids keep everything of each.
@MainActor @Suite struct JoinImportTests {
  func fixture(_ path: String) -> String { SharedFixtures.path(path) }

  /// The slurmrestd 24.11 nodes and a dcgm-exporter scrape whose host is Slurm's `ia1`, by its
  /// fully qualified name, imported in either order: `ia1` once, idle as Slurm says, with its
  /// six GRES GPUs once each, the one DCGM reports carrying its UUID and readings.
  @Test(
    .enabled(if: SharedFixtures.present, "shared/fixtures is absent"),
    arguments: [["slurm-nodes", "dcgm"], ["dcgm", "slurm-nodes"]])
  func schedulerAndTelemetryOfOneNodeInEitherOrder(order: [String]) throws {
    let folder = temporaryFolder()
    let db = folder.appendingPathComponent("cache.sqlite").path
    let scrape = folder.appendingPathComponent("dcgm.txt")
    let text = try String(
      contentsOfFile: fixture("dcgm-exporter/datadog-dcgm-metrics.txt"), encoding: .utf8)
    try text.replacingOccurrences(
      of: "Hostname=\"424773df46e0\"", with: "Hostname=\"ia1.dc1.example.com\""
    )
    .write(to: scrape, atomically: true, encoding: .utf8)
    let files = [
      "slurm-nodes": fixture("slurmrestd/24.11-v0.0.42/slurm-nodes.json"), "dcgm": scrape.path,
    ]
    for kind in order {
      let result = try factop(["import", kind, files[kind]!, "--cluster", "hpc"], db: db)
      #expect(result.status == 0, "\(kind): \(result.stderr)")
    }
    let json = try offlineSnapshot(db)
    let nodes = try #require(json["nodes"] as? [[String: Any]])
    let ia1 = nodes.filter { $0["name"] as? String == "ia1" }
    try #require(ia1.count == 1)
    #expect(ia1[0]["state"] as? String == "idle")
    #expect(ia1[0]["gpus_total"] as? Int == 6)
    let gpus = try #require(json["gpus"] as? [[String: Any]]).filter {
      $0["node"] as? String == "ia1"
    }
    #expect(gpus.count == 6)
    let measured = gpus.filter { $0["uuid"] is String }
    try #require(measured.count == 1)
    #expect(measured[0]["model"] as? String == "Tesla T4")
    #expect(measured[0]["power_w"] as? Double == 8.969)
    #expect(measured[0]["index"] as? Int == 0)
    #expect(gpus.filter { $0["uuid"] is NSNull }.count == 5)
    // The other DCGM hosts are no Slurm node of hpc: shown, and said to be unmatched.
    let findings = try #require(json["join_findings"] as? [[String: Any]])
    let unmatched = findings.filter { $0["kind"] as? String == "unmatched_node" }
      .compactMap { $0["detail"] as? String }
    #expect(unmatched.count == 2)
    #expect(unmatched.contains { $0.contains("node 551bdf382151 (hpc)") })
    #expect(!unmatched.contains { $0.contains("ia1") })
  }

  /// Two Slurm clusters imported from the same capture (`node001` exists on many sites): all
  /// twelve nodes, 24 GPUs and both clusters' jobs, each job's spend its own.
  @Test(.enabled(if: SharedFixtures.present, "shared/fixtures is absent"))
  func twoClustersWithTheSameNamesKeepEverything() throws {
    let db = temporaryFolder().appendingPathComponent("cache.sqlite").path
    for cluster in ["east", "west"] {
      for (kind, file) in [
        ("slurm-nodes", "slurm-nodes.json"), ("slurm-jobs", "slurm-job-gpus-multi-nodes.json"),
      ] {
        let result = try factop(
          ["import", kind, fixture("slurmrestd/24.11-v0.0.42/\(file)"), "--cluster", cluster],
          db: db)
        #expect(result.status == 0, "\(cluster) \(kind): \(result.stderr)")
      }
    }
    let json = try offlineSnapshot(db)
    let fleet = try #require(json["fleet"] as? [String: Any])
    #expect(fleet["nodes_total"] as? Int == 12)
    #expect(fleet["gpus_total"] as? Int == 24)
    let gpus = try #require(json["gpus"] as? [[String: Any]])
    #expect(Set(gpus.compactMap { $0["cluster"] as? String }) == ["east", "west"])
    let jobs = try #require(json["jobs"] as? [[String: Any]])
    let running = jobs.filter { $0["id"] as? String == "6371" }
    #expect(running.compactMap { $0["cluster"] as? String }.sorted() == ["east", "west"])
    // Each cluster's job 6371 holds the twelve GPUs of its own ia1 and ia2.
    for cluster in ["east", "west"] {
      let held = gpus.filter {
        $0["job"] as? String == "6371" && $0["cluster"] as? String == cluster
      }
      #expect(held.count == 12, "\(cluster)")
    }
    let rates = running.compactMap { $0["cost_usd_per_h"] as? Double }
    #expect(rates.count == 2 && rates[0] == rates[1] && rates[0] > 0)
  }
}
