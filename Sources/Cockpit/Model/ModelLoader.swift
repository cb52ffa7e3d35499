import FleetModel
import Foundation
import StateCache
import Synchronization

/// Reads the cache on its own thread whenever a poller changed it, and hands the newest model to
/// the UI through a lock the UI only holds to copy a reference.
public final class ModelLoader: Sendable {
  private let cache: StateCache
  private let rules: FleetRules
  /// GPU readings of the polls loaded so far, and the last poll appended.
  private let gpuHistory = Mutex<(history: GPUHistory, polled: Date?)>((GPUHistory(), nil))
  private let origin: String
  private let latest = Mutex<LoadedModel?>(nil)
  private let stopped = Atomic<Bool>(false)
  private let finished = DispatchSemaphore(value: 0)
  public init(cache: StateCache, rules: FleetRules, origin: String) {
    self.cache = cache
    self.rules = rules
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

  /// Loads the model now, on the calling thread.
  public func reload(now: Date = Date()) {
    do {
      let state = try cache.fleetState()
      let sources = try cache.sourceHealth()
      let report = FleetReport(
        state: state, sources: sources, history: try cache.history(of: state, now: now),
        bills: try cache.billingRows(), ledger: try cache.ledger(),
        incidents: try cache.incidents(since: now.addingTimeInterval(-IncidentSummary.windowS)),
        incidentTotals: try cache.incidentTotals(), rules: rules, now: now)
      let polled = sources.compactMap(\.lastSuccess).max()
      let gpus = gpuHistory.withLock { kept in
        if let polled, polled != kept.polled {
          kept.history.append(state)
          kept.polled = polled
        }
        return kept.history
      }
      let model = CockpitModel(report: report, gpuHistory: gpus, origin: origin)
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
