import Foundation

/// AMD's device metrics exporter (`/metrics`, Prometheus text): `gpu_*` gauges, one series per
/// GPU (or compute partition). Its labels are upper case in early releases (`GPU_UUID`,
/// `SERIAL_NUMBER`, as the real sample in fixtures/amd has them) and lower case since
/// (`gpu_id`, `serial_number`, `card_model`, `hostname`, `gpu_partition_id`): read either way.
/// The GPUs come out in the shape DCGM's do, so the same inventory places them on nodes.
public enum AMDExporterExposition {
  /// The gauges factop reads. Memory is in MB as the exporter's help text says (read as MiB,
  /// as rocm-smi's MB are).
  static let metrics: Set<String> = [
    "gpu_gfx_activity", "gpu_usage", "gpu_power_usage", "gpu_average_package_power",
    "gpu_package_power", "gpu_junction_temperature", "gpu_edge_temperature", "gpu_used_vram",
    "gpu_ecc_correct_total", "gpu_ecc_uncorrect_total",
  ]

  /// The labels that name an AMD GPU, its partition and the workload on it, in both spellings.
  static let labels = [
    "gpu_uuid", "GPU_UUID", "serial_number", "SERIAL_NUMBER", "gpu_id", "GPU_ID", "card_model",
    "CARD_MODEL", "gpu_partition_id", "GPU_PARTITION_ID", "job_id", "JOB_ID", "instance",
  ]

  public static func parse(_ text: String) -> DCGMExposition.Scrape {
    gpus(from: PrometheusText.samples(text) { $0.hasPrefix("gpu_") })
  }

  public static func gpus(from samples: [PrometheusText.Sample]) -> DCGMExposition.Scrape {
    var gpus: [String: DCGMExposition.GPU] = [:]
    var order: [String] = []
    var unattributable = 0
    for sample in samples where sample.name.hasPrefix("gpu_") {
      let label = { (name: String) in
        nonEmpty(sample.labels[name] ?? sample.labels[name.uppercased()])
      }
      guard let uuid = label("gpu_uuid") ?? label("serial_number") else {
        // `gpu_nodes_total` and the like describe the host, not a GPU.
        unattributable += 1
        continue
      }
      let host = label("hostname") ?? label("instance").map(hostOfTarget)
      let partition = label("gpu_partition_id")
      let key = [host ?? "", uuid, partition ?? ""].joined(separator: "|")
      if gpus[key] == nil {
        order.append(key)
        gpus[key] = DCGMExposition.GPU(
          host: host, uuid: uuid, index: label("gpu_id").flatMap { Int($0) },
          migInstance: partition)
      }
      var gpu = gpus[key]!
      gpu.model = gpu.model ?? label("card_model") ?? label("card_series")
      gpu.namespace = gpu.namespace ?? label("namespace")
      gpu.pod = gpu.pod ?? label("pod")
      gpu.container = gpu.container ?? label("container")
      gpu.hpcJob = gpu.hpcJob ?? label("job_id")
      let value = sample.value.isFinite && sample.value >= 0 ? sample.value : nil
      switch sample.name {
      case "gpu_gfx_activity": gpu.engineActivePct = value
      case "gpu_usage": gpu.utilPct = value
      case "gpu_power_usage", "gpu_package_power": gpu.powerW = value ?? gpu.powerW
      case "gpu_average_package_power": gpu.powerW = gpu.powerW ?? value
      // The junction (hotspot) temperature, else the edge's, as rocm-smi is read.
      case "gpu_junction_temperature": gpu.tempC = value ?? gpu.tempC
      case "gpu_edge_temperature": gpu.tempC = gpu.tempC ?? value
      case "gpu_used_vram": gpu.memUsedMiB = value
      case "gpu_ecc_correct_total": gpu.eccCorrected = value.flatMap { Int(exactly: $0) }
      case "gpu_ecc_uncorrect_total": gpu.eccUncorrected = value.flatMap { Int(exactly: $0) }
      default: break
      }
      gpus[key] = gpu
    }
    // Early releases name no model; every GPU this exporter reports is AMD's.
    let named = order.compactMap { gpus[$0] }.map { gpu in
      var gpu = gpu
      gpu.model = gpu.model ?? "AMD GPU"
      return gpu
    }
    return DCGMExposition.Scrape(gpus: named, unattributable: unattributable)
  }

  /// `10.0.0.7:5000` → `10.0.0.7`: the scrape target's host, where the exporter names none.
  static func hostOfTarget(_ instance: String) -> String {
    if instance.hasPrefix("["), let end = instance.firstIndex(of: "]") {
      return String(instance[instance.index(after: instance.startIndex)..<end])
    }
    return instance.split(separator: ":").count == 2
      ? String(instance.split(separator: ":")[0]) : instance
  }

  private static func nonEmpty(_ value: String?) -> String? {
    value.flatMap { $0.isEmpty ? nil : $0 }
  }
}
