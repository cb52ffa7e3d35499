import Feeds
import FleetModel
import Foundation
import StateCache
import Testing

@Suite struct KPISeriesTests {
  func cache() throws -> StateCache {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-kpi-\(UUID().uuidString)")
    return try StateCache.open(path: folder.appendingPathComponent("cache.sqlite").path)
  }

  @Test func idleGPUHoursIntegrateTheMinuteSeries() throws {
    let cache = try cache()
    let now = Date(timeIntervalSince1970: 1_795_000_000 / 3_600 * 3_600)
    // Two hours: 10 idle GPUs in the first, 30 in the second, one reading a minute.
    let points = (0..<120).map { minute in
      SeriesPoint(
        entity: "fleet", metric: KPISeries.gpusIdleAllocated,
        time: now.addingTimeInterval(Double(minute - 120) * 60), value: minute < 60 ? 10 : 30)
    }
    try cache.append(points, now: now)
    let hours = try #require(
      try KPISeries.fleetGPUHours(KPISeries.gpusIdleAllocated, cache: cache, now: now))
    #expect(abs(hours - 40) < 1e-9)
    #expect(try KPISeries.fleetGPUHours(KPISeries.powerW, cache: cache, now: now) == nil)
  }

  @Test func monthToDateFromTheRecordedRunRate() throws {
    let cache = try cache()
    let month = MonthToDate.monthStart(of: Date(timeIntervalSince1970: 1_795_000_000))
    let now = month.addingTimeInterval(3 * 3_600)
    let points = (0..<180).flatMap { minute -> [SeriesPoint] in
      let time = month.addingTimeInterval(Double(minute) * 60)
      return [
        SeriesPoint(entity: "fleet", metric: KPISeries.costUSDPerHour, time: time, value: 100),
        SeriesPoint(entity: "team/red", metric: KPISeries.costUSDPerHour, time: time, value: 40),
      ]
    }
    try cache.append(points, now: now)
    let spend = try KPISeries.monthToDate(cache: cache, now: now)
    #expect(spend.fleet?.usd == 300)
    #expect(spend.fleet?.since == month)
    #expect(spend.teams["red"]?.usd == 120)
  }
}
