import Config
import Feeds
import FleetModel
import Foundation
import Logging
import Polling
import StateCache

extension Settings {
  /// The poller of the configured feeds into `cache`: the one wiring the cockpit, `factop poll`
  /// and a command's poll-first share.
  func poller(cache: StateCache, logger: Logger = Logger(label: "factop.poll")) -> Poller {
    Poller(
      cache: cache, feeds: feeds(), rules: fleetRules, timeoutS: pollTimeoutS, logger: logger)
  }
}

/// Opening the cache for a command that reads it.
enum CacheAccess {
  /// The cache for the process holding the poll lock. A damaged one (SQLite's integrity check
  /// fails: a crash mid-write on a bad disk, a truncated copy) is moved aside, kept for a
  /// post-mortem, and a new one started, saying so: the next poll fills it again.
  static func openForPolling(_ path: String) throws -> StateCache {
    do {
      return try StateCache.open(path: path)
    } catch CacheError.corrupt(_, let reason) {
      let aside = try StateCache.moveAside(path: path, at: Date())
      printError(
        "the cache at \(path) was damaged (\(reason)); moved it to \(aside) and started a new one")
      return try StateCache.open(path: path)
    }
  }

  /// What `cache` holds at `now`, analysed by the settings' rules: the one report every command
  /// that shows figures prints a projection of. No cache reports an empty fleet.
  static func report(_ settings: Settings, cache: StateCache?, now: Date, projectionDays: Int = 7)
    throws -> FleetReport
  {
    let state = try cache?.fleetState() ?? FleetState()
    return FleetReport(
      state: state, sources: try cache?.sourceHealth() ?? [],
      history: try cache?.history(of: state, now: now) ?? FleetHistory(),
      bills: try cache?.billingRows() ?? [], ledger: try cache?.ledger() ?? SavingsLedger(),
      incidents: try cache?.incidents(since: now.addingTimeInterval(-IncidentSummary.windowS))
        ?? [],
      incidentTotals: try cache?.incidentTotals() ?? IncidentTotals(), rules: settings.fleetRules,
      now: now,
      projectionDays: projectionDays)
  }

  /// The cache with a day of history (backfilled into an empty one when this process may poll),
  /// or exit 1 when there is no cache to read.
  static func openWithHistory(_ settings: Settings, offline: Bool, now: Date) async throws
    -> StateCache
  {
    guard let cache = try await open(settings, pollFirst: !offline, backfill: true, now: now) else {
      throw NeedsAttention(
        "no cache at \(settings.dbPath): no history to judge (run `factop poll`)")
    }
    return cache
  }

  /// The cache, after one poll when asked and no other poller owns it (and, with `backfill`, a
  /// day of history for an empty cache); nil when there is no cache to read offline (which
  /// reads as empty, not as an error).
  static func open(_ settings: Settings, pollFirst: Bool, backfill: Bool = false, now: Date)
    async throws -> StateCache?
  {
    do {
      // Offline, or another poller writes the cache: read what is there.
      guard pollFirst, let lock = try PollLock.acquire(forCacheAt: settings.dbPath) else {
        return try StateCache.openReadOnly(path: settings.dbPath)
      }
      let cache = try openForPolling(settings.dbPath)
      let poller = settings.poller(cache: cache)
      await poller.pollOnce(at: now)
      if backfill { await poller.backfill(before: now) }
      withExtendedLifetime(lock) {}
      return cache
    } catch CacheError.missing {
      return nil
    } catch let error as CacheError {
      printError(error.description)
      throw ExitStatus.usage
    }
  }
}
