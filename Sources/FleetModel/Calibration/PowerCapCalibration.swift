/// One measurement of a power-limit sweep (the Zeus format): a training configuration run at one
/// GPU power limit, with its epoch time and average GPU power.
public struct PowerSweepSample: Sendable, Hashable {
  /// The configuration's identity (dataset, network, batch size, optimizer, …).
  public let configuration: [String]
  public let powerLimitW: Double
  public let timePerEpochS: Double
  public let averagePowerW: Double

  public init(
    configuration: [String], powerLimitW: Double, timePerEpochS: Double, averagePowerW: Double
  ) {
    self.configuration = configuration
    self.powerLimitW = powerLimitW
    self.timePerEpochS = timePerEpochS
    self.averagePowerW = averagePowerW
  }

  /// GPU energy per epoch, in joules.
  public var energyJ: Double { timePerEpochS * averagePowerW }
}

/// What capping GPU power at one limit does, as the median over the configurations measured.
public struct PowerCapLevel: Sendable, Hashable, Encodable {
  public let powerLimitW: Double
  /// GPU energy saved per unit of work against the same configuration at its highest limit (%).
  public let energySavedPct: Double
  /// Extra time per unit of work against the same baseline (%).
  public let slowdownPct: Double
  /// How many configurations were measured at this limit.
  public let configs: Int

  enum CodingKeys: String, CodingKey {
    case powerLimitW = "power_limit_w"
    case energySavedPct = "energy_saved_pct"
    case slowdownPct = "slowdown_pct"
    case configs
  }
}

/// The power-cap curve of a measured sweep: per power limit, the median energy saved and slowdown
/// over the configurations, each compared with itself at its highest limit. Savings are GPU
/// energy only; a fleet projection scales them by the GPU share of node power and by PUE.
public struct PowerCapCalibration: Sendable, Hashable, Encodable {
  public let levels: [PowerCapLevel]

  public init(samples: [PowerSweepSample]) {
    let byConfiguration = Dictionary(grouping: samples, by: \.configuration)
    var savedByLimit: [Double: [Double]] = [:]
    var slowdownByLimit: [Double: [Double]] = [:]
    for runs in byConfiguration.values {
      guard let baseline = runs.max(by: { $0.powerLimitW < $1.powerLimitW }),
        baseline.energyJ > 0, baseline.timePerEpochS > 0
      else { continue }
      for run in runs {
        savedByLimit[run.powerLimitW, default: []].append(
          (1 - run.energyJ / baseline.energyJ) * 100)
        slowdownByLimit[run.powerLimitW, default: []].append(
          (run.timePerEpochS / baseline.timePerEpochS - 1) * 100)
      }
    }
    levels = savedByLimit.keys.sorted().map { limit in
      PowerCapLevel(
        powerLimitW: limit, energySavedPct: Self.median(savedByLimit[limit]!),
        slowdownPct: Self.median(slowdownByLimit[limit]!), configs: savedByLimit[limit]!.count)
    }
  }

  static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }
}
