import ArgumentParser
import Exports
import Feeds
import FleetModel
import Foundation
import Logging
import StateCache

struct SnapshotCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "snapshot",
    abstract: "Print the fleet as typed JSON for scripts (schema: docs/snapshot-schema.md).",
    discussion: """
      Polls the sources once into the cache (unless another poller owns it, or --offline), then
      prints what the cache holds. Exits 1 when a source is failing or stale, or the cache is
      empty; 2 on a usage or input error.
      """)

  @OptionGroup var global: GlobalOptions

  @Option(help: "Output format.") var format: JSONFormat = .json

  @Flag(help: "Read only the cache; never poll a source.") var offline = false

  func run() async throws {
    let settings = try Settings.resolve(global)
    let now = Date()
    let (state, health) = try await CacheAccess.read(settings, pollFirst: !offline, now: now)
    let snapshot = Snapshot(state: state, sources: health, prices: .demo, now: now)
    try printJSON(snapshot)
    if state.isEmpty { printError("the cache at \(settings.dbPath) holds no data") }
    if snapshot.needsAttention { throw ExitStatus.attention }
  }
}

/// Opening the cache for a command that reads it.
enum CacheAccess {
  /// The cache's fleet and source health, after one poll when asked and no other poller owns the
  /// cache. A missing cache read offline is empty, not an error.
  static func read(_ settings: Settings, pollFirst: Bool, now: Date) async throws
    -> (FleetState, [SourceHealth])
  {
    do {
      let cache: StateCache
      if pollFirst {
        cache = try StateCache.open(path: settings.dbPath)
        if let lock = try PollLock.acquire(forCacheAt: settings.dbPath) {
          let poller = Poller(
            cache: cache, feeds: try settings.feeds(), prices: .demo,
            timeoutS: settings.pollTimeoutS, logger: Logger(label: "factop.poll"))
          await poller.pollOnce(at: now)
          withExtendedLifetime(lock) {}
        }
      } else {
        cache = try StateCache.openReadOnly(path: settings.dbPath)
      }
      return (try cache.fleetState(), try cache.sourceHealth())
    } catch CacheError.missing {
      return (FleetState(), [])
    } catch let error as CacheError {
      printError(error.description)
      throw ExitStatus.usage
    }
  }
}

extension Settings {
  /// Settings for a command, or exit 2 with the config error.
  static func resolve(_ options: GlobalOptions) throws -> Settings {
    do {
      return try Settings(options)
    } catch {
      printError("\(error)")
      throw ExitStatus.usage
    }
  }
}
