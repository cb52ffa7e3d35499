import ArgumentParser
import Config
import Feeds
import FleetModel
import Foundation
import StateCache

struct ProjectCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "project",
    abstract: "Project daily spend and utilization over the next days, with an 80 % band.",
    discussion: """
      Forecasts the fleet's days from its hourly history (the last 28 days the cache holds): the
      days' level smoothed, with weekday departures once two weeks show them; the 80 % bands are
      the errors of past forecasts made the same way. Changes the price book knows ahead (a
      reservation term ending, a price taking effect on a date) are added from their date.
      Method and backtests: docs/model.md.
      """)

  @OptionGroup var global: GlobalOptions
  @Option(help: "Days to project (1 to 366).") var days: Int
  @Option(help: "Output format.") var format: ReportFormat = .table
  @Flag(help: "Read only the cache; never poll a source.") var offline = false

  func validate() throws {
    guard (1...366).contains(days) else {
      throw ValidationError("--days must be between 1 and 366")
    }
  }

  func run() async throws {
    let settings = try Settings.resolve(global)
    let now = Date()
    let cache = try await CacheAccess.openWithHistory(settings, offline: offline, now: now)
    let projection = try CacheAccess.report(
      settings, cache: cache, now: now, projectionDays: days
    ).projection
    try format.print(projection, table: Self.table)
    if projection.historyHours < 24 {
      throw NeedsAttention(
        "only \(Int(projection.historyHours)) h of history: a projection needs a day to be worth "
          + "its bands (keep `factop poll` running)")
    }
  }

  static func table(_ projection: Projection) -> String {
    var lines = [
      "From \(String(format: "%.0f", projection.historyHours)) h of history (\(projection.method)).",
      "80 % bands: \(projection.band).",
      "",
      "DATE            SPEND        LOW       HIGH    UTIL     LOW    HIGH",
    ]
    for day in projection.days {
      let spend =
        day.spendUSD.map {
          [DollarText.whole($0.value), DollarText.whole($0.low), DollarText.whole($0.high)].map {
            $0.leftPadded(10)
          }.joined(
            separator: " ")
        } ?? "N/A".leftPadded(10)
      let util =
        day.utilPct.map {
          [$0.value, $0.low, $0.high].map { String(format: "%5.1f %%", $0) }.joined(separator: " ")
        } ?? "N/A"
      lines.append("\(day.date) \(spend)  \(util)")
    }
    if !projection.knownChanges.isEmpty {
      lines += ["", "Known ahead, added to spend from their date:"]
      for change in projection.knownChanges {
        let perDay =
          (change.usdPerHour >= 0 ? "+" : "-") + DollarText.whole(abs(change.usdPerHour) * 24)
        lines.append(
          "  \(change.date.formatted(.iso8601).prefix(10))  \(perDay)/day  \(change.reason)")
      }
    }
    return lines.joined(separator: "\n")
  }
}

extension String {
  fileprivate func leftPadded(_ width: Int) -> String {
    String(repeating: " ", count: max(0, width - count)) + self
  }
}
