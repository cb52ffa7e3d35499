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
      lower confidence until the cache has one. With --ledger, prints instead what the finder
      has raised over time: open now, and per month what was found, realized (the waste
      stopped) and moved (it came back elsewhere). Method: docs/model.md.
      """)

  @OptionGroup var global: GlobalOptions
  @Option(help: "Output format.") var format: ReportFormat = .table
  @Flag(help: "Read only the cache; never poll a source.") var offline = false
  @Flag(help: "The savings ledger: found, open, realized and moved dollars per month.")
  var ledger = false

  func run() async throws {
    let settings = try Settings.resolve(global)
    let now = Date()
    let cache = try await CacheAccess.openWithHistory(settings, offline: offline, now: now)
    let report = try CacheAccess.report(settings, cache: cache, now: now)
    if ledger {
      try format.print(report.ledger, table: Self.table)
    } else {
      try format.print(report.savings, table: Self.table)
    }
    if report.state.isEmpty {
      throw NeedsAttention("the cache at \(settings.dbPath) holds no data: nothing to judge")
    }
  }

  /// The ledger for people: one line per month, then one per entry, newest first.
  static func table(_ ledger: LedgerSummary) -> String {
    var lines = [
      "Open now: \(DollarText.whole(ledger.openUSDPerMonth))/month in \(ledger.open) opportunities.",
      "",
      "MONTH     FOUND $/MONTH  REALIZED $/MONTH  MOVED $/MONTH",
    ]
    for m in ledger.months {
      lines.append(
        pad(m.month, 8)
          + pad("\(DollarText.whole(m.foundUSDPerMonth)) (\(m.found))", 16, right: true)
          + pad("\(DollarText.whole(m.realizedUSDPerMonth)) (\(m.realized))", 18, right: true)
          + pad("\(DollarText.whole(m.movedUSDPerMonth)) (\(m.moved))", 15, right: true))
    }
    if ledger.months.isEmpty {
      lines.append("(nothing yet: a finding counts once it has lasted an hour)")
    }
    lines += ["", "STATUS    FOUND             $/MONTH  KIND                       TITLE"]
    for e in ledger.entries {
      // `2026-12-07 14:10`, UTC.
      let found = (e.confirmed ?? e.firstSeen).formatted(.iso8601).prefix(16)
        .replacingOccurrences(of: "T", with: " ")
      lines.append(
        pad(e.status.rawValue, 10) + pad(found, 18)
          + pad(
            DollarText.whole(e.status == .open ? e.usdPerMonthLast : e.usdPerMonthFound), 10,
            right: true)
          + "  " + pad(e.kind.rawValue, 25) + e.title)
    }
    return lines.joined(separator: "\n")
  }

  /// The report for people: one line per opportunity, the 1 % line drawn where it is reached.
  static func table(_ report: SavingsReport) -> String {
    var lines = [
      "Spend \(DollarText.whole(report.spendUSDPerMonth))/month; 1 % is \(DollarText.whole(report.onePercentLine.usdPerMonth))/month.",
      "",
      "  #  KIND                       $/MONTH  % SPEND  CONF  TITLE",
    ]
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
