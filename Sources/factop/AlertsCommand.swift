import ArgumentParser
import Config
import FleetModel
import Foundation

struct AlertsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "alerts",
    abstract: "List the alert rules in force and where each came from.",
    discussion: """
      The cockpit, the wallboard and `factop snapshot --check` check these rules. Out of the box:
      a node down, a source failing or stale, and allocated GPUs idle for 30 minutes above 5 % of
      the fleet. `[alerts]` in the config replaces a default key by key, or `defaults = false`
      starts from none (docs/exports.md, Alerts).
      """)

  @OptionGroup var global: GlobalOptions

  @Option(help: "table for people, json for scripts.") var format: ReportFormat = .table

  struct Entry: Encodable {
    let key: String
    let setting: String
    let from: String
    let meaning: String
  }

  func run() throws {
    let settings = try Settings.resolve(global)
    let fromConfig = settings.configFile.map { "config \($0)" } ?? "default"
    let entries = settings.alertRules.rules.map { rule in
      // The idle rule is set by its limit or its window.
      let keys = rule.key.hasPrefix("idle_") ? [rule.key, "idle_minutes"] : [rule.key]
      let configured = keys.contains(where: settings.alertKeysSet.contains)
      return Entry(
        key: rule.key, setting: rule.setting, from: configured ? fromConfig : "default",
        meaning: rule.meaning)
    }
    try format.print(entries) { entries in
      guard !entries.isEmpty else {
        return "No alert rules: [alerts] has defaults = false and sets none."
      }
      let header = Entry(key: "RULE", setting: "SETTING", from: "FROM", meaning: "MEANING")
      let rows = [header] + entries
      let keyWidth = rows.map(\.key.count).max() ?? 0
      let settingWidth = rows.map(\.setting.count).max() ?? 0
      let fromWidth = rows.map(\.from.count).max() ?? 0
      func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: width - text.count)
      }
      return rows.map {
        [pad($0.key, keyWidth), pad($0.setting, settingWidth), pad($0.from, fromWidth), $0.meaning]
          .joined(separator: "  ")
      }.joined(separator: "\n")
    }
  }
}
