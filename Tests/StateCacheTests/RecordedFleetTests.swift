import FleetModel
import Foundation
import StateCache
import Testing

@Suite struct RecordedFleetTests {
  let now = Date(timeIntervalSince1970: 1_794_999_600)  // 2026-11-18 09:00 UTC

  /// Three hours of one reading a minute: the fleet and a cluster at 10 + minute's index, a team
  /// spending 40 $/h.
  func cache() throws -> StateCache {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-recorded-\(UUID().uuidString)")
    let cache = try StateCache.open(path: folder.appendingPathComponent("cache.sqlite").path)
    let points = (0..<180).flatMap { minute -> [KPIPoint] in
      let time = now.addingTimeInterval(Double(minute - 180) * 60)
      return [
        KPIPoint(entity: .fleet, kpi: .utilMeanPct, time: time, value: Double(minute)),
        KPIPoint(entity: .fleet, kpi: .gpusAllocated, time: time, value: 100),
        KPIPoint(entity: .cluster("a"), kpi: .utilMeanPct, time: time, value: Double(minute) / 2),
        KPIPoint(entity: .team("red"), kpi: .costUSDPerHour, time: time, value: 40),
      ]
    }
    try cache.append(points, now: now)
    return cache
  }

  @Test func answersWithTheMinuteRecordedThen() throws {
    // 90 minutes ago is minute 90 of the three hours.
    let recorded = try RecordedFleet.read(
      cache: try cache(), at: now.addingTimeInterval(-90 * 60 + 30), now: now)
    #expect(recorded.resolution == .minute)
    #expect(recorded.bucket == now.addingTimeInterval(-90 * 60))
    let fleet = try #require(recorded.entries.first { $0.scope == "fleet" })
    #expect(fleet.values[KPI.utilMeanPct.rawValue] == 90)
    #expect(fleet.values[KPI.gpusAllocated.rawValue] == 100)
    #expect(recorded.entries.first { $0.name == "a" }?.values[KPI.utilMeanPct.rawValue] == 45)
    #expect(
      recorded.entries.first { $0.name == "red" }?.values == [KPI.costUSDPerHour.rawValue: 40])
  }

  @Test func beforeTheHistorySaysWhatRangeThereIs() throws {
    #expect {
      try RecordedFleet.read(cache: try cache(), at: now.addingTimeInterval(-86_400), now: now)
    } throws: { error in
      "\(error)".contains("the cache holds") && "\(error)".contains("no history at")
    }
  }
}
