import FleetModel
import Foundation

/// The KPI series, read and written by their typed names (`KPI`, `SeriesEntity`): the one place
/// that turns them into the cache's keys.
extension StateCache {
  /// Appends KPI readings (the poller's, after each poll or a backfill) to the series.
  public func append(_ points: [KPIPoint], now: Date, retention: Retention = .standard) throws {
    try append(
      points.map {
        SeriesPoint(entity: $0.entity.key, metric: $0.kpi.rawValue, time: $0.time, value: $0.value)
      }, now: now, retention: retention)
  }

  /// One KPI of one entity at `resolution` from `since` on, oldest first.
  public func series(
    _ kpi: KPI, of entity: SeriesEntity, resolution: SeriesResolution, since: Date
  ) throws -> [SeriesPoint] {
    try series(entity: entity.key, metric: kpi.rawValue, resolution: resolution, since: since)
  }

  /// One KPI of every entity of a kind (every cluster, team or job), by entity.
  public func series(
    _ kpi: KPI, of kind: SeriesEntity.Kind, resolution: SeriesResolution, since: Date
  ) throws -> [SeriesEntity: [SeriesPoint]] {
    let byKey = try series(
      entityPrefix: kind.prefix, metric: kpi.rawValue, resolution: resolution, since: since)
    var result: [SeriesEntity: [SeriesPoint]] = [:]
    for (key, points) in byKey {
      if let entity = SeriesEntity(key: key) { result[entity] = points }
    }
    return result
  }

  /// What a report of `state` at `now` needs of the series (`FleetHistory`).
  public func history(of state: FleetState, now: Date) throws -> FleetHistory {
    let window = now.addingTimeInterval(-FleetHistory.windowS)
    func means(_ points: [SeriesPoint]) -> FleetHistory.Points { points.map { ($0.time, $0.mean) } }
    func minima(_ points: [SeriesPoint]) -> FleetHistory.Points { points.map { ($0.time, $0.min) } }

    var history = FleetHistory()
    history.fleetUtilMinutes = means(
      try series(.utilMeanPct, of: .fleet, resolution: .minute, since: window))
    history.fleetPowerMinutes = means(
      try series(.powerW, of: .fleet, resolution: .minute, since: window))
    // A minute rollup's minimum is the fewest idle (or allocated) GPUs any poll of it saw.
    let idle = try series(.gpusIdleAllocated, of: .fleet, resolution: .minute, since: window)
    history.idleAllocatedMinima = minima(idle)
    history.idleAllocatedMeans = means(idle)

    let jobs = try series(.utilMeanPct, of: .job, resolution: .minute, since: window)
    for job in state.jobs {
      if let points = jobs[.job(job.key)] { history.jobActivity[job.key] = means(points) }
    }
    let clusters = try series(.gpusAllocated, of: .cluster, resolution: .minute, since: window)
    for cluster in state.clusters {
      if let points = clusters[.cluster(cluster.name)] {
        history.clusterAllocatedMinima[cluster.name] = points.map(\.min)
      }
    }

    let fit = now.addingTimeInterval(-FleetHistory.projectionFitS)
    history.fleetSpendHours = means(
      try series(.costUSDPerHour, of: .fleet, resolution: .hour, since: fit))
    history.fleetUtilHours = means(
      try series(.utilMeanPct, of: .fleet, resolution: .hour, since: fit))

    let monthStart = MonthToDate.monthStart(of: now)
    history.monthSpendHours[.fleet] = means(
      try series(.costUSDPerHour, of: .fleet, resolution: .hour, since: monthStart))
    for kind in [SeriesEntity.Kind.cluster, .team] {
      for (entity, points) in try series(
        .costUSDPerHour, of: kind, resolution: .hour, since: monthStart)
      {
        history.monthSpendHours[entity] = means(points)
      }
    }
    return history
  }

  /// What each team and each job cost in every complete hour from `since` to `now`, from the
  /// hourly rollups of their spend rates: the input of the FOCUS export. Teams carry the
  /// `(unallocated)` capacity, so team rows add up to the fleet; job rows break teams down.
  public func hourlyAllocation(state: FleetState, since: Date, now: Date) throws
    -> [CostAllocation]
  {
    let lastHour = (now.timeIntervalSince1970 / 3_600).rounded(.down) * 3_600
    let jobs = Dictionary(state.jobs.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    var rows: [CostAllocation] = []
    for kind in [SeriesEntity.Kind.team, .job] {
      for (entity, points) in try series(.costUSDPerHour, of: kind, resolution: .hour, since: since)
      {
        for point in points where point.time.timeIntervalSince1970 < lastHour {
          switch entity {
          case .team(let name):
            rows.append(
              CostAllocation(
                scope: .team, name: name, team: name, cluster: nil, hourStart: point.time,
                usd: point.mean))
          case .job(let id):
            let job = jobs[id]
            rows.append(
              CostAllocation(
                scope: .job, name: "\(id.cluster)/\(id.id)", team: job?.team,
                cluster: job?.cluster,
                hourStart: point.time, usd: point.mean))
          case .fleet, .cluster: break
          }
        }
      }
    }
    return rows.sorted {
      ($0.hourStart, $0.scope.rawValue, $0.name) < ($1.hourStart, $1.scope.rawValue, $1.name)
    }
  }
}
