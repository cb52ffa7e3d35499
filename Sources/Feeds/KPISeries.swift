import FleetModel
import Foundation
import StateCache

/// The KPIs kept as time series, and their names in the cache.
public enum KPISeries {
  public static let utilMeanPct = "util_mean_pct"
  public static let gpusAllocated = "gpus_allocated"
  public static let gpusBusy = "gpus_busy"
  public static let gpusIdleAllocated = "gpus_idle_allocated"
  public static let powerW = "power_w"
  public static let costUSDPerHour = "cost_usd_per_h"

  /// Every KPI point of one moment: fleet and per-cluster totals, each team's and each job's
  /// spend rate, and each job's activity.
  static func points(of state: FleetState, prices: PriceBook, at time: Date) -> [SeriesPoint] {
    let summary = FleetSummary(state, prices: prices)
    var result = points(entity: "fleet", totals: summary.fleet, at: time)
    for cluster in summary.clusters {
      result += points(entity: "cluster/\(cluster.cluster.name)", totals: cluster.totals, at: time)
    }
    let spend = SpendBreakdown(state, prices: prices)
    for team in spend.teams {
      result.append(
        SeriesPoint(
          entity: "team/\(team.name)", metric: costUSDPerHour, time: time, value: team.usdPerHour))
    }
    for job in state.jobs {
      guard let rate = spend.jobs[job.key] else { continue }
      result.append(
        SeriesPoint(entity: jobEntity(job), metric: costUSDPerHour, time: time, value: rate))
    }
    return result + jobActivity(state, at: time)
  }

  /// GPU-hours a fleet-wide GPU count (`gpus_idle_allocated`, say) adds up to over `windowS`,
  /// from its minute rollups: each minute counts its mean for one sixtieth of an hour. Nil when
  /// the cache holds no such history.
  public static func fleetGPUHours(
    _ metric: String, cache: StateCache, now: Date, windowS: Double = savingsWindowS
  ) throws -> Double? {
    let points = try cache.series(
      entity: "fleet", metric: metric, resolution: .minute, since: now.addingTimeInterval(-windowS))
    return points.isEmpty ? nil : points.reduce(0) { $0 + $1.mean / 60 }
  }

  /// Daily spend and utilization for the next `days`, fitted on the last 28 days of the fleet's
  /// hourly rollups.
  public static func projection(cache: StateCache, days: Int, now: Date) throws -> Projection {
    let since = now.addingTimeInterval(-28 * 86_400)
    func hourly(_ metric: String) throws -> [(time: Date, value: Double)] {
      try cache.series(entity: "fleet", metric: metric, resolution: .hour, since: since)
        .map { ($0.time, $0.mean) }
    }
    return Projection(
      spendUSDPerHour: try hourly(costUSDPerHour), utilPct: try hourly(utilMeanPct), days: days,
      from: now)
  }

  /// Month-to-date spend of the fleet, each cluster and each team, from the hourly rollups of
  /// their spend-rate series.
  public static func monthToDate(cache: StateCache, now: Date) throws -> MonthToDateSpend {
    let start = MonthToDate.monthStart(of: now)
    func amounts(_ prefix: String) throws -> [String: MonthToDateSpend.Amount] {
      let series = try cache.series(
        entityPrefix: prefix, metric: costUSDPerHour, resolution: .hour, since: start)
      return series.reduce(into: [:]) { result, entry in
        let (usd, since) = MonthToDate.usd(hourly: entry.value.map { ($0.time, $0.mean) }, now: now)
        result[String(entry.key.dropFirst(prefix.count))] = .init(usd: usd, since: since)
      }
    }
    let fleet = try cache.series(
      entity: "fleet", metric: costUSDPerHour, resolution: .hour, since: start)
    let (usd, since) = MonthToDate.usd(hourly: fleet.map { ($0.time, $0.mean) }, now: now)
    return MonthToDateSpend(
      fleet: fleet.isEmpty ? nil : .init(usd: usd, since: since),
      clusters: try amounts("cluster/"), teams: try amounts("team/"))
  }

  /// Each running job's mean activity: what the savings finder judges idleness and peaks by.
  static func jobActivity(_ state: FleetState, at time: Date) -> [SeriesPoint] {
    var sums: [JobID: (total: Double, count: Int)] = [:]
    // In GPU order, not dictionary order, so the sums are the same every run.
    for gpu in state.gpus {
      guard let job = state.allocations[gpu.id],
        let pct = state.gpuSamples[gpu.id]?.activity?.pct
      else { continue }
      sums[job, default: (0, 0)].total += pct
      sums[job, default: (0, 0)].count += 1
    }
    return state.jobs.compactMap { job in
      guard job.state == .running, let sum = sums[job.key], sum.count > 0 else { return nil }
      return SeriesPoint(
        entity: jobEntity(job), metric: utilMeanPct, time: time,
        value: sum.total / Double(sum.count))
    }
  }

  /// The series entity of a job: `job/CLUSTER/ID`.
  public static func jobEntity(_ job: Job) -> String { "job/\(job.cluster)/\(job.id)" }

  static func points(entity: String, totals: FleetTotals, at time: Date) -> [SeriesPoint] {
    let values: [(String, Double?)] = [
      (utilMeanPct, totals.utilMeanPct), (gpusAllocated, Double(totals.gpusAllocated)),
      (gpusBusy, Double(totals.gpusBusy)), (gpusIdleAllocated, Double(totals.gpusIdleAllocated)),
      (powerW, totals.powerW), (costUSDPerHour, totals.costUSDPerHour),
    ]
    return values.compactMap { metric, value in
      value.map { SeriesPoint(entity: entity, metric: metric, time: time, value: $0) }
    }
  }
}

extension KPISeries {
  /// How far back the savings finder looks: a day covers an inference deployment's peak.
  public static let savingsWindowS = 24 * 3_600.0

  /// The savings finder's input: the fleet now, and the job and cluster series the poller wrote
  /// over the last day (minute rollups).
  public static func savingsContext(
    cache: StateCache, state: FleetState, prices: PriceBook, now: Date
  ) throws -> SavingsContext {
    let since = now.addingTimeInterval(-savingsWindowS)
    let jobSeries = try cache.series(
      entityPrefix: "job/", metric: utilMeanPct, resolution: .minute, since: since)
    var jobActivity: [JobID: [(time: Date, value: Double)]] = [:]
    for job in state.jobs {
      if let points = jobSeries[jobEntity(job)] {
        jobActivity[job.key] = points.map { ($0.time, $0.mean) }
      }
    }
    let clusterSeries = try cache.series(
      entityPrefix: "cluster/", metric: gpusAllocated, resolution: .minute, since: since)
    var clusterAllocated: [String: [Double]] = [:]
    for cluster in state.clusters {
      // A rollup's minimum is the fewest GPUs allocated at any poll of that minute.
      if let points = clusterSeries["cluster/\(cluster.name)"] {
        clusterAllocated[cluster.name] = points.map(\.min)
      }
    }
    let fleet = try cache.series(
      entity: "fleet", metric: utilMeanPct, resolution: .minute, since: since)
    let historyHours = fleet.first.map { now.timeIntervalSince($0.time) / 3_600 } ?? 0
    return SavingsContext(
      state: state, prices: prices, now: now, jobActivity: jobActivity,
      clusterAllocated: clusterAllocated, historyHours: historyHours)
  }
}

extension KPISeries {
  /// What each team and each job cost in every complete hour from `since` to `now`, from the
  /// hourly rollups of their spend rates: the input of the FOCUS export. Teams carry the
  /// `(unallocated)` capacity, so team rows add up to the fleet; job rows break teams down.
  public static func hourlyAllocation(
    cache: StateCache, state: FleetState, since: Date, now: Date
  ) throws -> [CostAllocation] {
    let lastHour = (now.timeIntervalSince1970 / 3_600).rounded(.down) * 3_600
    let teamOfJob = Dictionary(
      state.jobs.map { (jobEntity($0), ($0.team, $0.cluster)) }, uniquingKeysWith: { a, _ in a })
    var rows: [CostAllocation] = []
    for prefix in ["team/", "job/"] {
      let series = try cache.series(
        entityPrefix: prefix, metric: costUSDPerHour, resolution: .hour, since: since)
      for (entity, points) in series.sorted(by: { $0.key < $1.key }) {
        let name = String(entity.dropFirst(prefix.count))
        for point in points where point.time.timeIntervalSince1970 < lastHour {
          let job = teamOfJob[entity]
          rows.append(
            CostAllocation(
              scope: prefix == "team/" ? .team : .job, name: name,
              team: prefix == "team/" ? name : job?.0, cluster: job?.1,
              hourStart: point.time, usd: point.mean))
        }
      }
    }
    return rows.sorted {
      ($0.hourStart, $0.scope.rawValue, $0.name) < ($1.hourStart, $1.scope.rawValue, $1.name)
    }
  }
}

extension KPISeries {
  /// The fewest allocated-but-idle GPUs of each minute the idle alert looks at: the only
  /// history the alert rules need beyond what the model already has.
  public static func idleAllocatedByMinute(cache: StateCache, rules: AlertRules, now: Date)
    throws -> [(time: Date, value: Double)]
  {
    try cache.series(
      entity: "fleet", metric: gpusIdleAllocated, resolution: .minute,
      since: now.addingTimeInterval(-(rules.idleMinutes + 2) * 60)
    )
    // A minute rollup's minimum is the fewest idle GPUs any poll of that minute saw.
    .map { ($0.time, $0.min) }
  }
}
