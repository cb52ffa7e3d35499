import Feeds
import FleetModel
import Foundation
import StateCache
import Synchronization

/// Reads the cache on its own thread whenever a poller changed it, and hands the newest model to
/// the UI through a lock the UI only holds to copy a reference.
public final class ModelLoader: Sendable {
  private let cache: StateCache
  private let prices: PriceBook
  private let rules: SavingsRules
  private let budgets: PowerBudgets
  private let alertRules: AlertRules
  /// GPU readings of the polls loaded so far, and the last poll appended.
  private let gpuHistory = Mutex<(history: GPUHistory, polled: Date?)>((GPUHistory(), nil))
  private let origin: String
  private let latest = Mutex<LoadedModel?>(nil)
  private let stopped = Atomic<Bool>(false)
  private let finished = DispatchSemaphore(value: 0)
  /// How much fleet utilization history the Overview can show: a day.
  static let historyWindowS: Double = 24 * 3_600

  public init(
    cache: StateCache, prices: PriceBook, rules: SavingsRules = SavingsRules(),
    budgets: PowerBudgets = PowerBudgets(), alertRules: AlertRules = AlertRules(), origin: String
  ) {
    self.alertRules = alertRules
    self.cache = cache
    self.prices = prices
    self.rules = rules
    self.budgets = budgets
    self.origin = origin
  }

  /// Starts the loading thread; it checks the cache's generation every `intervalMs`.
  public func start(intervalMs: Int = 250) {
    let thread = Thread { [self] in
      var seen = -1
      while !stopped.load(ordering: .relaxed) {
        if let generation = try? cache.generation(), generation != seen {
          seen = generation
          reload()
        }
        Thread.sleep(forTimeInterval: Double(intervalMs) / 1_000)
      }
      finished.signal()
    }
    thread.name = "factop.model-loader"
    thread.start()
  }

  /// Stops the thread and waits (at most `timeoutS`) for a load in progress to end, so the
  /// process never exits while the thread is inside SQLite.
  public func stop(timeoutS: Double = 5) {
    guard !stopped.exchange(true, ordering: .relaxed) else { return }
    _ = finished.wait(timeout: .now() + timeoutS)
  }

  /// The newest model, or nil before the first load.
  public var loaded: LoadedModel? {
    latest.withLock { $0 }
  }

  /// Minute points as one slot per history step, ending at `now`; empty slots stay nil so a
  /// gap in polling shows as a gap, not as a flat line.
  static func slots(_ points: [(time: Date, value: Double)], until now: Date) -> [Double?] {
    let step = CockpitModel.historyStepS
    let count = Int(historyWindowS / step)
    let end = (now.timeIntervalSince1970 / step).rounded(.down)
    var sums = [(total: Double, n: Int)](repeating: (0, 0), count: count)
    for point in points {
      let slot = count - 1 - Int(end - (point.time.timeIntervalSince1970 / step).rounded(.down))
      guard sums.indices.contains(slot) else { continue }
      sums[slot].total += point.value
      sums[slot].n += 1
    }
    let slots = sums.map { $0.n > 0 ? $0.total / Double($0.n) : nil }
    // Leading slots before the first poll are not gaps: there was no history yet.
    return Array(slots.drop { $0 == nil })
  }

  /// Loads the model now, on the calling thread.
  public func reload(now: Date = Date()) {
    do {
      let state = try cache.fleetState()
      let sources = try cache.sourceHealth()
      func fleetHistory(_ metric: String) throws -> [Double?] {
        let points = try cache.series(
          entity: "fleet", metric: metric, resolution: .minute,
          since: now.addingTimeInterval(-Self.historyWindowS))
        return Self.slots(points.map { ($0.time, $0.mean) }, until: now)
      }
      let context = try KPISeries.savingsContext(
        cache: cache, state: state, prices: prices, now: now)
      let polled = sources.compactMap(\.lastSuccess).max()
      let gpus = gpuHistory.withLock { kept in
        if let polled, polled != kept.polled {
          kept.history.append(state)
          kept.polled = polled
        }
        return kept.history
      }
      var model = CockpitModel(
        state: state, sources: sources, utilHistory: try fleetHistory(KPISeries.utilMeanPct),
        prices: prices, savings: SavingsFinder.find(context, rules: rules),
        monthToDate: try KPISeries.monthToDate(cache: cache, now: now),
        projection: try KPISeries.projection(cache: cache, days: 7, now: now), budgets: budgets,
        powerHistory: try fleetHistory(KPISeries.powerW),
        jobHistory: context.jobActivity.mapValues { Self.slots($0, until: now) },
        gpuHistory: gpus, origin: origin)
      if !state.workloadCosts.isEmpty {
        model.opencost = WorkloadCostSummary(state.workloadCosts)
      }
      let bills = try cache.billingRows()
      if !bills.isEmpty {
        model.billing = BillingSummary(bills, clusterOf: BillingSummary.clusters(of: state))
      }
      if !alertRules.isEmpty {
        model.alerts = alertRules.check(
          AlertInputs(
            fleet: model.summary.fleet, power: model.power, sources: sources,
            idleAllocatedByMinute: try KPISeries.idleAllocatedByMinute(
              cache: cache, rules: alertRules, now: now),
            spendMonthToDateUSD: model.monthToDate.fleet?.usd, now: now))
      }
      latest.withLock { $0 = LoadedModel(version: ($0?.version ?? 0) + 1, model: model) }
    } catch {
      latest.withLock { loaded in
        guard var model = loaded?.model else { return }
        model.cacheError = "\(error)"
        loaded = LoadedModel(version: (loaded?.version ?? 0) + 1, model: model)
      }
    }
  }
}

/// A model and its version: the UI redraws when the version changes, without comparing fleets.
public struct LoadedModel: Sendable {
  public let version: Int
  public let model: CockpitModel

  public init(version: Int, model: CockpitModel) {
    self.version = version
    self.model = model
  }
}
