import Feeds
import FleetModel
import Foundation
import TestSupport
import Testing

/// AMD's device metrics exporter, pinned by the real sample in ../shared/fixtures/amd/ (its
/// early upper-case labels), and read through a real Prometheus beside dcgm-exporter series.
@Suite(
  .enabled(
    if: FileManager.default.fileExists(atPath: fixtures.appendingPathComponent("amd").path),
    "shared/fixtures is absent"))
struct AMDExporterTests {
  func sample() throws -> String {
    try String(
      contentsOf: fixtures.appendingPathComponent("amd/device-metrics-exporter-metrics_mini.txt"),
      encoding: .utf8)
  }

  @Test func theRealSampleIsOneGPUAt41Watts() throws {
    let scrape = AMDExporterExposition.parse(try sample())
    #expect(scrape.gpus.count == 1)
    // `gpu_nodes_total` names no GPU.
    #expect(scrape.unattributable == 1)
    let gpu = try #require(scrape.gpus.first)
    #expect(gpu.uuid == "6699c0a8-4200-4242-037f-f97e6cae0f09")
    #expect(gpu.powerW == 41 && gpu.utilPct == 0)
    // Not reported by this sample: unknown, never 0.
    #expect(gpu.tempC == nil && gpu.memUsedMiB == nil && gpu.engineActivePct == nil)
  }

  /// Today's lower-case labels: the host, the GPU's index and model, a partition, ECC counts,
  /// and the hotspot temperature preferred to the edge's.
  @Test func lowerCaseLabelsNameTheHostIndexAndModel() {
    let labels =
      #"gpu_id="3",gpu_uuid="b5ff",serial_number="692247001282",card_model="AMD Instinct MI300X","#
      + #"hostname="mi-node-7",gpu_partition_id="0""#
    let text = """
      gpu_gfx_activity{\(labels)} 87
      gpu_power_usage{\(labels)} 612
      gpu_edge_temperature{\(labels)} 51
      gpu_junction_temperature{\(labels)} 64
      gpu_used_vram{\(labels)} 150000
      gpu_ecc_correct_total{\(labels)} 2
      gpu_ecc_uncorrect_total{\(labels)} 0
      """
    let gpu = AMDExporterExposition.parse(text).gpus[0]
    #expect(gpu.host == "mi-node-7" && gpu.index == 3 && gpu.uuid == "b5ff")
    #expect(gpu.model == "AMD Instinct MI300X" && gpu.migInstance == "0")
    #expect(gpu.activityPct == 87 && gpu.powerW == 612 && gpu.tempC == 64)
    #expect(gpu.memUsedMiB == 150_000 && gpu.eccCorrected == 2 && gpu.eccUncorrected == 0)
    let layout = ClusterLayout(
      cluster: Cluster(name: "amd", scheduler: .slurm, site: "lab", pricing: .owned))
    let state = DCGMInventory.state([gpu], layout: layout, at: Date(timeIntervalSince1970: 0))
    #expect(state.gpus.map(\.model.vendor) == ["AMD"])
    #expect(state.gpus.map(\.model.tdpW) == [GPUModel.mi300x.tdpW])
    #expect(state.gpuSamples.values.first?.eccSingleBit == 2)
  }

  /// One Prometheus scraping the real AMD sample and an NVIDIA GPU: one query brings both.
  @Test(.requires(PrometheusServer.programs))
  func prometheusAnswersForAMDAndNVIDIAInOneQuery() async throws {
    let nvidia = #"gpu="0",UUID="GPU-aaaa-0",Hostname="node1",modelName="NVIDIA H100 80GB HBM3""#
    let metrics = try sample() + "DCGM_FI_DEV_GPU_UTIL{\(nvidia)} 55\n"
    let prometheus = try await PrometheusServer.start(metrics: metrics)
    defer { prometheus.stop() }
    let feed = PrometheusFeed(
      name: "test/prometheus",
      layout: ClusterLayout(
        cluster: Cluster(name: "test", scheduler: .slurm, site: "lab", pricing: .owned)),
      http: try HTTPSource(base: prometheus.url, user: nil, password: nil, caFile: nil),
      intervalS: 10)
    var state = FleetState()
    let deadline = Date().addingTimeInterval(120)
    while Date() < deadline {
      state = try await feed.poll(at: Date())
      if state.gpus.count == 2 { break }
      try await Task.sleep(for: .milliseconds(200))
    }
    try #require(state.gpus.count == 2, "the first scrape never arrived: \(prometheus.diagnosis)")
    let amd = try #require(state.gpus.first { $0.uuid == "6699c0a8-4200-4242-037f-f97e6cae0f09" })
    // The sample names no host: the GPU is on the scrape target's.
    #expect(amd.node.name == "127.0.0.1")
    #expect(amd.model.vendor == "AMD")
    #expect(state.gpuSamples[amd.id]?.powerW == 41 && state.gpuSamples[amd.id]?.utilPct == 0)
    let h100 = try #require(state.gpus.first { $0.uuid == "GPU-aaaa-0" })
    #expect(state.gpuSamples[h100.id]?.utilPct == 55)
  }
}
