import FleetModel
import Foundation
import Testing

@Suite struct ProjectionTests {
  /// Midnight UTC, 2026-11-18.
  let start = Date(timeIntervalSince1970: 1_794_960_000)

  func series(hours: Int, _ value: (Int) -> Double) -> [(time: Date, value: Double)] {
    (0..<hours).map { (start.addingTimeInterval(Double($0) * 3_600), value($0)) }
  }

  /// Level 1,000 $/h, +2 $/h per hour, a ±200 $/h daily swing, and +300 $/h on one weekday.
  func shaped(_ h: Int) -> Double {
    let weekday = (h / 24 + Int(start.timeIntervalSince1970 / 86_400)) % 7 == 3 ? 300.0 : 0
    return 1_000 + 2 * Double(h) + 200 * sin(2 * Double.pi * Double(h % 24) / 24) + weekday
  }

  @Test func recoversTrendDailyAndWeeklyShape() throws {
    let history = series(hours: 28 * 24, shaped)
    let now = history.last!.time
    let projection = Projection(spendUSDPerHour: history, utilPct: [], days: 7, from: now)
    #expect(projection.method.contains("damped trend") && projection.method.hasSuffix("+ weekday"))
    #expect(projection.band.hasPrefix("80 % of the errors of 26 past forecasts"))
    for (k, day) in projection.days.enumerated() {
      let firstHour = 28 * 24 + k * 24
      let truth = (firstHour..<firstHour + 24).reduce(0) { $0 + shaped($1) }
      let spend = try #require(day.spendUSD)
      // The trend is damped (a tenth less each further day), so the days ahead fall a little
      // behind a trend that never bends.
      #expect(abs(spend.value - truth) <= truth * 0.05, "day \(k): \(spend.value) vs \(truth)")
      #expect(spend.low <= spend.value && spend.value <= spend.high)
    }
    #expect(projection.days.first?.date == "2026-12-16")  // the midnight after the last hour
  }

  @Test func aShortHistoryProjectsItsLevelOnly() throws {
    let projection = Projection(
      spendUSDPerHour: series(hours: 12) { _ in 50 }, utilPct: series(hours: 12) { _ in 40 },
      days: 2, from: start.addingTimeInterval(11 * 3_600))
    #expect(projection.method == "level")
    // Half a day tells the level, not how far the days ahead may stray: wide, and saying why.
    #expect(projection.band == "under two whole days of history: ±50 %")
    let day = try #require(projection.days.first)
    #expect(day.spendUSD == Banded(value: 1_200, low: 600, high: 1_800))
    #expect(day.utilPct?.value == 40)
  }

  @Test func theBandWidensWithTheHorizonAndWithNoise() throws {
    let noisy = series(hours: 5 * 24) { 100 + ($0 % 2 == 0 ? 10 : -10) }
    let projection = Projection(
      spendUSDPerHour: noisy, utilPct: [], days: 5, from: noisy.last!.time)
    let widths = projection.days.compactMap { $0.spendUSD.map { $0.high - $0.low } }
    #expect(widths.first! > 0)
    #expect(widths == widths.sorted())
  }

  @Test func doublingSpendDoublesTheProjection() throws {
    let base = series(hours: 10 * 24, shaped)
    let doubled = base.map { ($0.time, $0.value * 2) }
    let a = Projection(spendUSDPerHour: base, utilPct: [], days: 3, from: base.last!.time)
    let b = Projection(spendUSDPerHour: doubled, utilPct: [], days: 3, from: base.last!.time)
    for (x, y) in zip(a.days, b.days) {
      let (sx, sy) = (try #require(x.spendUSD), try #require(y.spendUSD))
      #expect(abs(sy.value - 2 * sx.value) < 1e-6 * sx.value)
      #expect(abs((sy.high - sy.low) - 2 * (sx.high - sx.low)) < 1e-6 * sx.value)
    }
  }

  @Test func utilizationStaysWithinZeroAndAHundred() throws {
    let rising = series(hours: 5 * 24) { 60 + Double($0) * 0.5 }
    let projection = Projection(
      spendUSDPerHour: [], utilPct: rising, days: 30, from: rising.last!.time)
    #expect(
      projection.days.allSatisfy { ($0.utilPct?.high ?? 0) <= 100 && ($0.utilPct?.low ?? 0) >= 0 })
    #expect(projection.days.last?.utilPct?.value == 100)
    #expect(projection.days.allSatisfy { $0.spendUSD == nil })
  }

  @Test func noHistoryNoFigures() {
    let projection = Projection(spendUSDPerHour: [], utilPct: [], days: 2, from: start)
    #expect(projection.method == "no history")
    #expect(
      projection.days.count == 2
        && projection.days.allSatisfy { $0.spendUSD == nil && $0.utilPct == nil })
  }
}
