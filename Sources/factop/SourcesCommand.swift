import ArgumentParser
import Config
import Exports
import Feeds
import FleetModel
import Foundation
import StateCache
import TerminalKit
import UntrustedText

struct SourcesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sources",
    abstract: "List the configured sources with their status, data age and last error.",
    discussion: """
      Reads the config and the cache's poll records; never polls and never prints a secret.
      Then lists what the join of the sources could not match: nodes telemetry names that no
      scheduler lists, one UUID on several GPUs, a meter naming an ambiguous node.
      Exit 1 when a source is failing or stale.
      """)

  @OptionGroup var global: GlobalOptions

  @Flag(help: "One JSON object per source, for scripts.") var json = false

  func run() throws {
    let settings = try Settings.resolve(global)
    let now = Date()
    var health: [String: SourceHealth] = [:]
    var findings: [JoinFinding] = []
    if let cache = try? StateCache.openReadOnly(path: settings.dbPath) {
      for record in (try? cache.sourceHealth()) ?? [] { health[record.name] = record }
      findings = (try? cache.fleetState().joinFindings) ?? []
    }
    let rows: [Row] = settings.feeds().map { feed in
      let record = health[feed.name]
      return Row(
        name: feed.name, kind: feed.kind, target: feed.target, tls: feed.tls,
        intervalS: feed.intervalS,
        status: record?.status(at: now) ?? .pending, ageS: record?.ageS(at: now),
        error: record?.lastError.map(UntrustedText.inert))
    }
    if json {
      for row in rows {
        print(String(decoding: try JSONOutput.encode(row, pretty: false), as: UTF8.self))
      }
    } else {
      printText(Self.table(rows))
      // What the join of the sources could not match (the snapshot's `join_findings`).
      if !findings.isEmpty {
        printText(
          "\nJoin: \(findings.count) to check (docs/sources/join.md)\n"
            + findings.map { "  \($0)" }.joined(separator: "\n"))
      }
    }
    let failing = rows.filter { $0.status == .error || $0.status == .stale }
    if !failing.isEmpty {
      throw NeedsAttention(failing.map { "source \($0.name) is \($0.status.rawValue)" })
    }
  }

  struct Row: Encodable {
    let name: String
    let kind: String
    let target: String
    let tls: TLSVerification?
    let intervalS: Double
    let status: SourceStatus
    let ageS: Double?
    let error: String?

    enum CodingKeys: String, CodingKey {
      case name, kind, target, tls, status, error
      case factopVersion = "factop_version"
      case intervalS = "interval_s"
      case ageS = "age_s"
    }

    func encode(to encoder: any Encoder) throws {
      var keys = encoder.container(keyedBy: CodingKeys.self)
      try keys.encode(name, forKey: .name)
      try keys.encode(kind, forKey: .kind)
      try keys.encode(target, forKey: .target)
      try keys.encode(tls, forKey: .tls)
      try keys.encode(intervalS, forKey: .intervalS)
      try keys.encode(status, forKey: .status)
      try keys.encode(ageS.map { ($0 * 10).rounded() / 10 }, forKey: .ageS)
      try keys.encode(error, forKey: .error)
      // Each line stands alone in a log, so each says which release wrote it.
      try keys.encode(FactopVersion.current, forKey: .factopVersion)
    }
  }

  static func table(_ rows: [Row]) -> String {
    let header = ["SOURCE", "KIND", "EVERY", "STATUS", "AGE", "READS", "TLS", "LAST ERROR"]
    let cells = rows.map { row in
      [
        row.name, row.kind, "\(Int(row.intervalS)) s", row.status.rawValue,
        row.ageS.map { "\(Int($0)) s" } ?? "never", row.target,
        row.tls == .unverified ? "UNVERIFIED" : row.tls?.rawValue ?? "-", row.error ?? "",
      ]
    }
    let widths = header.indices.map { column in
      ([header] + cells).map { TerminalText.width($0[column]) }.max() ?? 0
    }
    return ([header] + cells).map { line in
      zip(line, widths).map { cell, width in
        cell + String(repeating: " ", count: max(0, width - TerminalText.width(cell)))
      }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }.joined(separator: "\n")
  }
}
