import FleetModel
import Foundation
import Logging
import StateCache
import Synchronization

/// Asks every feed for its state, writes the answers to the cache and records each source's
/// health. A failing or slow source never holds up the others: each is polled concurrently with
/// its own timeout, and its last good data stays in the cache.
public final class Poller: Sendable {
  public let cache: StateCache
  public let feeds: [any Feed]
  public let prices: PriceBook
  public let timeoutS: Double
  private let logger: Logger
  /// Each source's last good answer, so the fleet series still count a source that just failed.
  private let latest = Mutex<[String: FleetState]>([:])

  public init(
    cache: StateCache, feeds: [any Feed], prices: PriceBook, timeoutS: Double = 10,
    logger: Logger
  ) {
    self.cache = cache
    self.feeds = feeds
    self.prices = prices
    self.timeoutS = timeoutS
    self.logger = logger
  }

  /// The outcome of polling one source once.
  public struct Outcome: Sendable {
    public let source: String
    public let error: String?
  }

  /// Polls every feed once, concurrently, and writes what came back.
  @discardableResult
  public func pollOnce(at now: Date) async -> [Outcome] {
    let outcomes = await withTaskGroup(of: Outcome.self) { group in
      for feed in feeds {
        group.addTask { await self.poll(feed, at: now) }
      }
      return await group.reduce(into: []) { $0.append($1) }
    }
    recordSeries(at: now)
    return outcomes.sorted { $0.source < $1.source }
  }

  /// Polls every `intervalS` until `shouldStop` says so; checks it at least every 200 ms.
  public func run(intervalS: Double, shouldStop: @Sendable () -> Bool) async {
    while !shouldStop() {
      let started = Date()
      await pollOnce(at: started)
      let next = started.addingTimeInterval(intervalS)
      while !shouldStop(), Date() < next {
        try? await Task.sleep(for: .milliseconds(200))
      }
    }
  }

  private func poll(_ feed: any Feed, at now: Date) async -> Outcome {
    let started = ContinuousClock.now
    var health =
      (try? cache.sourceHealth().first { $0.name == feed.name })
      ?? SourceHealth(name: feed.name, kind: feed.kind, intervalS: feed.intervalS)
    health.intervalS = feed.intervalS
    health.lastAttempt = now
    do {
      let state = try await withTimeout(seconds: timeoutS) { try await feed.poll(at: now) }
      health.lastSuccess = now
      health.lastError = nil
      health.pollDurationS = (ContinuousClock.now - started).seconds
      try cache.record(state, from: health)
      latest.withLock { $0[feed.name] = state }
      return Outcome(source: feed.name, error: nil)
    } catch {
      let message = "\(error)"
      logger.warning("source \(feed.name) failed: \(message)")
      health.lastError = message
      health.pollDurationS = (ContinuousClock.now - started).seconds
      try? cache.recordFailure(health)
      return Outcome(source: feed.name, error: message)
    }
  }

  /// Appends the fleet and per-cluster KPIs of everything known to the cache's series.
  private func recordSeries(at now: Date) {
    let merged = latest.withLock { states in
      states.keys.sorted().reduce(into: FleetState()) { merged, name in
        let state = states[name]!
        merged.clusters += state.clusters
        merged.nodes += state.nodes
        merged.gpus += state.gpus
        merged.jobs += state.jobs
        merged.gpuSamples.merge(state.gpuSamples) { a, _ in a }
        merged.nodeSamples.merge(state.nodeSamples) { a, _ in a }
        merged.allocations.merge(state.allocations) { a, _ in a }
      }
    }
    guard !merged.isEmpty else { return }
    let summary = FleetSummary(merged, prices: prices)
    var points = KPISeries.points(entity: "fleet", totals: summary.fleet, at: now)
    for cluster in summary.clusters {
      points += KPISeries.points(
        entity: "cluster/\(cluster.cluster.name)", totals: cluster.totals, at: now)
    }
    do {
      try cache.append(points, now: now)
    } catch {
      logger.error("cannot write series to the cache: \(error)")
    }
  }
}

/// The KPIs kept as time series, and their names in the cache.
public enum KPISeries {
  public static let utilMeanPct = "util_mean_pct"
  public static let gpusAllocated = "gpus_allocated"
  public static let gpusBusy = "gpus_busy"
  public static let gpusIdleAllocated = "gpus_idle_allocated"
  public static let powerW = "power_w"
  public static let costUSDPerHour = "cost_usd_per_h"

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

/// A source that does not answer within its timeout.
public struct FeedTimeout: Error, CustomStringConvertible {
  public let seconds: Double
  public var description: String { "no answer within \(seconds.formatted()) s" }
}

/// Runs `operation`, giving up after `seconds`.
func withTimeout<T: Sendable>(
  seconds: Double, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
  try await withThrowingTaskGroup(of: T.self) { group in
    group.addTask { try await operation() }
    group.addTask {
      try await Task.sleep(for: .seconds(seconds))
      throw FeedTimeout(seconds: seconds)
    }
    defer { group.cancelAll() }
    return try await group.next()!
  }
}

extension Duration {
  var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}
