import Foundation

/// What on-call wants to be told about, from `[alerts]` in the config. Every rule is off until
/// set.
public struct AlertRules: Sendable, Hashable {
  /// More allocated-but-idle GPUs than this…
  public var idleAllocatedGPUs: Int?
  /// …or than this share of the fleet's GPUs (0…100); with both, the lower limit holds…
  public var idleAllocatedPct: Double?
  /// …for at least this many minutes.
  public var idleMinutes: Double = 30
  /// A site or rack drawing more than its power budget.
  public var powerOverBudget = false
  /// More nodes down than this.
  public var nodesDown: Int?
  /// A source failing or stale.
  public var staleSource = false
  /// An InfiniBand link that went down since the poll before (flapping).
  public var linksFlapping = false
  /// The month's spend (to date plus the rest of the month at the run-rate) above this.
  public var spendUSDPerMonth: Double?

  /// No rule at all.
  public init() {}

  /// What a fleet is checked against out of the box, before any `[alerts]`: what an on-call
  /// engineer is paged for on any fleet. Budgets (power, spend) are the site's own and have
  /// no default.
  public static let defaults: AlertRules = {
    var rules = AlertRules()
    rules.nodesDown = 0
    rules.staleSource = true
    rules.linksFlapping = true
    rules.idleAllocatedPct = 5
    rules.idleMinutes = 30
    return rules
  }()

  public var isEmpty: Bool {
    idleAllocatedGPUs == nil && idleAllocatedPct == nil && !powerOverBudget && nodesDown == nil
      && !staleSource && !linksFlapping && spendUSDPerMonth == nil
  }

  /// One rule in force, as `factop alerts` lists it.
  public struct Rule: Sendable, Hashable, Encodable {
    /// The `[alerts]` key that sets it.
    public let key: String
    public let setting: String
    public let meaning: String
  }

  /// The rules in force, in the order they are checked.
  public var rules: [Rule] {
    var rules: [Rule] = []
    let minutes = "\(Int(idleMinutes)) min"
    if let idleAllocatedGPUs {
      rules.append(
        Rule(
          key: "idle_allocated_gpus", setting: "\(idleAllocatedGPUs) GPUs for \(minutes)",
          meaning: "more allocated GPUs than this did nothing (activity < 5 %) for the whole window"
        ))
    }
    if let idleAllocatedPct {
      rules.append(
        Rule(
          key: "idle_allocated_pct", setting: "\(Self.number(idleAllocatedPct)) % for \(minutes)",
          meaning:
            "more than this share of the fleet's GPUs was allocated and did nothing for the whole window"
        ))
    }
    if powerOverBudget {
      rules.append(
        Rule(
          key: "power_over_budget", setting: "on",
          meaning: "a site or rack draws more IT power than its budget"))
    }
    if let nodesDown {
      rules.append(
        Rule(key: "nodes_down", setting: "\(nodesDown)", meaning: "more nodes down than this"))
    }
    if staleSource {
      rules.append(
        Rule(
          key: "stale_source", setting: "on",
          meaning:
            "a source fails, or its data is older than 3 poll intervals, or it never answered"))
    }
    if linksFlapping {
      rules.append(
        Rule(
          key: "links_flapping", setting: "on",
          meaning: "an InfiniBand link went down since the poll before (node exporter)"))
    }
    if let spendUSDPerMonth {
      rules.append(
        Rule(
          key: "spend_usd_per_month", setting: DollarText.whole(spendUSDPerMonth),
          meaning: "the month to date plus the rest at the run-rate exceeds this"))
    }
    return rules
  }

  private static func number(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
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
  /// InfiniBand ports, for the flapping links.
  public var fabric: [FabricPort]
  public var now: Date

  public init(
    fleet: FleetTotals, power: PowerRollup, sources: [SourceHealth],
    idleAllocatedByMinute: [(time: Date, value: Double)], spendMonthToDateUSD: Double?,
    fabric: [FabricPort] = [], now: Date
  ) {
    self.fabric = fabric
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
    // Where both a count and a share are set, the lower limit holds.
    let idleLimit = [
      idleAllocatedGPUs.map(Double.init),
      idleAllocatedPct.map { $0 / 100 * Double(inputs.fleet.gpusTotal) },
    ].compactMap { $0 }.min()
    // Unknown fleets (no GPUs yet) are not judged on a share of nothing.
    if let limit = idleLimit, inputs.fleet.gpusTotal > 0 {
      // Breached when every minute of the window (and now) had more idle GPUs than allowed.
      let since = inputs.now.addingTimeInterval(-idleMinutes * 60)
      let window = inputs.idleAllocatedByMinute.filter { $0.time >= since }
      let covers = inputs.idleAllocatedByMinute.contains { $0.time <= since.addingTimeInterval(60) }
      let fewest = (window.map(\.value) + [Double(inputs.fleet.gpusIdleAllocated)]).min() ?? 0
      if covers, fewest > Double(limit) {
        breaches.append(
          AlertBreach(
            alert: "idle_allocated_gpus", scope: "fleet", value: fewest, threshold: limit,
            message:
              "at least \(Int(fewest)) allocated GPUs idle for \(Int(idleMinutes)) min (limit \(Int(limit.rounded(.down))))"
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
    if linksFlapping {
      for port in inputs.fabric where port.isFlapping {
        let downs = port.linkDownedNew ?? 0
        breaches.append(
          AlertBreach(
            alert: "links_flapping", scope: "port/\(port.node)/\(port.name)", value: downs,
            threshold: 0,
            message:
              "\(port.node) \(port.name): the link went down \(Int(downs))× since the poll before"
          ))
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
