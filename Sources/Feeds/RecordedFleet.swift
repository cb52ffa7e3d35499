import FleetModel
import Foundation
import StateCache

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
  public static let metrics = [
    KPISeries.utilMeanPct, KPISeries.gpusAllocated, KPISeries.gpusBusy,
    KPISeries.gpusIdleAllocated, KPISeries.powerW, KPISeries.costUSDPerHour,
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
    let hourly = try cache.series(
      entity: "fleet", metric: KPISeries.utilMeanPct, resolution: .hour, since: .distantPast)
    guard let first = hourly.first?.time, let last = hourly.last?.time else {
      throw Unavailable.empty
    }
    let lastEnd = max(last.addingTimeInterval(3_600), now)
    guard at >= first, at <= lastEnd else {
      throw Unavailable.outside(at: at, first: first, last: min(lastEnd, now))
    }
    let minutes = try cache.series(
      entity: "fleet", metric: KPISeries.utilMeanPct, resolution: .minute,
      since: at.addingTimeInterval(-120))
    let resolution: SeriesResolution =
      minutes.contains { $0.time <= at } ? .minute : .hour
    let window = Double(resolution.bucketS) * 2
    func latest(_ points: [SeriesPoint]) -> SeriesPoint? { points.last { $0.time <= at } }
    var entries: [Entry] = []
    var bucket = at
    for (scope, prefix) in [("fleet", "fleet"), ("cluster", "cluster/"), ("team", "team/")] {
      var byEntity: [String: [String: Double]] = [:]
      for metric in scope == "team" ? [KPISeries.costUSDPerHour] : metrics {
        let series: [String: [SeriesPoint]] =
          scope == "fleet"
          ? [
            "fleet": try cache.series(
              entity: "fleet", metric: metric, resolution: resolution,
              since: at.addingTimeInterval(-window))
          ]
          : try cache.series(
            entityPrefix: prefix, metric: metric, resolution: resolution,
            since: at.addingTimeInterval(-window))
        for (entity, points) in series {
          guard let point = latest(points) else { continue }
          if scope == "fleet" { bucket = point.time }
          byEntity[entity, default: [:]][metric] = point.mean
        }
      }
      for entity in byEntity.keys.sorted() {
        let name = scope == "fleet" ? "fleet" : String(entity.dropFirst(prefix.count))
        entries.append(Entry(scope: scope, name: name, values: byEntity[entity]!))
      }
    }
    return RecordedFleet(at: at, resolution: resolution, bucket: bucket, entries: entries)
  }
}
