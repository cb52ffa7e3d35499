import FleetModel
import Foundation

/// The fleet, cluster and team figures the cache recorded at a past moment: what
/// `factop snapshot --at` answers with. The cache keeps these as time series (minutes for
/// eight days, hours for 400); it does not keep past inventories, so node, GPU and job lists
/// have no past.
public struct RecordedFleet: Sendable, Equatable {
  /// One entity's figures: `fleet`, a cluster or a team.
  public struct Entry: Sendable, Equatable {
    public let scope: String
    public let name: String
    /// Metric name (`util_mean_pct`, `cost_usd_per_h`…) → the value recorded.
    public let values: [String: Double]
  }

  public let at: Date
  /// The resolution the figures come from, and the time of the bucket they describe.
  public let resolution: SeriesResolution
  public let bucket: Date
  public let entries: [Entry]

  /// The metrics recorded for fleet and clusters, in column order.
  public static let metrics: [KPI] = [
    .utilMeanPct, .gpusAllocated, .gpusBusy, .gpusIdleAllocated, .powerW, .costUSDPerHour,
  ]

  /// Why there is no answer for a moment.
  public enum Unavailable: Error, CustomStringConvertible {
    case empty
    case outside(at: Date, first: Date, last: Date)

    public var description: String {
      switch self {
      case .empty: "the cache holds no history"
      case .outside(let at, let first, let last):
        "no history at \(at.formatted(.iso8601)): the cache holds \(first.formatted(.iso8601))"
          + " to \(last.formatted(.iso8601))"
      }
    }
  }

  /// The figures recorded at `at`: from minute rollups while they are kept, else hourly ones.
  public static func read(cache: StateCache, at: Date, now: Date) throws -> RecordedFleet {
    let hourly = try cache.series(.utilMeanPct, of: .fleet, resolution: .hour, since: .distantPast)
    guard let first = hourly.first?.time, let last = hourly.last?.time else {
      throw Unavailable.empty
    }
    let lastEnd = max(last.addingTimeInterval(3_600), now)
    guard at >= first, at <= lastEnd else {
      throw Unavailable.outside(at: at, first: first, last: min(lastEnd, now))
    }
    let minutes = try cache.series(
      .utilMeanPct, of: .fleet, resolution: .minute, since: at.addingTimeInterval(-120))
    let resolution: SeriesResolution =
      minutes.contains { $0.time <= at } ? .minute : .hour
    let since = at.addingTimeInterval(-Double(resolution.bucketS) * 2)
    func latest(_ points: [SeriesPoint]) -> SeriesPoint? { points.last { $0.time <= at } }
    var entries: [Entry] = []
    var bucket = at
    var fleet: [String: Double] = [:]
    for kpi in metrics {
      if let point = latest(
        try cache.series(kpi, of: .fleet, resolution: resolution, since: since))
      {
        bucket = point.time
        fleet[kpi.rawValue] = point.mean
      }
    }
    if !fleet.isEmpty { entries.append(Entry(scope: "fleet", name: "fleet", values: fleet)) }
    for (kind, kpis) in [(SeriesEntity.Kind.cluster, metrics), (.team, [.costUSDPerHour])] {
      var byName: [String: [String: Double]] = [:]
      for kpi in kpis {
        for (entity, points) in try cache.series(
          kpi, of: kind, resolution: resolution, since: since)
        {
          guard let point = latest(points) else { continue }
          switch entity {
          case .cluster(let name), .team(let name):
            byName[name, default: [:]][kpi.rawValue] = point.mean
          case .fleet, .job: break
          }
        }
      }
      for name in byName.keys.sorted() {
        entries.append(Entry(scope: kind.rawValue, name: name, values: byName[name]!))
      }
    }
    return RecordedFleet(at: at, resolution: resolution, bucket: bucket, entries: entries)
  }
}
