import Foundation

/// A figure the cache keeps over time, by its name there.
public enum KPI: String, Sendable, Hashable, CaseIterable {
  case utilMeanPct = "util_mean_pct"
  case gpusAllocated = "gpus_allocated"
  case gpusBusy = "gpus_busy"
  case gpusIdleAllocated = "gpus_idle_allocated"
  case powerW = "power_w"
  case costUSDPerHour = "cost_usd_per_h"
}

/// What a series measures: the fleet, a cluster, a team or a job. Its `key` is how the cache
/// names it; no code outside this type spells one.
public enum SeriesEntity: Sendable, Hashable {
  case fleet
  case cluster(String)
  case team(String)
  case job(JobID)

  /// The kinds read together by prefix.
  public enum Kind: String, Sendable, CaseIterable {
    case cluster, team, job

    /// What every key of the kind starts with.
    public var prefix: String { rawValue + "/" }
  }

  /// `fleet`, `cluster/NAME`, `team/NAME`, `job/CLUSTER/ID`.
  public var key: String {
    switch self {
    case .fleet: "fleet"
    case .cluster(let name): Kind.cluster.prefix + name
    case .team(let name): Kind.team.prefix + name
    case .job(let id): Kind.job.prefix + "\(id.cluster)/\(id.id)"
    }
  }

  /// The entity a cache key names; nil for one factop does not write. A job's id may hold `/`
  /// (a Kubernetes namespace); a cluster's name cannot.
  public init?(key: String) {
    if key == "fleet" {
      self = .fleet
      return
    }
    guard let slash = key.firstIndex(of: "/") else { return nil }
    let rest = String(key[key.index(after: slash)...])
    switch Kind(rawValue: String(key[..<slash])) {
    case .cluster: self = .cluster(rest)
    case .team: self = .team(rest)
    case .job:
      guard let split = rest.firstIndex(of: "/") else { return nil }
      self = .job(
        JobID(cluster: String(rest[..<split]), id: String(rest[rest.index(after: split)...])))
    case nil: return nil
    }
  }
}

/// One reading of a KPI at a moment.
public struct KPIPoint: Sendable, Hashable {
  public let entity: SeriesEntity
  public let kpi: KPI
  public let time: Date
  public let value: Double

  public init(entity: SeriesEntity, kpi: KPI, time: Date, value: Double) {
    self.entity = entity
    self.kpi = kpi
    self.time = time
    self.value = value
  }
}

extension KPI {
  /// Every KPI point of one moment: fleet and per-cluster totals, each team's and each job's
  /// spend rate, and each running job's activity. What the poller appends after each poll.
  public static func points(of state: FleetState, prices: PriceBook, at time: Date) -> [KPIPoint] {
    let summary = FleetSummary(state, prices: prices)
    var result = points(.fleet, totals: summary.fleet, at: time)
    for cluster in summary.clusters {
      result += points(.cluster(cluster.cluster.name), totals: cluster.totals, at: time)
    }
    let spend = SpendBreakdown(state, prices: prices)
    for team in spend.teams {
      result.append(
        KPIPoint(entity: .team(team.name), kpi: .costUSDPerHour, time: time, value: team.usdPerHour)
      )
    }
    for job in state.jobs {
      guard let rate = spend.jobs[job.key] else { continue }
      result.append(KPIPoint(entity: .job(job.key), kpi: .costUSDPerHour, time: time, value: rate))
    }
    return result + jobActivity(state, at: time)
  }

  /// Each running job's mean activity: what the savings finder judges idleness and peaks by.
  static func jobActivity(_ state: FleetState, at time: Date) -> [KPIPoint] {
    let activity = state.jobActivityPct
    return state.jobs.compactMap { job in
      guard job.state == .running, let pct = activity[job.key] else { return nil }
      return KPIPoint(entity: .job(job.key), kpi: .utilMeanPct, time: time, value: pct)
    }
  }

  private static func points(_ entity: SeriesEntity, totals: FleetTotals, at time: Date)
    -> [KPIPoint]
  {
    let values: [(KPI, Double?)] = [
      (.utilMeanPct, totals.utilMeanPct), (.gpusAllocated, Double(totals.gpusAllocated)),
      (.gpusBusy, Double(totals.gpusBusy)), (.gpusIdleAllocated, Double(totals.gpusIdleAllocated)),
      (.powerW, totals.powerW), (.costUSDPerHour, totals.costUSDPerHour),
    ]
    return values.compactMap { kpi, value in
      value.map { KPIPoint(entity: entity, kpi: kpi, time: time, value: $0) }
    }
  }
}
