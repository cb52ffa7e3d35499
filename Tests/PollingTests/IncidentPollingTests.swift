import Feeds
import FleetModel
import FleetSim
import Foundation
import Logging
import Polling
import StateCache
import Testing

/// The poller keeps the incident log in the cache: polling the demo fleet across a planted
/// failure, the cache holds the incident with its node's outage and its hit job, and a later
/// process (a new poller on the same cache) carries it on to its end, exactly as the log
/// stepping through the same moments in memory does.
@Suite struct IncidentPollingTests {
  @Test func pollingAcrossAFailureRecordsItsIncidentInTheCache() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-incidents-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("cache.sqlite").path
    let fleet = try DemoFleet(gpus: 256, seed: 1)
    let planted = try #require(
      fleet.plantedIncidents(
        from: Date(timeIntervalSince1970: 1_795_000_000),
        to: Date(timeIntervalSince1970: 1_795_000_000 + 5 * 86_400)
      ).first { $0.nodeOut != nil })
    let rules = FleetRules(prices: .demo)
    let stepS = 60.0
    func poller() throws -> Poller {
      Poller(
        cache: try StateCache.open(path: path),
        feeds: [SimulatorFeed(fleet: fleet, intervalS: stepS)], rules: rules,
        logger: Logger(label: "test"))
    }
    let from = planted.time.addingTimeInterval(-30 * 60)
    var time = from
    let first = try poller()
    while time < planted.time.addingTimeInterval(2 * stepS) {
      await first.pollOnce(at: time)
      time = time.addingTimeInterval(stepS)
    }
    let cache = try StateCache.open(path: path)
    let open = try #require(try cache.incidents().first { $0.node == planted.node })
    #expect(open.isOpen && open.outage?.end == nil)
    #expect(open.jobs.map(\.job) == [planted.jobID])

    let second = try poller()
    let through = planted.time.addingTimeInterval(planted.restartS + 30 * 60)
    while time <= through {
      await second.pollOnce(at: time)
      time = time.addingTimeInterval(stepS)
    }
    let stored = try #require(try cache.incidents().first { $0.id == open.id })
    let truth = try #require(
      fleet.incidentLog(from: from, through: through, stepS: stepS, prices: .demo)
        .incidents.first { $0.id == open.id })
    #expect(stored == truth)
    #expect(!stored.isOpen && stored.outage?.end != nil)
    #expect(stored.jobs.first?.ranAgain != nil)
    // The running total counts what every incident cost (the nodes already out when the log
    // began among them), once.
    let totals = try cache.incidentTotals()
    let last = time.addingTimeInterval(-stepS)
    let cost = try cache.incidents().reduce(0) {
      $0 + $1.cost(at: last, rules: IncidentRules()).gpuHours
    }
    #expect(abs(totals.gpuHours - cost) < 0.01, "\(totals.gpuHours) against \(cost)")
    // The cache keeps whole seconds.
    #expect(
      totals.watchedSince?.timeIntervalSince1970 == from.timeIntervalSince1970.rounded(.down))
  }
}
