import FleetModel
import FleetSim
import Foundation
import Testing

/// The daily projection backtested on the demo fleet over 60 simulated days: its hourly spend
/// and utilization, as the poller records them, forecast a week ahead from rolling origins.
@Suite struct DemoForecastBacktestTests {
  static let hourly: (spend: [(time: Date, value: Double)], util: [(time: Date, value: Double)]) = {
    let fleet = try! DemoFleet(gpus: 256, seed: 1)
    let start = Date(timeIntervalSince1970: (1_790_000_000 / 86_400) * 86_400)
    var spend: [(time: Date, value: Double)] = []
    var util: [(time: Date, value: Double)] = []
    for hour in 0..<60 * 24 {
      let time = start.addingTimeInterval(Double(hour) * 3_600)
      let fleet = FleetSummary(fleet.state(at: time), prices: .demo).fleet
      spend.append((time, fleet.costUSDPerHour ?? 0))
      util.append((time, fleet.utilMeanPct ?? 0))
    }
    return (spend, util)
  }()

  @Test(arguments: [("spend", DailyForecast.Aggregate.sum), ("utilization", .mean)])
  func eightyPercentBandsCoverAboutEightyPercentOfDays(
    series: String, aggregate: DailyForecast.Aggregate
  ) throws {
    let hourly = series == "spend" ? Self.hourly.spend : Self.hourly.util
    let backtest = ForecastBacktest(hourly: hourly, aggregate: aggregate)
    print("demo fleet, 60 days of \(series): \(backtest)")
    #expect(backtest.origins == 52 && backtest.daysChecked == 343)
    let coverage = try #require(backtest.coverage)
    #expect((0.75...0.85).contains(coverage), "\(backtest)")
    let (mape, naive) = (try #require(backtest.mape), try #require(backtest.naiveMAPE))
    #expect(mape <= naive * 1.05)
  }
}
