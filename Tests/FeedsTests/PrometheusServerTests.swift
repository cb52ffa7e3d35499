import Feeds
import FleetModel
import Foundation
import TestSupport
import Testing

/// The Prometheus feed against a real Prometheus 2.42 (Debian's), started here on 127.0.0.1:
/// it scrapes a dcgm-exporter-style file written by the test, and holds 24 h of history that
/// `promtool tsdb create-blocks-from openmetrics` wrote before it started. Two hosts spell the
/// host label both ways (`Hostname`, May 2026's `hostname`); one GPU is split into MIG slices
/// that report engine activity and no GPU utilization; one carries `exported_*` pod labels.
@Suite(.serialized) struct PrometheusServerTests {
  /// `node1` (old `Hostname`) with two GPUs, `node2` (new `hostname`) with one GPU in two slices.
  static func series(util: [Double], engine: [Double], power: Double) -> [(String, String, Double)]
  {
    let a = #"gpu="0",UUID="GPU-aaaa-0",Hostname="node1",modelName="NVIDIA H100 80GB HBM3""#
    let b = #"gpu="1",UUID="GPU-aaaa-1",Hostname="node1",modelName="NVIDIA H100 80GB HBM3""#
    let pod = #",exported_namespace="llm",exported_pod="train-0",pod="dcgm-exporter-x""#
    let mig = #"gpu="0",UUID="GPU-bbbb-0",hostname="node2",modelName="NVIDIA A100-SXM4-80GB""#
    return [
      ("DCGM_FI_DEV_GPU_UTIL", a + pod, util[0]), ("DCGM_FI_DEV_GPU_UTIL", b, util[1]),
      ("DCGM_FI_DEV_POWER_USAGE", a + pod, power), ("DCGM_FI_DEV_POWER_USAGE", b, power),
      ("DCGM_FI_PROF_GR_ENGINE_ACTIVE", mig + #",GPU_I_PROFILE="3g.40gb",GPU_I_ID="1""#, engine[0]),
      ("DCGM_FI_PROF_GR_ENGINE_ACTIVE", mig + #",GPU_I_PROFILE="3g.40gb",GPU_I_ID="2""#, engine[1]),
      ("DCGM_FI_DEV_POWER_USAGE", mig + #",GPU_I_PROFILE="3g.40gb",GPU_I_ID="1""#, 250),
    ]
  }

  @Test(.requires(PrometheusServer.programs))
  func instantAndRangeQueriesOverLiveAndBackfilledData() async throws {
    // 24 h of history at 5-minute steps, ending an hour ago: every GPU at 40 %, slices at 0.25.
    let now = Date()
    let end = Int(now.timeIntervalSince1970) - 3_600
    var history = ""
    let past = Self.series(util: [40, 40], engine: [0.25, 0.25], power: 300)
    for name in Set(past.map(\.0)).sorted() {
      history += "# TYPE \(name) gauge\n"
      for (metric, labels, value) in past where metric == name {
        for t in stride(from: end - 24 * 3_600, through: end, by: 300) {
          history += "\(name){\(labels),job=\"dcgm\",instance=\"history\"} \(value) \(t)\n"
        }
      }
    }
    history += "# EOF\n"
    // Now: 87 % and 12 %, slices at 0.5 and 0.3.
    var live = ""
    for (name, labels, value) in Self.series(util: [87, 12], engine: [0.5, 0.3], power: 612.5) {
      live += "\(name){\(labels)} \(value)\n"
    }
    let prometheus = try await PrometheusServer.start(metrics: live, history: history)
    defer { prometheus.stop() }

    let layout = ClusterLayout(
      cluster: Cluster(name: "test", scheduler: .slurm, site: "lab", pricing: .owned))
    let feed = PrometheusFeed(
      name: "test/prometheus", layout: layout,
      http: try HTTPSource(
        base: prometheus.url, user: nil, password: nil, caFile: nil),
      intervalS: 10)

    // The first scrape lands ~5 s after start, far later on a loaded CI machine: poll for it,
    // never sleep a fixed time.
    var state = FleetState()
    let aaaa0 = GPUID(node: NodeID(cluster: "test", name: "node1"), index: 0)
    let aaaa1 = GPUID(node: NodeID(cluster: "test", name: "node1"), index: 1)
    let bbbb0 = GPUID(node: NodeID(cluster: "test", name: "node2"), index: 0)
    let deadline = Date().addingTimeInterval(120)
    while Date() < deadline {
      state = try await feed.poll(at: Date())
      if state.gpuSamples[aaaa0]?.utilPct == 87 { break }
      try await Task.sleep(for: .milliseconds(200))
    }
    #expect(state.nodes.map(\.name) == ["node1", "node2"])
    #expect(state.nodes.allSatisfy { $0.state == .unknown && $0.cluster == "test" })
    #expect(state.gpus.map(\.uuid) == ["GPU-aaaa-0", "GPU-aaaa-1", "GPU-bbbb-0"])
    #expect(state.gpus.map(\.index) == [0, 1, 0])
    try #require(
      state.gpus.count == 3, "the first scrape never arrived: \(prometheus.diagnosis)")
    #expect(state.gpus[0].model.name == "NVIDIA H100 80GB HBM3")
    #expect(state.gpus[0].model.tdpW == GPUModel.h100SXM.tdpW)
    #expect(state.gpuSamples[aaaa0]?.utilPct == 87)
    #expect(state.gpuSamples[aaaa1]?.utilPct == 12)
    #expect(state.gpuSamples[aaaa0]?.powerW == 612.5)
    // The MIG GPU: no GPU_UTIL, its slices' engine activity averaged (50 % and 30 %).
    let mig = try #require(state.gpuSamples[bbbb0])
    #expect(abs((mig.utilPct ?? 0) - 40) < 1e-9 && mig.powerW == 250)

    // Twelve hours ago, one instant query: the backfilled values.
    let earlier = try await feed.poll(at: now.addingTimeInterval(-12 * 3_600))
    #expect(earlier.gpus.count == 3)
    #expect(earlier.gpuSamples[aaaa1]?.utilPct == 40)
    #expect(earlier.gpuSamples[aaaa0]?.powerW == 300)

    // The last day as one range query at hourly steps: 23 steps up to two hours ago, all of
    // them backfilled.
    let day = try await feed.history(
      from: now.addingTimeInterval(-24 * 3_600), to: now.addingTimeInterval(-3_700), stepS: 3_600)
    #expect(day.count == 23)
    #expect(day.allSatisfy { $0.1.gpus.count == 3 })
    #expect(day.allSatisfy { $0.1.gpuSamples[aaaa0]?.utilPct == 40 })
    #expect(day.allSatisfy { abs(($0.1.gpuSamples[bbbb0]?.utilPct ?? 0) - 25) < 1e-9 })

    // A selector for another cluster's series finds nothing: an empty fleet, not an error.
    let other = PrometheusFeed(
      name: "other", layout: layout,
      http: try HTTPSource(
        base: prometheus.url, user: nil, password: nil, caFile: nil),
      selector: #"cluster="elsewhere""#, intervalS: 10)
    #expect(try await other.poll(at: Date()).gpus.isEmpty)
    // A bad selector: Prometheus' own words come back in the error.
    let bad = PrometheusFeed(
      name: "bad", layout: layout,
      http: try HTTPSource(
        base: prometheus.url, user: nil, password: nil, caFile: nil),
      selector: "cluster=", intervalS: 10)
    await #expect {
      _ = try await bad.poll(at: Date())
    } throws: { error in
      "\(error)".contains("HTTP 400") && "\(error)".contains("parse error")
    }
  }
}

/// The recording rules shipped for large fleets are valid for Prometheus' own checker.
@Suite struct RecordingRulesTests {
  @Test(.requires(PrometheusServer.promtool)) func promtoolAcceptsTheShippedRules() throws {
    let rules = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("docs/prometheus/recording-rules.yml")
    let log = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-promtool-\(UUID().uuidString).log")
    defer { try? FileManager.default.removeItem(at: log) }
    let pid = try spawnWithEmptySignalMask(
      [PrometheusServer.promtool, "check", "rules", rules.path], output: log.path)
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    let said = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    #expect((status >> 8) & 0xff == 0, "\(said)")
    #expect(said.contains("SUCCESS: 10 rules found"))
  }
}
