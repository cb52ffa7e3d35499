import Foundation

/// What on-call wants to be told about, from `[alerts]` in the config. Every rule is off until
/// set.
public struct AlertRules: Sendable, Hashable {
  /// More allocated-but-idle GPUs than this…
  public var idleAllocatedGPUs: Int?
  /// …for at least this many minutes.
  public var idleMinutes: Double = 30
  /// A site or rack drawing more than its power budget.
  public var powerOverBudget = false
  /// More nodes down than this.
  public var nodesDown: Int?
  /// A source failing or stale.
  public var staleSource = false
  /// The month's spend (to date plus the rest of the month at the run-rate) above this.
  public var spendUSDPerMonth: Double?

  public init() {}

  public var isEmpty: Bool {
    idleAllocatedGPUs == nil && !powerOverBudget && nodesDown == nil && !staleSource
      && spendUSDPerMonth == nil
  }
}

/// A rule that does not hold, with what was measured against what was allowed.
public struct AlertBreach: Sendable, Hashable, Encodable {
  public let alert: String
  public let scope: String
  public let value: Double
  public let threshold: Double
  public let message: String
}

/// What the alert rules are checked against: the present, and the history they need.
public struct AlertInputs: Sendable {
  public var fleet: FleetTotals
  public var power: PowerRollup
  public var sources: [SourceHealth]
  /// The fewest allocated-but-idle GPUs in each minute, oldest first.
  public var idleAllocatedByMinute: [(time: Date, value: Double)]
  public var spendMonthToDateUSD: Double?
  public var now: Date

  public init(
    fleet: FleetTotals, power: PowerRollup, sources: [SourceHealth],
    idleAllocatedByMinute: [(time: Date, value: Double)], spendMonthToDateUSD: Double?,
    now: Date
  ) {
    self.fleet = fleet
    self.power = power
    self.sources = sources
    self.idleAllocatedByMinute = idleAllocatedByMinute
    self.spendMonthToDateUSD = spendMonthToDateUSD
    self.now = now
  }
}

extension AlertRules {
  /// Every breach, in rule order.
  public func check(_ inputs: AlertInputs) -> [AlertBreach] {
    var breaches: [AlertBreach] = []
    if let limit = idleAllocatedGPUs {
      // Breached when every minute of the window (and now) had more idle GPUs than allowed.
      let since = inputs.now.addingTimeInterval(-idleMinutes * 60)
      let window = inputs.idleAllocatedByMinute.filter { $0.time >= since }
      let covers = inputs.idleAllocatedByMinute.contains { $0.time <= since.addingTimeInterval(60) }
      let fewest = (window.map(\.value) + [Double(inputs.fleet.gpusIdleAllocated)]).min() ?? 0
      if covers, fewest > Double(limit) {
        breaches.append(
          AlertBreach(
            alert: "idle_allocated_gpus", scope: "fleet", value: fewest, threshold: Double(limit),
            message:
              "at least \(Int(fewest)) allocated GPUs idle for \(Int(idleMinutes)) min (limit \(limit))"
          ))
      }
    }
    if powerOverBudget {
      for site in inputs.power.sites {
        let entries =
          [site.entry] + site.clusters.flatMap { $0.racks.map(\.entry) }
        for entry in entries {
          guard let budget = entry.budgetW, let it = entry.itW, it > budget else { continue }
          breaches.append(
            AlertBreach(
              alert: "power_over_budget", scope: "\(entry.level.rawValue)/\(entry.name)",
              value: it, threshold: budget,
              message:
                "\(entry.level.rawValue) \(entry.name) draws \(Int(it / 1_000)) kW, budget \(Int(budget / 1_000)) kW"
            ))
        }
      }
    }
    if let limit = nodesDown {
      let down = inputs.fleet.nodesByState[.down] ?? 0
      if down > limit {
        breaches.append(
          AlertBreach(
            alert: "nodes_down", scope: "fleet", value: Double(down), threshold: Double(limit),
            message: "\(down) node(s) down (limit \(limit))"))
      }
    }
    if staleSource {
      for source in inputs.sources {
        let status = source.status(at: inputs.now)
        guard status == .stale || status == .error || status == .pending else { continue }
        let age = source.ageS(at: inputs.now)
        breaches.append(
          AlertBreach(
            alert: "stale_source", scope: "source/\(source.name)", value: age ?? -1,
            threshold: 3 * source.intervalS,
            message:
              "source \(source.name) is \(status.rawValue)"
              + (age.map { ", data \(Int($0)) s old" } ?? ", no data yet")
              + (source.lastError.map { ": \($0)" } ?? "")))
      }
    }
    if let budget = spendUSDPerMonth, let rate = inputs.fleet.costUSDPerHour {
      let projected =
        (inputs.spendMonthToDateUSD ?? 0) + rate * MonthToDate.hoursLeft(at: inputs.now)
      if projected > budget {
        breaches.append(
          AlertBreach(
            alert: "spend_over_budget", scope: "fleet", value: projected.rounded(),
            threshold: budget,
            message:
              "the month projects to \(DollarText.whole(projected)) against a budget of \(DollarText.whole(budget))"
          ))
      }
    }
    return breaches
  }
}
