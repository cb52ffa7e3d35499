import Feeds
import FleetModel
import FleetSim
import Foundation
import Logging
import Polling
import StateCache
import Testing

/// The poller keeps the savings ledger in the cache: polling the demo fleet across the moment
/// the forgotten sweep is released, the ledger holds its idle finding as realized, and a later
/// process (a new poller on the same cache) carries the ledger on.
@Suite struct LedgerPollingTests {
  @Test func pollingAcrossAReleaseRealizesTheFindingInTheCache() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-ledger-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("cache.sqlite").path
    let fleet = try DemoFleet(gpus: 256, seed: 1)
    let release = try #require(
      fleet.acts(
        from: Date(timeIntervalSince1970: 1_795_000_000),
        to: Date(timeIntervalSince1970: 1_795_000_000 + 5 * 86_400)
      ).first { $0.subject == fleet.groundTruth.releasedJob })
    let rules = FleetRules(prices: .demo)
    let step = rules.savings.ledger.stepS
    func poller() throws -> Poller {
      Poller(
        cache: try StateCache.open(path: path), feeds: [SimulatorFeed(fleet: fleet, intervalS: 10)],
        rules: rules, logger: Logger(label: "test"))
    }
    // Polls every five minutes: the ledger takes every other one (its step is ten minutes).
    var time = release.time.addingTimeInterval(-3 * 3_600)
    let first = try poller()
    while time < release.time {
      await first.pollOnce(at: time)
      time = time.addingTimeInterval(step / 2)
    }
    let cache = try StateCache.open(path: path)
    let open = try #require(
      try cache.ledger().entries.first { $0.title.contains(fleet.groundTruth.releasedJob) })
    #expect(open.status == .open)
    #expect(try cache.ledgerRecordedAt() == release.time.addingTimeInterval(-step))

    let second = try poller()
    while time < release.time.addingTimeInterval(2 * 3_600) {
      await second.pollOnce(at: time)
      time = time.addingTimeInterval(step / 2)
    }
    let entry = try #require(try cache.ledger().entries.first { $0.id == open.id })
    #expect(entry.status == .realized)
    #expect(entry.closed == release.time.addingTimeInterval(-step))
    #expect(entry.confirmed == open.confirmed)
  }
}
