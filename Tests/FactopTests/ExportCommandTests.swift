import Foundation
import Testing

/// `factop snapshot` in every format, with --out, --at and --check, as a cron job runs it.
@MainActor @Suite struct ExportCommandTests {
  /// A cache with a day of demo history (what `--format focus` backfills into an empty one).
  /// Polled once at an hourly interval: the offline reads that follow, however late a loaded
  /// machine runs them, find the source fresh (stale is 3 intervals without data).
  static let db: String = {
    let folder = temporaryFolder()
    let path = folder.appendingPathComponent("cache.sqlite").path
    let config = folder.appendingPathComponent("hourly.toml")
    try! "[poll]\ninterval_s = 3600\n".write(to: config, atomically: true, encoding: .utf8)
    _ = try! run(
      try! factopBinary(),
      [
        "snapshot", "--format", "focus", "--db", path, "--sim-gpus", "256", "--config",
        config.path,
      ])
    return path
  }()

  func factop(_ arguments: [String], config: String? = nil) throws -> Finished {
    var arguments = arguments + ["--db", Self.db, "--sim-gpus", "256"]
    if let config {
      let file = temporaryFolder().appendingPathComponent("config.toml")
      try config.write(to: file, atomically: true, encoding: .utf8)
      arguments += ["--config", file.path]
    }
    return try run(try factopBinary(), arguments)
  }

  @Test(arguments: ["fleet", "nodes", "gpus", "jobs", "power", "cost", "savings"])
  func everyViewAsCSVWithAHeaderAndOneLinePerRow(view: String) throws {
    let result = try factop(["snapshot", "--offline", "--format", "csv", "--view", view])
    #expect(result.status == 0, "\(result.stderr)")
    let text = String(decoding: result.stdout, as: UTF8.self)
    #expect(text.hasSuffix("\r\n"))
    let header = try #require(text.split(separator: "\r\n").first)
    let column = [
      "fleet": "gpus_idle_allocated", "nodes": "rack", "gpus": "uuid", "jobs": "user",
      "power": "headroom_pct", "cost": "spend_mtd_usd", "savings": "in_one_percent_line",
    ]
    #expect(header.split(separator: ",").contains { $0 == column[view]! })
  }

  @Test func focusHasAnHourlyRowPerTeamAndJob() throws {
    let result = try factop(["snapshot", "--offline", "--format", "focus"])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\r\n")
    #expect(lines.first?.hasPrefix("BilledCost,EffectiveCost,ListCost") == true)
    #expect(lines.count > 100)
    #expect(lines.contains { $0.hasSuffix(",team") } && lines.contains { $0.hasSuffix(",job") })
  }

  @Test func outWritesAtomicallyForTheOwnerOnly() throws {
    let file = temporaryFolder().appendingPathComponent("fleet.prom")
    let result = try factop(["snapshot", "--offline", "--format", "prom", "--out", file.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.isEmpty)
    let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text.contains("factop_gpus{cluster=\"(fleet)\",state=\"total\"} 256"))
    // Nothing is left beside it.
    let folder = try FileManager.default.contentsOfDirectory(
      atPath: file.deletingLastPathComponent().path)
    #expect(folder == ["fleet.prom"])
  }

  @Test func atAnswersWithWhatWasRecordedThen() throws {
    let result = try factop(["snapshot", "--at", "3h ago", "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    #expect(json["resolution"] as? String == "minute")
    let rows = try #require(json["rows"] as? [[String: Any]])
    let fleet = try #require(rows.first { $0["scope"] as? String == "fleet" })
    #expect((fleet["gpus_allocated"] as? Double ?? 0) > 0)
    #expect(
      rows.contains { $0["scope"] as? String == "cluster" && $0["name"] as? String == "train-a" })
    // The same moment twice gives the same figures: they come from the cache, not a poll.
    let moment = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-5_400))
    let first = try factop(["snapshot", "--at", moment, "--format", "csv"])
    let second = try factop(["snapshot", "--at", moment, "--format", "csv"])
    #expect(first.status == 0 && first.stdout == second.stdout)
  }

  @Test func atBeforeTheHistoryExitsOneAndSaysWhatThereIs() throws {
    let result = try factop(["snapshot", "--at", "30d ago"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("no history at") && result.stderr.contains("the cache holds"))
  }

  @Test(arguments: [
    ["snapshot", "--at", "last tuesday"], ["snapshot", "--format", "prom", "--view", "nodes"],
    ["snapshot", "--at", "1h ago", "--view", "gpus", "--format", "csv"],
    ["snapshot", "--format", "xml"],
  ])
  func usageErrorsExitTwo(arguments: [String]) throws {
    let result = try factop(arguments)
    #expect(result.status == 2, "\(result.stderr)")
  }

  @Test func checkListsBreachesAndExitsOne() throws {
    let config = """
      [alerts]
      idle_allocated_gpus = 0
      idle_minutes = 5
      nodes_down = 0
      """
    let result = try factop(["snapshot", "--offline", "--check"], config: config)
    #expect(result.status == 1, "\(result.stderr)")
    let text = String(decoding: result.stdout, as: UTF8.self)
    try expectNodesDownAlert(in: text)
    #expect(text.contains("ALERT idle_allocated_gpus fleet"))
  }

  /// With no `[alerts]`, the defaults hold: the demo fleet's idle GPUs (10 % of the fleet, above
  /// the default 5 %) break them, and its down node while it is down.
  @Test func checkUsesTheDefaultRulesWithoutAlertsInTheConfig() throws {
    let result = try factop(["snapshot", "--offline", "--check"])
    #expect(result.status == 1, "\(result.stderr)")
    let text = String(decoding: result.stdout, as: UTF8.self)
    try expectNodesDownAlert(in: text)
    #expect(text.contains("ALERT idle_allocated_gpus fleet"), "\(text)")
    #expect(!text.contains("stale_source"), "\(text)")
  }

  /// The demo's down node is repaired for 32 hours in every 72 (the savings ledger's planted
  /// repair): `nodes_down` breaks exactly while the cache shows it down.
  private func expectNodesDownAlert(in text: String) throws {
    let snapshot = try #require(
      try JSONSerialization.jsonObject(
        with: try factop(["snapshot", "--offline", "--format", "json"]).stdout) as? [String: Any])
    let down = (snapshot["nodes"] as? [[String: Any]] ?? []).filter {
      $0["state"] as? String == "down"
    }
    #expect(
      text.contains("ALERT nodes_down fleet: 1 node(s) down (limit 0)") == (down.count == 1),
      "\(down.count) down: \(text)")
  }

  @Test func checkWithNothingBreachedExitsZero() throws {
    let config = """
      [alerts]
      defaults = false
      nodes_down = 5
      spend_usd_per_month = 100000000
      """
    let result = try factop(
      ["snapshot", "--offline", "--check", "--format", "json"], config: config)
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    #expect((json["breaches"] as? [Any])?.isEmpty == true)
  }
}
