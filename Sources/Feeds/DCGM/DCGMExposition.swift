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
    /// ECC errors since the driver loaded, corrected and not (AMD's exporter reports them).
    public var eccCorrected: Int?
    public var eccUncorrected: Int?

    /// The best activity signal: engine activity when reported, else GPU utilization.
    public var activityPct: Double? { engineActivePct ?? utilPct }
  }

  public struct Scrape: Sendable, Equatable {
    public let gpus: [GPU]
    /// Series with no GPU labels at all: unattributable, dropped and counted.
    public let unattributable: Int
  }

  static let metrics: Set<String> = [
    "DCGM_FI_PROF_GR_ENGINE_ACTIVE", "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_PROF_SM_ACTIVE",
    "DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_GPU_TEMP", "DCGM_FI_DEV_FB_USED",
    "DCGM_FI_DEV_SM_CLOCK", "DCGM_FI_DEV_XID_ERRORS",
  ]

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

  public static func gpus(from samples: [PrometheusText.Sample]) -> Scrape {
    var gpus: [String: GPU] = [:]
    var order: [String] = []
    var unattributable = 0
    for sample in samples {
      let labels = sample.labels
      guard let uuid = labels["UUID"] ?? labels["uuid"] else {
        unattributable += 1
        continue
      }
      let host = labels["hostname"] ?? labels["Hostname"]
      let key = [host ?? "", uuid, labels["GPU_I_ID"] ?? ""].joined(separator: "|")
      if gpus[key] == nil {
        order.append(key)
        gpus[key] = GPU(
          host: host, uuid: uuid, index: labels["gpu"].flatMap { Int($0) },
          minorNumber: labels["device"].flatMap(deviceFileNumber),
          pciBusID: nonEmpty(labels["pci_bus_id"]), migInstance: labels["GPU_I_ID"])
      }
      // Labels can be on some series and not others: take each the first time it shows.
      var gpu = gpus[key]!
      gpu.model = gpu.model ?? labels["modelName"]
      gpu.namespace = gpu.namespace ?? nonEmpty(labels["exported_namespace"] ?? labels["namespace"])
      gpu.pod = gpu.pod ?? nonEmpty(labels["exported_pod"] ?? labels["pod"])
      gpu.container =
        gpu.container ?? nonEmpty(labels["exported_container"] ?? labels["container"])
      gpu.hpcJob = gpu.hpcJob ?? nonEmpty(labels["hpc_job"])
      gpus[key] = gpu
      guard metrics.contains(sample.name) else { continue }
      let value = known(sample.value, name: sample.name)
      switch sample.name {
      case "DCGM_FI_PROF_GR_ENGINE_ACTIVE": gpus[key]?.engineActivePct = value.map { $0 * 100 }
      case "DCGM_FI_DEV_GPU_UTIL": gpus[key]?.utilPct = value
      case "DCGM_FI_PROF_SM_ACTIVE": gpus[key]?.smActivePct = value.map { $0 * 100 }
      case "DCGM_FI_DEV_POWER_USAGE": gpus[key]?.powerW = value
      case "DCGM_FI_DEV_GPU_TEMP": gpus[key]?.tempC = value
      case "DCGM_FI_DEV_FB_USED": gpus[key]?.memUsedMiB = value
      case "DCGM_FI_DEV_SM_CLOCK": gpus[key]?.smClockMHz = value
      case "DCGM_FI_DEV_XID_ERRORS":
        gpus[key]?.xidLast = value.flatMap { $0 > 0 ? Int(exactly: $0) : nil }
      default: break
      }
    }
    return Scrape(gpus: order.compactMap { gpus[$0] }, unattributable: unattributable)
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
