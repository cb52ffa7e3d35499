import Foundation

/// dcgm-exporter's `/metrics` (Prometheus text): per-GPU series keyed by host and `UUID` (the
/// `gpu` label is only a per-host index), MIG slices by `GPU_I_ID` as well. Label spellings
/// drift (`Hostname` became `hostname`; some samples spell `uuid`); Kubernetes attribution
/// prefers `exported_*` labels (when Prometheus scraped without `honor_labels`, `pod` is the
/// exporter's own). DCGM's "blank" sentinels mean no data, never a number.
public enum DCGMExposition {
  /// One GPU (or MIG slice) as the exporter reports it. Unknown is nil, never 0.
  public struct GPU: Sendable, Equatable {
    public var host: String?
    public var uuid: String
    /// The `gpu` label: the device's NVML index on its host.
    public var index: Int?
    /// The `device` label's number (`nvidia3`): the device file, `/dev/nvidiaN`.
    public var minorNumber: Int?
    /// The `pci_bus_id` label.
    public var pciBusID: String?
    /// The MIG instance (`GPU_I_ID`), for a slice.
    public var migInstance: String?
    public var model: String?
    /// `DCGM_FI_PROF_GR_ENGINE_ACTIVE` as a percentage: the MIG-safe activity signal.
    public var engineActivePct: Double?
    /// `DCGM_FI_DEV_GPU_UTIL`, which MIG slices do not report.
    public var utilPct: Double?
    public var smActivePct: Double?
    public var powerW: Double?
    public var tempC: Double?
    public var memUsedMiB: Double?
    public var smClockMHz: Double?
    /// The last XID seen (`DCGM_FI_DEV_XID_ERRORS` is a code, not a count); nil when none.
    public var xidLast: Int?
    public var namespace: String?
    public var pod: String?
    public var container: String?
    /// Slurm job id(s), when the exporter maps HPC jobs.
    public var hpcJob: String?
    /// ECC errors since the driver loaded, corrected and not (DCGM's volatile single- and
    /// double-bit totals; AMD's exporter's own).
    public var eccCorrected: Int?
    public var eccUncorrected: Int?
    /// `DCGM_FI_DEV_ROW_REMAP_FAILURE`.
    public var rowRemapFailure: Bool?
    /// NVLink CRC flit, CRC data, replay and recovery error totals, summed over those exported.
    public var nvlinkErrors: Double?
    /// Those errors per second: the `nvlinkErrorRate` series factop asks Prometheus for.
    public var nvlinkErrorsPerS: Double?

    /// The best activity signal: engine activity when reported, else GPU utilization.
    public var activityPct: Double? { engineActivePct ?? utilPct }
  }

  public struct Scrape: Sendable, Equatable {
    public let gpus: [GPU]
    /// Series with no GPU labels at all: unattributable, dropped and counted.
    public let unattributable: Int
  }

  static let metrics: Set<String> = Set([
    "DCGM_FI_PROF_GR_ENGINE_ACTIVE", "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_PROF_SM_ACTIVE",
    "DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_GPU_TEMP", "DCGM_FI_DEV_FB_USED",
    "DCGM_FI_DEV_SM_CLOCK", "DCGM_FI_DEV_XID_ERRORS", "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL",
    "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", "DCGM_FI_DEV_ROW_REMAP_FAILURE",
  ]).union(nvlinkErrorCounters)

  /// NVLink's error counters (commented out of dcgm-exporter's default list: optional).
  static let nvlinkErrorCounters: Set<String> = [
    "DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL",
    "DCGM_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL",
    "DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL", "DCGM_FI_DEV_NVLINK_RECOVERY_ERROR_COUNT_TOTAL",
  ]

  /// The name factop gives the NVLink error counters' summed `rate` in its Prometheus query (no
  /// exporter sends it; the recording-rule spelling says what it is).
  static let nvlinkErrorRate = "factop:dcgm_nvlink_errors:rate5m"

  public static func parse(_ text: String) -> Scrape {
    gpus(from: PrometheusText.samples(text) { $0.hasPrefix("DCGM_FI_") })
  }

  /// The GPUs DCGM series describe, whether scraped from the exporter or answered by
  /// Prometheus. Every DCGM series names its GPU, so any of them makes the GPU known; the values
  /// come from the metrics factop reads.
  /// `nvidia3` → 3; nil for anything else.
  static func deviceFileNumber(_ device: String) -> Int? {
    guard device.hasPrefix("nvidia") else { return nil }
    let digits = device.dropFirst("nvidia".count)
    guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
    return digits.count <= 6 ? Int(digits) : nil
  }

  /// What names one GPU or MIG slice among a scrape's series.
  private struct Key: Hashable {
    let host: String?
    let uuid: String
    let migInstance: String?
  }

  public static func gpus(from samples: [PrometheusText.Sample]) -> Scrape {
    // Each series finds its GPU with one lookup and fills it in place: a fleet's answer has a
    // handful of series per GPU, hundreds of thousands in all.
    var index: [Key: Int] = [:]
    var gpus: [GPU] = []
    var unattributable = 0
    for sample in samples {
      let labels = sample.labels
      guard let uuid = labels["UUID"] ?? labels["uuid"] else {
        unattributable += 1
        continue
      }
      let host = labels["hostname"] ?? labels["Hostname"]
      let key = Key(host: host, uuid: uuid, migInstance: labels["GPU_I_ID"])
      let i: Int
      if let known = index[key] {
        i = known
      } else {
        i = gpus.count
        index[key] = i
        gpus.append(
          GPU(
            host: host, uuid: uuid, index: labels["gpu"].flatMap { Int($0) },
            minorNumber: labels["device"].flatMap(deviceFileNumber),
            pciBusID: nonEmpty(labels["pci_bus_id"]), migInstance: key.migInstance))
      }
      // Labels can be on some series and not others: take each the first time it shows.
      if gpus[i].model == nil { gpus[i].model = labels["modelName"] }
      if gpus[i].namespace == nil {
        gpus[i].namespace = nonEmpty(labels["exported_namespace"] ?? labels["namespace"])
      }
      if gpus[i].pod == nil { gpus[i].pod = nonEmpty(labels["exported_pod"] ?? labels["pod"]) }
      if gpus[i].container == nil {
        gpus[i].container = nonEmpty(labels["exported_container"] ?? labels["container"])
      }
      if gpus[i].hpcJob == nil { gpus[i].hpcJob = nonEmpty(labels["hpc_job"]) }
      if sample.name == nvlinkErrorRate {
        gpus[i].nvlinkErrorsPerS = sample.value.isFinite && sample.value >= 0 ? sample.value : nil
      }
      guard metrics.contains(sample.name) else { continue }
      let value = known(sample.value, name: sample.name)
      switch sample.name {
      case "DCGM_FI_PROF_GR_ENGINE_ACTIVE": gpus[i].engineActivePct = value.map { $0 * 100 }
      case "DCGM_FI_DEV_GPU_UTIL": gpus[i].utilPct = value
      case "DCGM_FI_PROF_SM_ACTIVE": gpus[i].smActivePct = value.map { $0 * 100 }
      case "DCGM_FI_DEV_POWER_USAGE": gpus[i].powerW = value
      case "DCGM_FI_DEV_GPU_TEMP": gpus[i].tempC = value
      case "DCGM_FI_DEV_FB_USED": gpus[i].memUsedMiB = value
      case "DCGM_FI_DEV_SM_CLOCK": gpus[i].smClockMHz = value
      case "DCGM_FI_DEV_XID_ERRORS":
        gpus[i].xidLast = value.flatMap { $0 > 0 ? Int(exactly: $0) : nil }
      case "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL":
        gpus[i].eccCorrected = value.flatMap { Int(exactly: $0) }
      case "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL":
        gpus[i].eccUncorrected = value.flatMap { Int(exactly: $0) }
      case "DCGM_FI_DEV_ROW_REMAP_FAILURE": gpus[i].rowRemapFailure = value.map { $0 > 0 }
      default:
        if nvlinkErrorCounters.contains(sample.name), let value {
          gpus[i].nvlinkErrors = (gpus[i].nvlinkErrors ?? 0) + value
        }
      }
    }
    return Scrape(gpus: gpus, unattributable: unattributable)
  }

  /// The value, or nil for DCGM's blanks: 32-bit fields (utilization, temperature, clocks) at
  /// or above 2147483632, anything at or above 2⁴⁷ (the float blank, below the int64 ones).
  static func known(_ value: Double, name: String) -> Double? {
    guard value.isFinite, value >= 0 else { return nil }
    let thirtyTwoBit = ["GPU_UTIL", "GPU_TEMP", "SM_CLOCK", "XID_ERRORS"].contains {
      name.hasSuffix($0)
    }
    if thirtyTwoBit, value >= 2_147_483_632 { return nil }
    return value >= 140_737_488_355_328 ? nil : value
  }

  private static func nonEmpty(_ value: String?) -> String? {
    value.flatMap { $0.isEmpty ? nil : $0 }
  }
}
