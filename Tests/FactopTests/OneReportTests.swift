import Cockpit
import FleetModel
import FleetSim
import Foundation
import StateCache
import Testing

/// One report, one way through: the snapshot, `factop savings`, `factop project` and the cockpit
/// read one cache through `FleetReport` and show the same numbers. Figures of the fleet as it is
/// match exactly; those that also depend on the moment each process read it (a day's window, the
/// month so far) match to within the seconds between the runs.
@MainActor @Suite struct OneReportTests {
  @Test func theSnapshotTheCockpitAndTheCommandsAgree() throws {
    let db = temporaryFolder().appendingPathComponent("cache.sqlite").path
    let demo = ["--db", db, "--sim-gpus", "256"]
    // The FOCUS export backfills a day of history into the fresh cache.
    #expect(try run(try factopBinary(), ["snapshot", "--format", "focus"] + demo).status == 0)
    func json(_ arguments: [String]) throws -> Any {
      let result = try run(
        try factopBinary(), arguments + ["--offline", "--format", "json"] + demo)
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
      return try JSONSerialization.jsonObject(with: result.stdout)
    }
    let snapshot = try #require(try json(["snapshot"]) as? [String: Any])
    let savings = try #require(try json(["savings"]) as? [String: Any])
    let project = try #require(try json(["project", "--days", "7"]) as? [String: Any])

    let loader = ModelLoader(
      cache: try StateCache.openReadOnly(path: db),
      rules: FleetRules(
        prices: .demo, budgets: try DemoFleet(gpus: 256, seed: 1).powerBudgets,
        alerts: .defaults),
      origin: "test")
    loader.reload()
    let model = try #require(loader.loaded?.model)

    // The fleet as it is: exactly the same.
    let fleet = try #require(snapshot["fleet"] as? [String: Any])
    let cost = try #require(model.summary.fleet.costUSDPerHour)
    #expect(fleet["cost_usd_per_h"] as? Double == (cost * 100).rounded() / 100)
    #expect(fleet["gpus_idle_allocated"] as? Int == model.summary.fleet.gpusIdleAllocated)
    let power = try #require(snapshot["power"] as? [String: Any])
    let facility = try #require(model.power.facilityW)
    #expect(abs((power["facility_w"] as? Double ?? 0) - facility) < 0.1)

    // The savings: one list, in one order, with one set of amounts.
    func list(_ any: Any?) -> [(String, String, Double)] {
      (any as? [[String: Any]] ?? []).map {
        (
          $0["kind"] as? String ?? "", $0["scope"] as? String ?? "",
          $0["usd_per_month"] as? Double ?? 0
        )
      }
    }
    let fromSnapshot = list(snapshot["savings"])
    let fromSavings = list(savings["opportunities"])
    let fromCockpit = (model.savings?.opportunities ?? []).map {
      ($0.kind.rawValue, $0.scope, $0.usdPerMonth)
    }
    #expect(!fromSnapshot.isEmpty)
    for other in [fromSavings, fromCockpit] {
      #expect(other.map(\.0) == fromSnapshot.map(\.0))
      #expect(other.map(\.1) == fromSnapshot.map(\.1))
      for (a, b) in zip(other, fromSnapshot) {
        #expect(abs(a.2 - b.2) <= max(1, 0.01 * b.2), "\(a.0) \(a.1): \(a.2) vs \(b.2)")
      }
    }

    // The month so far and the week ahead.
    let mtd = try #require(fleet["spend_mtd_usd"] as? Double)
    let cockpitMTD = try #require(model.monthToDate.fleet?.usd)
    #expect(abs(mtd - cockpitMTD) <= max(1, 0.01 * mtd))
    let days = try #require(project["days"] as? [[String: Any]])
    let cockpitDays = try #require(model.projection?.days)
    #expect(days.count == 7 && cockpitDays.count == 7)
    for (day, cockpitDay) in zip(days, cockpitDays) {
      let spend = (day["spend_usd"] as? [String: Any])?["value"] as? Double
      let expected = try #require(cockpitDay.spendUSD?.value)
      #expect(abs((spend ?? 0) - expected) <= max(1, 0.01 * expected), "\(day)")
    }
  }
}
