import ArgumentParser
import Feeds
import FleetModel
import Foundation

/// What `model project` and `model backtest` read: a CSV series and how its days are made.
struct SeriesOptions: ParsableArguments {
  @Option(help: ArgumentHelp("The series CSV.", valueName: "file")) var series: String
  @Option(help: "The timestamp column (ISO 8601, or Unix seconds).") var time: String
  @Option(help: "The value column.") var value: String
  @Option(
    help: "How a day is made of its hours: mean (a level: GPUs, %) or sum (a rate: $/h).")
  var aggregate: DailyForecast.Aggregate = .mean

  func hourly() throws -> [(time: Date, value: Double)] {
    try parseInput(series) { (text) throws(InputError) in
      try SeriesFile.parse(text, source: series, time: time, value: value)
    }
  }
}

extension DailyForecast.Aggregate: ExpressibleByArgument {}

struct SeriesProjectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "project",
    abstract: "Project any time series day by day, with 80 % bands measured from past forecasts.")

  @OptionGroup var global: GlobalOptions
  @OptionGroup var input: SeriesOptions
  @Option(help: "Days to project, after the series' last day.") var days = 7
  @Option(help: "Output format.") var format: ReportFormat = .table

  /// The JSON contract: the days, each with its value and band.
  struct Answer: Encodable {
    struct Day: Encodable {
      let date: String
      let value: Double
      let low: Double
      let high: Double
    }
    let days: [Day]
    let historyHours: Double
    let method: String
    let band: String

    enum CodingKeys: String, CodingKey {
      case days, method, band
      case historyHours = "history_hours"
    }
  }

  func validate() throws {
    guard (1...366).contains(days) else { throw ValidationError("--days must be 1 to 366") }
  }

  func run() throws {
    let hourly = try input.hourly()
    guard
      let forecast = DailyForecast(
        hourly: hourly, aggregate: input.aggregate, days: days, from: hourly.last!.time)
    else {
      printError("\(input.series): one hour of history is not enough to project")
      throw ExitStatus.usage
    }
    let answer = Answer(
      days: forecast.days.map {
        Answer.Day(
          date: ISO8601DateFormatter.string(
            from: $0.start, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate]),
          value: $0.value.value, low: $0.value.low, high: $0.value.high)
      }, historyHours: forecast.historyHours, method: forecast.method, band: forecast.band)
    try format.print(answer) { answer in
      let heading = [
        "From \(Int(answer.historyHours)) h of history (\(answer.method)).",
        "80 % band: \(answer.band).", "",
        "DATE              VALUE          LOW         HIGH",
      ]
      let rows = answer.days.map { day -> String in
        let cells = [day.value, day.low, day.high].map { String(format: " %12.2f", $0) }
        return day.date + cells.joined()
      }
      return (heading + rows).joined(separator: "\n")
    }
  }
}

struct BacktestCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backtest",
    abstract:
      "How the projection would have done on a series: rolling origins, the next days forecast from what came before."
  )

  @OptionGroup var global: GlobalOptions
  @OptionGroup var input: SeriesOptions
  @Option(help: "Days forecast from each origin.") var days = 7
  @Option(help: "Output format.") var format: JSONFormat = .json

  func validate() throws {
    guard (1...60).contains(days) else { throw ValidationError("--days must be 1 to 60") }
  }

  func run() throws {
    try printJSON(
      ForecastBacktest(hourly: try input.hourly(), aggregate: input.aggregate, horizonDays: days))
  }
}
