/// The thresholds the detectors use; each is a judgement an operator can read and argue with.
public struct SavingsRules: Sendable, Hashable {
  /// GPUs under this activity (%) do no useful work.
  public var busyThresholdPct = FleetSummary.defaultBusyThresholdPct
  /// Jobs smaller than this are left alone by the idle detector (notebooks come and go).
  public var idleMinGPUs = 8
  /// The busiest-hour activity (%) a right-sized inference deployment should reach.
  public var inferenceTargetPeakPct = 60.0
  /// Right-sizing is worth raising only when it frees at least this share of a deployment.
  public var inferenceMinCutShare = 0.2
  /// Moving a deployment to a managed endpoint is worth raising only when it saves at least this
  /// share of what the deployment would cost right-sized on its own GPUs: a migration has costs
  /// of its own. Onto another accelerator (Inferentia, another GPU) the model is recompiled and
  /// benchmarked again and its throughput is inferred, not measured, so the bar is higher.
  public var managedMinSavingShare = 0.1
  public var managedOtherAcceleratorMinSavingShare = 0.3
  /// A GPU slower than this share of its job's median holds the job back.
  public var stragglerRatio = 0.75
  /// Jobs under this median activity (%) are checkpointing or starting: no straggler verdict.
  public var stragglerMinMedianPct = 30.0
  public var stragglerMinGPUs = 32
  /// Hours out of service after which a node is capacity paid for and lost.
  public var outOfServiceHours = 24.0
  /// Node failures per 1,000 node-days assumed for failure waste (Meta RSC-1 measured 6.5).
  public var failuresPer1000NodeDays = 6.5
  /// Assumed when a job's checkpoints cannot be seen in its activity, and their stall and restart.
  public var assumedCheckpointIntervalMin = 60.0
  public var checkpointCostMin = 1.0
  public var restartMin = 5.0
  /// What capping GPU power does (energy saved and slowdown per limit); `standard` unless a
  /// measured sweep is configured.
  public var powerCap = PowerCapCurve.standard
  /// GPUs drawing at least this share of TDP are worth capping.
  public var powerCapMinLoad = 0.8
  /// XIDs that mean failing hardware, not a failing program: 48 double-bit ECC, 63/64 row
  /// remapping, 74 NVLink, 79 fallen off the bus, 92 high single-bit ECC rate, 94/95 contained
  /// and uncontained ECC, 119/120 GSP (NVIDIA's XID catalog).
  public var hardwareXIDs: Set<Int> = [48, 63, 64, 74, 79, 92, 94, 95, 119, 120]
  /// Failures a month assumed for a node already showing hardware faults.
  public var lemonFailuresPerMonth = 2.0
  /// The fleet's own failure record, once the incident log has enough of it: it replaces the
  /// two assumed rates above, and the detectors say which they used.
  public var observedFailures: ObservedFailures?
  /// Spot preemptions a month assumed when judging checkpointed work for spot capacity.
  public var spotPreemptionsPerMonth = 10.0
  /// Failure waste worth raising: at least this share of the job's cost.
  public var failureWasteMinShare = 0.02
  /// History a detector judging a day's shape (peaks, steady baselines) needs before it speaks.
  public var dailyShapeMinHours = 20.0
  /// How the ledger follows what the finder raises.
  public var ledger = LedgerRules()

  public init() {}
}

/// Failure rates the incident log measured.
public struct ObservedFailures: Sendable, Hashable {
  public var per1000NodeDays: Double
  /// The same, per GPU model whose nodes failed within the record.
  public var per1000NodeDaysByModel: [String: Double]
  /// Days of the record.
  public var days: Double
  /// Failures a month of each node that failed within the record.
  public var perNodePerMonth: [NodeID: Double]

  public init(
    per1000NodeDays: Double, per1000NodeDaysByModel: [String: Double] = [:], days: Double,
    perNodePerMonth: [NodeID: Double]
  ) {
    self.per1000NodeDays = per1000NodeDays
    self.per1000NodeDaysByModel = per1000NodeDaysByModel
    self.days = days
    self.perNodePerMonth = perNodePerMonth
  }
}

extension SavingsRules {
  /// Node failures per 1,000 node-days of nodes with `model` GPUs (the fleet's, where that
  /// model's nodes have not failed), and where the figure comes from.
  func nodeFailureRate(model: String? = nil) -> (per1000NodeDays: Double, source: String) {
    guard let observed = observedFailures else { return (failuresPer1000NodeDays, "assumed") }
    let days = Detectors.format(observed.days, 0)
    if let model, let rate = observed.per1000NodeDaysByModel[model] {
      return (rate, "observed on \(model) nodes over \(days) days of incidents")
    }
    return (observed.per1000NodeDays, "observed over \(days) days of incidents")
  }
}

/// The ranked savings and the 1 % line.
public struct SavingsReport: Sendable, Hashable, Encodable {
  public struct OnePercentLine: Sendable, Hashable, Encodable {
    /// 1 % of monthly spend.
    public let usdPerMonth: Double
    /// Whether the opportunities together reach it.
    public let reached: Bool
    /// How many of the top-ranked opportunities it takes to reach it (all of them if never).
    public let opportunities: Int

    enum CodingKeys: String, CodingKey {
      case usdPerMonth = "usd_per_month"
      case reached, opportunities
    }
  }

  public let spendUSDPerMonth: Double
  public let onePercentLine: OnePercentLine
  /// Ranked by dollars per month, largest first.
  public let opportunities: [Opportunity]

  enum CodingKeys: String, CodingKey {
    case spendUSDPerMonth = "spend_usd_per_month"
    case onePercentLine = "one_percent_line"
    case opportunities
  }
}

/// Runs every detector over the fleet and ranks what they find.
public enum SavingsFinder {
  typealias Detector =
    @Sendable (SavingsContext, SavingsContext.Index, SavingsRules) -> [Opportunity]

  static let detectors: [Detector] = [
    Detectors.idleAllocation, Detectors.overprovisionedInference, Detectors.straggler,
    Detectors.outOfServiceCapacity, Detectors.pricingMix, Detectors.strandedCapacity,
    Detectors.failureWaste, Detectors.powerCap, Detectors.lemonNode, Detectors.spotForCheckpointed,
    Detectors.undeclaredCapacity, Detectors.declaredNotRunning, Detectors.managedEndpoint,
  ]

  public static func find(_ context: SavingsContext, rules: SavingsRules = SavingsRules())
    -> SavingsReport
  {
    let index = SavingsContext.Index(context.state)
    let spend = context.spendUSDPerMonth
    var found = detectors.flatMap { $0(context, index, rules) }.filter { $0.usdPerMonth > 0 }
    found.sort { ($0.usdPerMonth, $1.scope) > ($1.usdPerMonth, $0.scope) }
    for i in found.indices {
      found[i].pctOfSpend = spend > 0 ? found[i].usdPerMonth / spend * 100 : 0
    }
    let line = spend * 0.01
    var running = 0.0
    var needed = found.count
    for (i, opportunity) in found.enumerated() {
      running += opportunity.usdPerMonth
      if running >= line {
        needed = i + 1
        break
      }
    }
    return SavingsReport(
      spendUSDPerMonth: spend,
      onePercentLine: .init(
        usdPerMonth: line, reached: running >= line && line > 0, opportunities: needed),
      opportunities: found)
  }
}
