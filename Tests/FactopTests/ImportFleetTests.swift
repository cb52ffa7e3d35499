import Foundation
import Testing

/// `factop import KIND FILE…` for every kind, over the real captures in ../shared/fixtures
/// (and the recorded Kubernetes lists): what the snapshot then shows, and that a bad file
/// exits 2 naming the file and where, leaving the cache as it was.
@MainActor @Suite struct ImportFleetTests {
  static let recordedK8s = repositoryRoot.appendingPathComponent("Tests/FeedsTests/Recorded/k8s")

  func fixture(_ path: String) -> String { SharedFixtures.path(path) }

  /// A real fleet is priced from public list prices, the demo fleet from its own book; the
  /// nvidia-smi capture's one H100, rented on demand, costs AWS's p5 list price ÷ 8 under a config
  /// that names the cluster.
  @Test(.enabled(if: SharedFixtures.present, "shared/fixtures is absent"))
  func aRealFleetIsPricedFromPublicListPrices() throws {
    let folder = temporaryFolder()
    let db = folder.appendingPathComponent("cache.sqlite").path
    let capture = fixture("nvidia-smi-captures/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt")
    let imported = try factop(
      [
        "import", "nvidia-smi", capture, "--node", "h100-box", "--cluster", "lab",
        "--pricing", "on_demand",
      ], db: db)
    #expect(imported.status == 0, "\(imported.stderr)")
    let config = folder.appendingPathComponent("config.toml")
    try """
    [[cluster]]
    name = "lab"
    [[cluster.source]]
    kind = "nvidia-smi"
    """.write(to: config, atomically: true, encoding: .utf8)
    func costPerHour(_ extra: [String]) throws -> Double? {
      let result = try factop(["snapshot", "--offline", "--format", "json"] + extra, db: db)
      #expect(result.status == 0, "\(result.stderr)")
      let json = try #require(
        try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
      return (json["fleet"] as? [String: Any])?["cost_usd_per_h"] as? Double
    }
    let real = try #require(try costPerHour(["--config", config.path]))
    #expect(abs(real - 98.32 / 8) < 1e-9)
    let demo = try #require(try costPerHour([]))
    #expect(abs(demo - 4.00) < 1e-9)  // the demo book's illustrative H100 on-demand price
  }

  @Test(.enabled(if: SharedFixtures.present, "shared/fixtures is absent"))
  func everyKindLandsInTheSnapshot() throws {
    let db = temporaryFolder().appendingPathComponent("cache.sqlite").path
    let imports: [[String]] = [
      [
        "nvidia-smi",
        fixture("nvidia-smi-captures/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt"),
        "--node", "h100-box", "--cluster", "lab",
      ],
      [
        "nvidia-smi-xml", fixture("nvidia-smi-xml/a100-sxm4-v12.xml"),
        fixture("nvidia-smi-xml/rtx-4000-sff-ada-v13.xml"), "--cluster", "lab",
      ],
      [
        "rocm-smi", fixture("amd/telegraf-rocm-smi-mi100-rocm602.json"), "--node", "mi100-box",
        "--cluster", "lab",
      ],
      ["dcgm", fixture("dcgm-exporter/datadog-dcgm-metrics.txt"), "--cluster", "dcgm"],
      ["slurm-nodes", fixture("slurmrestd/24.11-v0.0.42/slurm-nodes.json"), "--cluster", "hpc"],
      ["slurm-jobs", fixture("slurmrestd/24.11-v0.0.42/slurm-jobs.json"), "--cluster", "hpc"],
      [
        "slurmdb-jobs", fixture("slurmrestd/24.11-v0.0.42/slurmdb-job-gpus-completed.json"),
        "--cluster", "hpc",
      ],
      [
        "k8s-nodes", Self.recordedK8s.appendingPathComponent("nodes.json").path, "--cluster", "k8s",
      ],
      ["k8s-pods", Self.recordedK8s.appendingPathComponent("pods.json").path, "--cluster", "k8s"],
    ]
    for arguments in imports {
      let result = try factop(["import"] + arguments, db: db)
      #expect(result.status == 0, "\(arguments[0]): \(result.stderr)")
    }
    let json = try offlineSnapshot(db)
    let gpus = try #require(json["gpus"] as? [[String: Any]])
    func gpu(node: String) -> [String: Any]? { gpus.first { $0["node"] as? String == node } }
    // nvidia-smi under load: the product name as reported, 631.95 W, 100 %, 19818 MiB.
    let h100 = try #require(gpu(node: "h100-box"))
    #expect(h100["model"] as? String == "NVIDIA H100 80GB HBM3")
    #expect(h100["power_w"] as? Double == 631.95 && h100["util_pct"] as? Double == 100)
    #expect(h100["mem_used_mib"] as? Double == 19_818)
    // Its capture's processes under load hold it: the first of the three.
    #expect(h100["job"] as? String == "h100-box:11327")
    // rocm-smi: AMD's product name as reported, its average package power, and its use.
    let mi100 = try #require(gpu(node: "mi100-box"))
    #expect(mi100["model"] as? String == "Arcturus GL-XL [Instinct MI100]")
    #expect(mi100["power_w"] as? Double == 36 && mi100["util_pct"] as? Double == 0)
    // The XML captures: an A100 with MIG on (utilization unknown, not 0) and an RTX 4000.
    let a100 = try #require(gpu(node: "a100-sxm4-v12"))
    #expect(a100["model"] as? String == "NVIDIA A100-SXM4-80GB")
    #expect(a100["util_pct"] is NSNull && a100["power_w"] as? Double == 67.03)
    #expect(
      gpu(node: "rtx-4000-sff-ada-v13")?["model"] as? String == "NVIDIA RTX 4000 SFF Ada Generation"
    )
    // dcgm-exporter: two T4 hosts and an A10G.
    #expect(gpu(node: "424773df46e0")?["model"] as? String == "Tesla T4")
    #expect(gpu(node: "424773df46e0")?["power_w"] as? Double == 8.969)
    #expect(gpu(node: "ip-11111")?["model"] as? String == "NVIDIA A10G")

    let nodes = try #require(json["nodes"] as? [[String: Any]])
    func node(_ name: String) -> [String: Any]? { nodes.first { $0["name"] as? String == name } }
    #expect(
      node("cn3")?["state"] as? String == "down" && node("cn3")?["reason"] as? String == "CPU dead")
    #expect(node("cn4")?["state"] as? String == "drained")
    #expect(node("ia1")?["gpus_total"] as? Int == 6)
    #expect(node("gpu-a03")?["state"] as? String == "down")
    #expect(node("gpu-a01")?["cluster"] as? String == "k8s")

    let jobs = try #require(json["jobs"] as? [[String: Any]])
    let hpc = jobs.filter { $0["cluster"] as? String == "hpc" }
    // squeue's 16 and the accounting record of job 6372, which squeue no longer held.
    #expect(hpc.count == 17)
    #expect(hpc.first { $0["id"] as? String == "6372" }?["state"] as? String == "completed")
    #expect(hpc.first { $0["id"] as? String == "6366" }?["state"] as? String == "running")
    #expect(jobs.filter { $0["cluster"] as? String == "k8s" }.count == 6)
    let sources = try #require(json["sources"] as? [[String: Any]])
    #expect(sources.count == imports.count)
  }

  @Test(.enabled(if: SharedFixtures.present, "shared/fixtures is absent"))
  func aBadFileExitsTwoNamingWhereAndChangesNothing() throws {
    let db = temporaryFolder().appendingPathComponent("cache.sqlite").path
    let good = fixture("slurmrestd/24.11-v0.0.42/slurm-nodes.json")
    #expect(try factop(["import", "slurm-nodes", good, "--cluster", "hpc"], db: db).status == 0)
    let bad = temporaryFolder().appendingPathComponent("nodes.json")
    try #"{"nodes":[{"name":"x","state":{"oops":1}}]}"#.write(
      to: bad, atomically: true, encoding: .utf8)
    let refused = try factop(["import", "slurm-nodes", good, bad.path, "--cluster", "hpc"], db: db)
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("\(bad.path): at nodes[0].state"))
    let nodes = try #require(try offlineSnapshot(db)["nodes"] as? [[String: Any]])
    #expect(nodes.count == 6)
    // An API answer with no GPU series says what it holds instead.
    let hour = fixture("prometheus-api/slurmweb-gpus-hour.json")
    let counts = try factop(["import", "prometheus-json", hour], db: db)
    #expect(counts.status == 2 && counts.stderr.contains("labels: instance, job, state"))
    let error = fixture("prometheus-api/slurmweb-unknown-path.json")
    let refusedQuery = try factop(["import", "prometheus-json", error], db: db)
    #expect(refusedQuery.status == 2 && refusedQuery.stderr.contains("parse error"))
  }

  /// A Prometheus API answer over DCGM series, as `curl …/api/v1/query` saves it.
  @Test func aPrometheusAnswerOfDCGMSeries() throws {
    let db = temporaryFolder().appendingPathComponent("cache.sqlite").path
    let answer = temporaryFolder().appendingPathComponent("query.json")
    try #"""
    {"status":"success","data":{"resultType":"vector","result":[
      {"metric":{"__name__":"DCGM_FI_DEV_GPU_UTIL","Hostname":"gpu01","UUID":"GPU-1","gpu":"0","modelName":"NVIDIA H200"},"value":[1795552852.482,"87"]},
      {"metric":{"__name__":"DCGM_FI_DEV_POWER_USAGE","hostname":"gpu02.cluster.local","UUID":"GPU-2","gpu":"0","modelName":"NVIDIA H200"},"value":[1795552852.482,"NaN"]}]}}
    """#.write(to: answer, atomically: true, encoding: .utf8)
    let result = try factop(["import", "prometheus-json", answer.path, "--cluster", "p"], db: db)
    #expect(result.status == 0, "\(result.stderr)")
    let gpus = try #require(try offlineSnapshot(db)["gpus"] as? [[String: Any]])
    try #require(gpus.map { $0["node"] as? String } == ["gpu01", "gpu02"])
    #expect(gpus[0]["util_pct"] as? Double == 87 && gpus[1]["power_w"] is NSNull)
  }
}
