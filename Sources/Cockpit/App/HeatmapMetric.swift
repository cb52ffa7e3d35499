import FleetModel

/// What the GPUs heatmap colours each cell by; `t` cycles through them in this order.
public enum HeatmapMetric: String, Sendable, CaseIterable {
  case activity, sm, power, temperature, memory

  public var next: HeatmapMetric {
    let all = Self.allCases
    return all[(all.firstIndex(of: self)! + 1) % all.count]
  }

  static var names: String { allCases.map(\.title).joined(separator: ", ") }

  public var title: String {
    switch self {
    case .activity: "utilization"
    case .sm: "SM activity"
    case .power: "power % of TDP"
    case .temperature: "temperature"
    case .memory: "memory used"
    }
  }

  /// A GPU's reading as 0…100 on this metric's scale; nil when unknown. Temperature maps
  /// 30…90 °C onto the scale, where 90 °C is near where GPUs begin to throttle.
  public func pct(_ sample: GPUSample?, of gpu: GPU) -> Double? {
    guard let sample else { return nil }
    switch self {
    case .activity: return sample.activity?.pct
    case .sm: return sample.smActivePct
    case .power: return sample.powerW.map { $0 / gpu.model.tdpW * 100 }
    case .temperature: return sample.tempC.map { ($0 - 30) / 60 * 100 }
    case .memory: return sample.memUsedMiB.map { $0 / Double(gpu.model.memoryMiB) * 100 }
    }
  }
}
