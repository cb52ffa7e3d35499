import Feeds
import FleetModel
import Foundation
import Testing

/// The daily projection backtested on a real occupancy trace: a month of one Helios virtual
/// cluster (../shared/fixtures/traces/helios/, per minute), its allocated GPUs forecast a week
/// ahead from every day with a week of history before it.
@Suite(
  .enabled(
    if: FileManager.default.fileExists(atPath: fixtures.appendingPathComponent("traces").path),
    "shared/fixtures is absent"))
struct HeliosBacktestTests {
  @Test func eightyPercentBandsCoverAboutEightyPercentOfDays() throws {
    let path = fixtures.appendingPathComponent(
      "traces/helios/earth_vcvlY_cluster_sequence_vc.csv")
    let hourly = try SeriesFile.parse(
      try String(contentsOf: path, encoding: .utf8), source: path.lastPathComponent,
      time: "time", value: "running_gpu_num")
    // 2020-05-01 00:00 to 05-31 23:00, every hour.
    #expect(hourly.count == 31 * 24)
    let backtest = ForecastBacktest(hourly: hourly, aggregate: .mean)
    print("Helios vcvlY, running GPUs: \(backtest)")
    #expect(backtest.origins == 24 && backtest.daysChecked == 147)
    let coverage = try #require(backtest.coverage)
    #expect((0.75...0.85).contains(coverage), "\(backtest)")
    // Better than the last week repeated.
    let (mape, naive) = (try #require(backtest.mape), try #require(backtest.naiveMAPE))
    #expect(mape < naive)
  }

  @Test func timesAreReadInEverySpellingAndBadOnesNamed() throws {
    let text = """
      t,v
      2026-12-01 10:15:00,1
      2026-12-01T10:45:00Z,3
      1796122800,5
      """
    let hourly = try SeriesFile.parse(text, source: "s.csv", time: "t", value: "v")
    // 10:15 and 10:45 are one hour (their mean); 1796122800 is 11:00 UTC.
    #expect(hourly.map(\.value) == [2, 5])
    #expect {
      try SeriesFile.parse("t,v\nyesterday,1\n", source: "s.csv", time: "t", value: "v")
    } throws: { "\($0)".contains("s.csv line 2 column t") && "\($0)".contains("not a time") }
  }
}
