import Foundation

/// An incident with its cost at the report's moment: what every reader of incidents shows.
public struct PricedIncident: Sendable, Hashable, Encodable {
  public let incident: Incident
  public let cost: IncidentCost

  enum CodingKeys: String, CodingKey {
    case id, cluster, node, start, end, open, cause, title, action, events, jobs, outage, cost
    case gpuHours = "gpu_hours"
    case usd
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(incident.id, forKey: .id)
    try container.encode(incident.cluster, forKey: .cluster)
    try container.encode(incident.node, forKey: .node)
    try container.encode(incident.start, forKey: .start)
    try container.encode(incident.end, forKey: .end)
    try container.encode(incident.isOpen, forKey: .open)
    try container.encode(incident.cause.kind, forKey: .cause)
    try container.encode(incident.title, forKey: .title)
    try container.encode(incident.cause.action, forKey: .action)
    try container.encode(incident.events, forKey: .events)
    try container.encode(incident.jobs, forKey: .jobs)
    try container.encode(incident.outage, forKey: .outage)
    try container.encode(cost, forKey: .cost)
  }
}

extension Incident {
  /// One line for people: where, and what its main event said.
  public var title: String {
    guard let node else { return "job \(cause.subject): \(what)" }
    return "\(node) \(what)"
  }

  /// What its main event said, without where (a list's node column says that).
  public var what: String {
    let cause = self.cause
    switch cause.kind {
    case .xid, .eccDoubleBit, .rowRemapFailure, .nvlinkErrors, .linkFlap:
      return "\(cause.subject): \(cause.detail)"
    case .nodeOut, .jobFailed, .jobRequeued, .podRestarted: return cause.detail
    }
  }
}

/// What the incident log has recorded over the cache's life: since when, and what all its
/// incidents have cost so far (only ever growing: a Prometheus counter).
public struct IncidentTotals: Sendable, Hashable {
  public var watchedSince: Date?
  public var usd: Double
  public var gpuHours: Double

  public init(watchedSince: Date? = nil, usd: Double = 0, gpuHours: Double = 0) {
    self.watchedSince = watchedSince
    self.usd = usd
    self.gpuHours = gpuHours
  }
}

extension IncidentLog {
  /// What the step from `before` (at its marks' time) to this log (at `now`) added to the cost
  /// of incidents: each incident's cost now less its cost then, never less than nothing (a job
  /// given up stops counting its wait; the total does not go back).
  public func costAdded(since before: IncidentLog, at now: Date, rules: IncidentRules)
    -> (usd: Double, gpuHours: Double)
  {
    let old = Dictionary(before.incidents.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let then = before.marks.recordedAt ?? now
    var usd = 0.0
    var gpuHours = 0.0
    for incident in incidents {
      let cost = incident.cost(at: now, rules: rules)
      let was = old[incident.id]?.cost(at: then, rules: rules)
      usd += max(0, (cost.usd ?? 0) - (was?.usd ?? 0))
      gpuHours += max(0, cost.gpuHours - (was?.gpuHours ?? 0))
    }
    return (usd, gpuHours)
  }
}

/// Incidents added up for the report: what failures cost over the last day and week, what is
/// open, the nodes whose repair is worth most, and the failure rate the fleet showed.
public struct IncidentSummary: Sendable, Hashable, Encodable {
  /// How far back the report reads incidents: the repair ranking's and the rate's window.
  public static let windowS = 30 * 86_400.0

  public struct Period: Sendable, Hashable, Encodable {
    public let hours: Int
    public var incidents = 0
    public var gpuHours = 0.0
    /// Nil when none of it could be priced.
    public var usd: Double?

    enum CodingKeys: String, CodingKey {
      case hours, incidents, usd
      case gpuHours = "gpu_hours"
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(hours, forKey: .hours)
      try container.encode(incidents, forKey: .incidents)
      try container.encode(gpuHours, forKey: .gpuHours)
      try container.encode(usd, forKey: .usd)
    }
  }

  /// Node failures per 1,000 node-days, as the fleet showed them: incidents with a hardware
  /// sign (a hardware XID, a double-bit ECC error, a node out, a flapping link) over the
  /// node-days watched.
  public struct ObservedRate: Sendable, Hashable, Encodable {
    public let failuresPer1000NodeDays: Double
    public let failures: Int
    public let nodeDays: Double
    public let nodes: Int
    /// The start of the record the rate counts.
    public let since: Date
    /// By GPU model, where its nodes had any failure.
    public let byModel: [String: Double]
    /// Enough to judge by: a week watched and three failures.
    public let isEnough: Bool

    enum CodingKeys: String, CodingKey {
      case failures
      case failuresPer1000NodeDays = "failures_per_1000_node_days"
      case nodeDays = "node_days"
      case byModel = "by_model"
      case isEnough = "enough_history"
    }
  }

  public let lastDay: Period
  public let lastWeek: Period
  public let open: Int
  /// Newest first.
  public var incidents: [PricedIncident]
  /// The nodes whose incidents cost most over the window, costliest first.
  public let repairFirst: [RepairTarget]
  /// The GPUs and links whose incidents cost most over the window: the parts to replace.
  public let repairFirstParts: [RepairTarget]
  /// Nil until the log has watched the fleet for a day.
  public let observedRate: ObservedRate?
  /// What every incident the cache recorded has cost, since it began.
  public let totalUSD: Double
  public let totalGPUHours: Double
  public let watchedSince: Date?

  enum CodingKeys: String, CodingKey {
    case open, incidents
    case lastDay = "last_day"
    case lastWeek = "last_week"
    case repairFirst = "repair_first"
    case repairFirstParts = "repair_first_parts"
    case observedRate = "observed_rate"
    case totalUSD = "total_usd"
    case totalGPUHours = "total_gpu_hours"
    case watchedSince = "watched_since"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(lastDay, forKey: .lastDay)
    try container.encode(lastWeek, forKey: .lastWeek)
    try container.encode(open, forKey: .open)
    try container.encode(repairFirst, forKey: .repairFirst)
    try container.encode(repairFirstParts, forKey: .repairFirstParts)
    try container.encode(observedRate, forKey: .observedRate)
    try container.encode(watchedSince, forKey: .watchedSince)
    try container.encode(totalUSD, forKey: .totalUSD)
    try container.encode(totalGPUHours, forKey: .totalGPUHours)
    try container.encode(incidents, forKey: .incidents)
  }

  /// `incidents` (those still open or over within the window) priced at `now`; `totals` says
  /// when the log first recorded, which bounds the rate's node-days.
  public init(
    _ incidents: [Incident], state: FleetState, totals: IncidentTotals, now: Date,
    rules: IncidentRules
  ) {
    let watchedSince = totals.watchedSince
    self.watchedSince = watchedSince
    totalUSD = totals.usd
    totalGPUHours = totals.gpuHours
    let priced = incidents.filter {
      $0.end.map { now.timeIntervalSince($0) < Self.windowS } ?? true
    }
    .sorted { ($0.start, $0.id) > ($1.start, $1.id) }
    .map { PricedIncident(incident: $0, cost: $0.cost(at: now, rules: rules)) }
    self.incidents = priced
    open = priced.filter(\.incident.isOpen).count
    // What failures cost within a period: what each incident going on in it cost by its end
    // less what it had cost by its start (a node out for a month counts its last day).
    func period(_ hours: Int) -> Period {
      var period = Period(hours: hours)
      let since = now.addingTimeInterval(-Double(hours) * 3_600)
      var anyPriced = false
      for p in priced where (p.incident.end ?? now) >= since {
        let before = p.incident.cost(at: since, rules: rules)
        period.incidents += 1
        period.gpuHours += p.cost.gpuHours - before.gpuHours
        if let usd = p.cost.usd {
          period.usd = (period.usd ?? 0) + usd - (before.usd ?? 0)
          anyPriced = true
        }
      }
      if !anyPriced && period.gpuHours == 0 { period.usd = 0 }
      return period
    }
    lastDay = period(24)
    lastWeek = period(24 * 7)
    repairFirst = Self.repairFirst(priced)
    repairFirstParts = Self.repairFirstParts(priced)
    observedRate = Self.observedRate(
      priced.map(\.incident), state: state, watchedSince: watchedSince, now: now)
  }

  private static func observedRate(
    _ incidents: [Incident], state: FleetState, watchedSince: Date?, now: Date
  ) -> ObservedRate? {
    guard let watchedSince else { return nil }
    let days = min(now.timeIntervalSince(watchedSince), windowS) / 86_400
    guard days >= 1, !state.nodes.isEmpty else { return nil }
    let since = now.addingTimeInterval(-days * 86_400)
    let failures = incidents.filter { $0.start >= since && $0.isHardwareFailure }
    let modelOf = Dictionary(
      state.gpus.map { ($0.node, $0.model.name) }, uniquingKeysWith: { a, _ in a })
    let nodesByModel = Dictionary(grouping: state.nodes) { modelOf[$0.id] ?? "unknown" }
    var byModel: [String: Double] = [:]
    for (model, nodes) in nodesByModel {
      let count = failures.filter { $0.nodeID.map { modelOf[$0] == model } ?? false }.count
      if count > 0 { byModel[model] = Double(count) / (Double(nodes.count) * days) * 1_000 }
    }
    let nodeDays = Double(state.nodes.count) * days
    return ObservedRate(
      failuresPer1000NodeDays: Double(failures.count) / nodeDays * 1_000,
      failures: failures.count, nodeDays: nodeDays, nodes: state.nodes.count, since: since,
      byModel: byModel,
      isEnough: days >= 7 && failures.count >= 3)
  }
}

extension IncidentSummary {
  /// The failure rates the savings finder uses instead of its assumptions, once the record is
  /// enough to judge by.
  public var observedFailures: ObservedFailures? {
    guard let rate = observedRate, rate.isEnough else { return nil }
    let days = rate.nodeDays / Double(max(1, rate.nodes))
    var perNode: [NodeID: Double] = [:]
    for priced in incidents where priced.incident.isHardwareFailure {
      if let node = priced.incident.nodeID, priced.incident.start >= rate.since {
        perNode[node, default: 0] += 30 / days
      }
    }
    return ObservedFailures(
      per1000NodeDays: rate.failuresPer1000NodeDays, per1000NodeDaysByModel: rate.byModel,
      days: days, perNodePerMonth: perNode)
  }
}

extension Incident {
  /// A node failure, as failure rates count them: the node went out of service, or a job was
  /// stopped and the hardware shows in it (a hardware XID, a double-bit ECC error, a link that
  /// went down). A flapping link its job rode out is not one.
  public var isHardwareFailure: Bool {
    if outage != nil { return true }
    guard !jobs.isEmpty else { return false }
    return events.contains { event in
      switch event.kind {
      case .eccDoubleBit, .rowRemapFailure, .nvlinkErrors, .nodeOut, .linkFlap: true
      case .xid: event.xid.map { XIDCatalog.meaning(of: $0).isHardware } ?? false
      case .jobFailed, .jobRequeued, .podRestarted: false
      }
    }
  }
}
