import ArgumentParser
import Config
import Exports
import Feeds
import FleetModel
import Foundation
import StateCache
import UntrustedText

/// The formats of `factop snapshot`.
enum SnapshotFormat: String, ExpressibleByArgument, CaseIterable {
  case json, csv, md, prom, focus
}

extension SnapshotView: ExpressibleByArgument {}

struct SnapshotCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "snapshot",
    abstract: "Print the fleet for scripts: JSON, CSV, Markdown, Prometheus or FOCUS.",
    discussion: """
      Polls the sources once into the cache (unless another poller owns it, or --offline), then
      prints what the cache holds. json is the whole snapshot (docs/snapshot-schema.md); csv and
      md print the table of one --view (default fleet); prom prints fleet, cluster, source and
      savings metrics; focus prints each team's and job's cost per hour over the last day.
      Exits 1 when a source is failing or stale, the cache is empty, or --check finds a breach;
      2 on a usage or input error.
      """)

  @OptionGroup var global: GlobalOptions

  @Option(help: "Output format (default json; with --check, one line per breach).")
  var format: SnapshotFormat?

  @Option(
    help:
      "The table csv and md print (\(SnapshotView.allCases.map(\.rawValue).joined(separator: "|")))."
  )
  var view: SnapshotView?

  @Flag(help: "Read only the cache; never poll a source.") var offline = false

  @Option(
    help: ArgumentHelp(
      "Answer from the cache's history: the fleet, cluster and team figures recorded at TIME (ISO-8601, or `2h ago`). Never polls.",
      valueName: "time"))
  var at: String?

  @Flag(help: "Check the alert rules (`factop alerts`): print each breach and exit 1, or exit 0.")
  var check = false

  @Option(
    help: ArgumentHelp(
      "Write to FILE (atomically, mode 0600) instead of standard output.", valueName: "file"))
  var out: String?

  func validate() throws {
    if let at {
      guard PastTime.parse(at, now: Date()) != nil else {
        throw ValidationError(
          "--at \(at): give ISO-8601 (2026-11-24T10:00:00Z) or an age (2h ago)")
      }
      guard [.json, .csv, .md].contains(format ?? .json), [nil, .fleet].contains(view), !check
      else {
        throw ValidationError(
          "--at answers with the fleet, cluster and team figures the cache keeps over time: json, csv or md, view fleet, no --check"
        )
      }
    }
    if view != nil, ![.csv, .md].contains(format ?? .json) {
      throw ValidationError(
        "--view selects the table of csv and md; \((format ?? .json).rawValue) has no views")
    }
  }

  func run() async throws {
    let settings = try Settings.resolve(global)
    let now = Date()
    if let at, let moment = PastTime.parse(at, now: now) {
      try await runAt(moment, settings: settings, now: now)
      return
    }
    // The cost allocation is hourly history: an empty demo cache gets its day first.
    let cache = try await CacheAccess.open(
      settings, pollFirst: !offline, backfill: format == .focus, now: now)
    let report = try CacheAccess.report(settings, cache: cache, now: now)
    if check {
      try runCheck(settings, cache: cache, report: report)
      return
    }
    let tables = SnapshotTables(report: report)
    let snapshot = tables.snapshot
    let text: String
    switch format ?? .json {
    case .json:
      text =
        String(
          decoding: try JSONOutput.encode(snapshot, pretty: out == nil && isTerminal), as: UTF8.self
        )
        + "\n"
    case .csv: text = CSVExport.render(tables.table(view ?? .fleet))
    case .md: text = MarkdownExport.render(tables.table(view ?? .fleet), snapshot: snapshot)
    case .prom: text = PromExport.render(tables)
    case .focus:
      text = FocusExport.render(
        try cache?.hourlyAllocation(
          state: report.state, since: now.addingTimeInterval(-FleetHistory.windowS), now: now)
          ?? [])
    }
    try Output.write(text, to: out)
    let empty = report.state.isEmpty ? ["the cache at \(settings.dbPath) holds no data"] : []
    if !empty.isEmpty || snapshot.needsAttention {
      throw NeedsAttention(empty + snapshot.attention)
    }
  }

  /// The figures recorded at `moment`, or exit 1 saying what range the cache holds.
  private func runAt(_ moment: Date, settings: Settings, now: Date) async throws {
    guard let cache = try await CacheAccess.open(settings, pollFirst: false, now: now) else {
      throw NeedsAttention(
        "no cache at \(settings.dbPath): it holds no history (run `factop poll`)")
    }
    let recorded: RecordedFleet
    do {
      recorded = try RecordedFleet.read(cache: cache, at: moment, now: now)
    } catch let error as RecordedFleet.Unavailable {
      throw NeedsAttention("\(error)")
    }
    let figures = RecordedFigures(
      at: moment, resolution: recorded.resolution == .minute ? "minute" : "hour",
      bucketStart: recorded.bucket,
      rows: recorded.entries.map { .init(scope: $0.scope, name: $0.name, values: $0.values) })
    let text: String
    switch format ?? .json {
    case .csv: text = CSVExport.render(figures.table)
    case .md:
      text = MarkdownExport.render(
        figures.table, generatedAt: now,
        sources:
          "the cache's history (\(figures.resolution) rollup from \(recorded.bucket.formatted(.iso8601)))"
      )
    default:
      text =
        String(
          decoding: try JSONOutput.encode(figures, pretty: out == nil && isTerminal), as: UTF8.self)
        + "\n"
    }
    try Output.write(text, to: out)
  }

  /// Checks the alert rules: each breach on a line (or as JSON), exit 1 when there is one.
  private func runCheck(_ settings: Settings, cache: StateCache?, report: FleetReport) throws {
    guard !settings.alertRules.isEmpty else {
      printError(
        "[alerts] has defaults = false and sets no rule: nothing to check (docs/exports.md, Alerts)"
      )
      throw ExitStatus.usage
    }
    guard cache != nil else {
      throw NeedsAttention("no cache at \(settings.dbPath): nothing to check (run `factop poll`)")
    }
    let breaches = report.alerts
    let now = report.now
    switch format {
    case .json?:
      struct Report: Encodable {
        let checkedAt: Date
        let breaches: [AlertBreach]
        enum CodingKeys: String, CodingKey {
          case checkedAt = "checked_at"
          case breaches
        }
      }
      try Output.write(
        String(
          decoding: try JSONOutput.encode(
            Report(checkedAt: now, breaches: breaches), pretty: out == nil && isTerminal),
          as: UTF8.self) + "\n", to: out)
    default:
      // A breach quotes sources and clusters (a source's error is a server's text): inert lines.
      try Output.write(
        breaches.map { UntrustedText.inert("ALERT \($0.alert) \($0.scope): \($0.message)") + "\n" }
          .joined(), to: out)
    }
    if !breaches.isEmpty {
      // The breaches went to standard output (or --out); the reason for exit 1 goes here.
      throw NeedsAttention(
        "\(breaches.count) alert(s) break: "
          + Set(breaches.map(\.alert)).sorted().joined(separator: ", "))
    }
  }
}

extension Settings {
  /// Settings for a command, or exit 2 with the config error.
  static func resolve(_ options: GlobalOptions) throws -> Settings {
    do {
      return try Settings(options)
    } catch {
      printError("\(error)")
      throw ExitStatus.usage
    }
  }
}
