import Feeds
import Foundation
import Testing

let dcgmScrape = fixtures.appendingPathComponent("dcgm-exporter/datadog-dcgm-metrics.txt")
let dcgmCounters = fixtures.appendingPathComponent("dcgm-exporter/nvidia-default-counters.csv")

@Suite struct DCGMExpositionTests {
  /// Real scrapes: two Tesla T4 hosts (drivers 460 and 470) and an A10G with Kubernetes labels,
  /// plus a block of label-less dummy series (the file's `# NOTE`s).
  @Test(
    .enabled(
      if: FileManager.default.fileExists(atPath: dcgmScrape.path), "shared/fixtures is absent"))
  func theSharedScrapes() throws {
    let scrape = DCGMExposition.parse(try String(contentsOf: dcgmScrape, encoding: .utf8))
    #expect(scrape.gpus.map(\.host) == ["424773df46e0", "551bdf382151", "ip-11111"])
    // Both T4 hosts call their GPU gpu="0": keyed by host and UUID, they stay two GPUs.
    #expect(
      scrape.gpus.map(\.uuid) == [
        "GPU-20c56d28-0da5-6d26-a36a-e7af1ce2586e", "GPU-9ef1b6d0-3643-5dd7-b823-c0ec20dcf2d5",
        "GPU-abc",
      ])
    let t4 = scrape.gpus[0]
    #expect(t4.model == "Tesla T4" && t4.powerW == 8.969 && t4.tempC == 25)
    #expect(t4.utilPct == 0 && t4.memUsedMiB == 0 && t4.xidLast == nil)
    let a10g = scrape.gpus[2]
    #expect(a10g.model == "NVIDIA A10G" && a10g.namespace == "ray-llm")
    #expect(a10g.pod == "ray-1111111" && a10g.container == "ray-worker")
    // Its only series here is DRAM activity, which factop does not read: nothing else known.
    #expect(a10g.powerW == nil && a10g.activityPct == nil)
    #expect(scrape.unattributable > 0)
  }

  /// The health fields factop reads are those dcgm-exporter's own counter list names (its
  /// NVLink error counters commented out by default: optional), read as a scrape writes them.
  @Test(
    .enabled(
      if: FileManager.default.fileExists(atPath: dcgmCounters.path), "shared/fixtures is absent"))
  func eccRowRemapAndNVLinkErrorFieldsAsTheExporterNamesThem() throws {
    let list = try String(contentsOf: dcgmCounters, encoding: .utf8)
    let fields = [
      "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL",
      "DCGM_FI_DEV_ROW_REMAP_FAILURE", "DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL",
      "DCGM_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL",
      "DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL",
      "DCGM_FI_DEV_NVLINK_RECOVERY_ERROR_COUNT_TOTAL",
    ]
    for field in fields { #expect(list.contains(field), "\(field)") }
    let labels = #"gpu="0",UUID="GPU-1",Hostname="n1""#
    let scrape = DCGMExposition.parse(
      """
      DCGM_FI_DEV_ECC_SBE_VOL_TOTAL{\(labels)} 12
      DCGM_FI_DEV_ECC_DBE_VOL_TOTAL{\(labels)} 1
      DCGM_FI_DEV_ROW_REMAP_FAILURE{\(labels)} 1
      DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL{\(labels)} 3
      DCGM_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL{\(labels)} 4
      DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL{\(labels)} 5
      DCGM_FI_DEV_NVLINK_RECOVERY_ERROR_COUNT_TOTAL{\(labels)} 6
      DCGM_FI_DEV_GPU_UTIL{gpu="1",UUID="GPU-2",Hostname="n1"} 40
      """)
    let gpu = try #require(scrape.gpus.first)
    #expect(gpu.eccCorrected == 12 && gpu.eccUncorrected == 1 && gpu.rowRemapFailure == true)
    #expect(gpu.nvlinkErrors == 18)
    // A GPU that does not export them has them unknown, never 0.
    let other = try #require(scrape.gpus.last)
    #expect(
      other.nvlinkErrors == nil && other.rowRemapFailure == nil && other.eccUncorrected == nil)
    #expect(gpu.nvlinkErrorsPerS == nil && other.nvlinkErrorsPerS == nil)
    // Their rate is what factop's Prometheus query adds (the real server evaluates it in
    // ReferenceFactoryTests); it lands on the GPU its labels name.
    let withRate = DCGMExposition.gpus(
      from: PrometheusText.samples(
        """
        DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL{\(labels)} 5
        factop:dcgm_nvlink_errors:rate5m{\(labels),factop="rate"} 0.25
        """, where: { _ in true }))
    #expect(withRate.gpus.map(\.nvlinkErrorsPerS) == [0.25])
  }

  @Test func labelSpellingsMIGSlicesSentinelsAndExportedLabels() {
    let text = """
      DCGM_FI_PROF_GR_ENGINE_ACTIVE{gpu="0",UUID="GPU-1",GPU_I_ID="3",GPU_I_PROFILE="1g.10gb",hostname="n1",pod="dcgm-exporter-x",exported_pod="train-7",exported_namespace="ml"} 0.25
      DCGM_FI_PROF_GR_ENGINE_ACTIVE{gpu="0",UUID="GPU-1",GPU_I_ID="4",hostname="n1"} 0.5
      DCGM_FI_DEV_GPU_UTIL{gpu="1",uuid="GPU-2",Hostname="n1"} 40
      DCGM_FI_DEV_GPU_TEMP{gpu="1",uuid="GPU-2",Hostname="n1"} 2147483647
      DCGM_FI_DEV_POWER_USAGE{gpu="1",uuid="GPU-2",Hostname="n1"} 9223372036854775794
      DCGM_FI_DEV_XID_ERRORS{gpu="1",uuid="GPU-2",Hostname="n1",hpc_job="4242"} 79
      """
    let gpus = DCGMExposition.parse(text).gpus
    #expect(gpus.map(\.migInstance) == ["3", "4", nil])
    #expect(gpus[0].activityPct == 25 && gpus[1].activityPct == 50)
    #expect(gpus[0].pod == "train-7" && gpus[0].namespace == "ml")
    #expect(gpus[2].activityPct == 40 && gpus[2].tempC == nil && gpus[2].powerW == nil)
    #expect(gpus[2].xidLast == 79 && gpus[2].hpcJob == "4242")
  }
}
