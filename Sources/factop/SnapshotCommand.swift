import ArgumentParser
import Exports
import Feeds
import FleetModel
import Foundation
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
    let cache = try await CacheAccess.open(settings, pollFirst: !offline, now: now)
    let state = try cache?.fleetState() ?? FleetState()
    let savings = try cache.map {
      SavingsFinder.find(
        try KPISeries.savingsContext(cache: $0, state: state, prices: settings.priceBook, now: now),
        rules: settings.savingsRules)
    }
    let snapshot = Snapshot(
      state: state, sources: try cache?.sourceHealth() ?? [], prices: settings.priceBook, now: now,
      savings: savings?.opportunities ?? [],
      history: try cache.map {
        Snapshot.History(
          monthToDate: try KPISeries.monthToDate(cache: $0, now: now),
          idleAllocatedGPUHours24h: try KPISeries.fleetGPUHours(
            KPISeries.gpusIdleAllocated, cache: $0, now: now))
      } ?? Snapshot.History())
    try printJSON(snapshot)
    if state.isEmpty { printError("the cache at \(settings.dbPath) holds no data") }
    if snapshot.needsAttention { throw ExitStatus.attention }
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
