import ArgumentParser
import Config
import Feeds
import FleetModel
import Foundation

struct SavingsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "savings",
    abstract: "The ranked savings worth having, each with its rule and evidence, and the 1 % line.",
    discussion: """
      Reads the fleet and the last day of its history from the cache (polling once first unless
      --offline or another poller owns the cache). Detectors that need a day of history report
      lower confidence until the cache has one. Method: docs/model.md.
      """)

  @OptionGroup var global: GlobalOptions
  @Option(help: "Output format.") var format: ReportFormat = .table
  @Flag(help: "Read only the cache; never poll a source.") var offline = false

  func run() async throws {
    let settings = try Settings.resolve(global)
    let now = Date()
    let cache = try await CacheAccess.openWithHistory(settings, offline: offline, now: now)
    let report = try CacheAccess.report(settings, cache: cache, now: now)
    try format.print(report.savings, table: Self.table)
    if report.state.isEmpty {
      throw NeedsAttention("the cache at \(settings.dbPath) holds no data: nothing to judge")
    }
  }

  /// The report for people: one line per opportunity, the 1 % line drawn where it is reached.
  static func table(_ report: SavingsReport) -> String {
    var lines = [
      "Spend \(DollarText.whole(report.spendUSDPerMonth))/month; 1 % is \(DollarText.whole(report.onePercentLine.usdPerMonth))/month.",
      "",
      "  #  KIND                       $/MONTH  % SPEND  CONF  TITLE",
    ]
    func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
      let fill = String(repeating: " ", count: max(0, width - text.count))
      return right ? fill + text : text + fill
    }
    for (i, o) in report.opportunities.enumerated() {
      lines.append(
        pad(String(i + 1), 3, right: true) + "  " + pad(o.kind.rawValue, 25)
          + pad(DollarText.whole(o.usdPerMonth), 9, right: true)
          + String(format: " %7.2f %%  %4.1f  ", o.pctOfSpend, o.confidence) + o.title)
      if i + 1 == report.onePercentLine.opportunities, report.onePercentLine.reached {
        lines.append("     ─── 1 % of spend reached ───")
      }
    }
    if report.opportunities.isEmpty { lines.append("     nothing found") }
    return lines.joined(separator: "\n")
  }
}
