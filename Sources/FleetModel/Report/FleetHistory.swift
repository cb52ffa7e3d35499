import Foundation

/// The history a report needs, as the cache's series hold it. `StateCache.history(of:now:)`
/// reads it once per report, so `FleetReport` stays a pure function of its inputs.
public struct FleetHistory: Sendable {
  public typealias Points = [(time: Date, value: Double)]

  /// The window the savings finder, the alerts and the cockpit's graphs look back over: a day
  /// covers an inference deployment's peak.
  public static let windowS = 24 * 3_600.0
  /// How far back the projection fits: four weeks of hourly means.
  public static let projectionFitS = 28 * 86_400.0

  /// Fleet mean utilization and IT power, minute means over the window, oldest first.
  public var fleetUtilMinutes: Points
  public var fleetPowerMinutes: Points
  /// Allocated-but-idle GPUs of each minute over the window: the fewest any poll of the minute
  /// saw (what the idle alert needs) and the mean (what adds up to GPU-hours).
  public var idleAllocatedMinima: Points
  public var idleAllocatedMeans: Points
  /// Each job's mean activity, minute means over the window.
  public var jobActivity: [JobID: Points]
  /// The fewest GPUs allocated in each minute of the window, by cluster.
  public var clusterAllocatedMinima: [String: [Double]]
  /// Hourly means of the fleet's spend rate and utilization, for the projection.
  public var fleetSpendHours: Points
  public var fleetUtilHours: Points
  /// Hourly spend rates since the month began: the fleet, each cluster and each team.
  public var monthSpendHours: [SeriesEntity: Points]

  public init(
    fleetUtilMinutes: Points = [], fleetPowerMinutes: Points = [], idleAllocatedMinima: Points = [],
    idleAllocatedMeans: Points = [], jobActivity: [JobID: Points] = [:],
    clusterAllocatedMinima: [String: [Double]] = [:], fleetSpendHours: Points = [],
    fleetUtilHours: Points = [], monthSpendHours: [SeriesEntity: Points] = [:]
  ) {
    self.fleetUtilMinutes = fleetUtilMinutes
    self.fleetPowerMinutes = fleetPowerMinutes
    self.idleAllocatedMinima = idleAllocatedMinima
    self.idleAllocatedMeans = idleAllocatedMeans
    self.jobActivity = jobActivity
    self.clusterAllocatedMinima = clusterAllocatedMinima
    self.fleetSpendHours = fleetSpendHours
    self.fleetUtilHours = fleetUtilHours
    self.monthSpendHours = monthSpendHours
  }

  /// How many hours of history the window holds, from the fleet's first minute in it.
  public func hours(at now: Date) -> Double {
    fleetUtilMinutes.first.map { now.timeIntervalSince($0.time) / 3_600 } ?? 0
  }

  /// GPU-hours idle but allocated over the window; nil without history.
  public var idleAllocatedGPUHours: Double? {
    idleAllocatedMeans.isEmpty ? nil : idleAllocatedMeans.reduce(0) { $0 + $1.value / 60 }
  }

  /// Month-to-date spend of the fleet, each cluster and each team.
  public func monthToDate(at now: Date) -> MonthToDateSpend {
    var spend = MonthToDateSpend()
    for (entity, hours) in monthSpendHours where !hours.isEmpty {
      let (usd, since) = MonthToDate.usd(hourly: hours.map { ($0.time, $0.value) }, now: now)
      let amount = MonthToDateSpend.Amount(usd: usd, since: since)
      switch entity {
      case .fleet: spend.fleet = amount
      case .cluster(let name): spend.clusters[name] = amount
      case .team(let name): spend.teams[name] = amount
      case .job: break
      }
    }
    return spend
  }
}
