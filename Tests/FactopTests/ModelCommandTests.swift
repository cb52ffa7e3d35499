import Foundation
import Testing

@MainActor @Suite struct ModelCommandTests {
  func json(_ arguments: [String]) throws -> [String: Any] {
    let result = try run(try factopBinary(), ["model"] + arguments)
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
  }

  @Test func reliabilityAnswersWithTheContractKeys() throws {
    let answer = try json([
      "reliability", "--gpus", "16384", "--failure-rate", "3.79", "--days", "54", "--format",
      "json",
    ])
    #expect(
      Set(answer.keys) == ["mttf_h", "expected_interruptions", "ettr", "optimal_checkpoint_min"])
    let interruptions = try #require(answer["expected_interruptions"] as? Double)
    #expect(abs(interruptions - 419) < 42)
  }

  @Test func pricingAnswersBreakEvenAndOwnedCost() throws {
    let breakEven = try json([
      "pricing", "--on-demand-usd-per-h", "98.32", "--reserved-usd-per-h", "57.63",
    ])
    #expect(Set(breakEven.keys) == ["breakeven_utilization_pct"])
    let owned = try json([
      "pricing", "--capex-usd", "50000", "--years", "5", "--node-kw", "8.4", "--gpus-per-node", "8",
      "--pue", "1.56", "--usd-per-kwh", "0.08",
    ])
    #expect(
      Set(owned.keys).isSuperset(of: [
        "capex_usd_per_gpu_h", "energy_usd_per_gpu_h", "tco_usd_per_gpu_h",
      ]))
  }

  @Test func occupancyReadsTheNamedColumns() throws {
    let file = temporaryFolder().appendingPathComponent("series.csv")
    try "when,used,all,waiting\na,80,100,0\nb,40,100,50\n".write(
      to: file, atomically: true, encoding: .utf8)
    let answer = try json([
      "occupancy", file.path, "--time", "when", "--allocated", "used", "--total", "all",
      "--pending", "waiting",
    ])
    #expect(answer["allocation_pct"] as? Double == 60)
    #expect(answer["stranded_pct"] as? Double == 25)
    #expect(answer["samples"] as? Int == 2)
    #expect(answer["start"] as? String == "a" && answer["end"] as? String == "b")
  }

  @Test(arguments: [
    ("when,used,all\na,80,100\nb,forty,100\n", "line 3 column used: \"forty\" is not a number"),
    ("when,used\na,80\n", "line 1 column all: no such column"),
    ("", "empty file"),
  ])
  func badInputExitsTwoNamingFileLineAndColumn(content: String, message: String) throws {
    let file = temporaryFolder().appendingPathComponent("series.csv")
    try content.write(to: file, atomically: true, encoding: .utf8)
    let result = try run(
      try factopBinary(),
      ["model", "occupancy", file.path, "--time", "when", "--allocated", "used", "--total", "all"])
    #expect(result.status == 2)
    #expect(
      result.stderr.contains(file.path) && result.stderr.contains(message), "\(result.stderr)")
  }

  @Test func powercapNeedsAReadableSweep() throws {
    let result = try run(
      try factopBinary(), ["model", "powercap", "--sweep", "/nonexistent/sweep.csv"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("/nonexistent/sweep.csv: cannot read it"))
  }

  @Test func pricingSaysWhatIsMissing() throws {
    let result = try run(try factopBinary(), ["model", "pricing", "--capex-usd", "5"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("also give --node-kw, --pue, --usd-per-kwh, --years"))
  }
}

@MainActor @Suite struct SavingsAndProjectCommandTests {
  @Test func savingsFindsThePlantedWasteOnAFreshCache() throws {
    let db = temporaryFolder().appendingPathComponent("c.sqlite").path
    let result = try run(try factopBinary(), ["savings", "--format", "json", "--db", db])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    #expect(Set(report.keys) == ["spend_usd_per_month", "one_percent_line", "opportunities"])
    let kinds = Set(
      (report["opportunities"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String })
    // The day-shaped detectors see the backfilled day; the straggler may be mid-checkpoint.
    #expect(
      kinds.isSuperset(of: [
        "idle_allocation", "overprovisioned_inference", "pricing_mix", "drained_capacity",
      ]))
    let table = try run(try factopBinary(), ["savings", "--offline", "--db", db])
    #expect(String(decoding: table.stdout, as: UTF8.self).contains("1 % of spend reached"))
  }

  /// Buy or build on the demo's serving cluster: every deployment priced as it runs and on each
  /// listed endpoint, the cheapest autoscaled first, each price with its source and date.
  @Test func managedComparesEveryInferenceDeploymentWithListedEndpoints() throws {
    let db = temporaryFolder().appendingPathComponent("c.sqlite").path
    let result = try run(try factopBinary(), ["model", "managed", "--format", "json", "--db", db])
    #expect(result.status == 0, "\(result.stderr)")
    let answer = try #require(
      try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    #expect(
      Set(answer.keys) == ["deployments", "assumptions", "billed_managed_ai", "bill_currency"])
    #expect(answer["billed_managed_ai"] is NSNull)
    let deployments = try #require(answer["deployments"] as? [[String: Any]])
    #expect(deployments.count >= 3)
    for deployment in deployments {
      #expect(["buy", "build"].contains(deployment["verdict"] as? String))
      #expect((deployment["usd_per_month_today"] as? Double ?? 0) > 0)
      #expect(deployment["profile_hours"] as? Int ?? 0 >= 20, "the backfilled day is its profile")
      let options = try #require(deployment["options"] as? [[String: Any]])
      let costs = options.compactMap { $0["usd_per_month_autoscaled"] as? Double }
      #expect(!costs.isEmpty && costs == costs.sorted())
      for option in options {
        let endpoint = try #require(option["endpoint"] as? [String: Any])
        #expect((endpoint["source"] as? String)?.contains("https://") == true)
        #expect(endpoint["as_of"] is String)
        #expect(
          (option["usd_per_month_fixed"] as? Double ?? 0)
            >= (option["usd_per_month_autoscaled"] as? Double ?? .infinity))
      }
    }
    let table = try run(try factopBinary(), ["model", "managed", "--offline", "--db", db])
    let text = String(decoding: table.stdout, as: UTF8.self)
    #expect(text.contains("Assumptions:") && text.contains("Prices:"))
    #expect(text.contains("embed-search") && text.contains("AUTOSCALED"))
  }

  /// A fresh cache of the demo fleet has the backfilled day replayed into its ledger: the node
  /// drained for days is an open finding at once, with the ledger's every key.
  @Test func theLedgerHasADayBehindItOnAFreshCache() throws {
    let db = temporaryFolder().appendingPathComponent("c.sqlite").path
    let result = try run(
      try factopBinary(), ["savings", "--ledger", "--format", "json", "--db", db])
    #expect(result.status == 0, "\(result.stderr)")
    let ledger = try #require(
      try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    #expect(Set(ledger.keys) == ["open_usd_per_month", "open", "months", "entries"])
    let entries = try #require(ledger["entries"] as? [[String: Any]])
    let drained = try #require(
      entries.first {
        $0["kind"] as? String == "drained_capacity"
          && ($0["title"] as? String)?.contains("drained")
            == true
      })
    #expect(drained["status"] as? String == "open")
    #expect(drained["closed"] is NSNull && drained["moved_to"] is NSNull)
    #expect((ledger["months"] as? [[String: Any]])?.isEmpty == false)
    let table = try run(try factopBinary(), ["savings", "--ledger", "--offline", "--db", db])
    #expect(String(decoding: table.stdout, as: UTF8.self).contains("REALIZED $/MONTH"))
  }

  /// A fresh cache of the demo fleet has the backfilled day replayed into its incident log:
  /// the node drained for days is an open incident, and the day's planted failures hit their
  /// jobs and are priced, their assumptions said.
  @Test func incidentsHaveADayBehindThemOnAFreshCache() throws {
    let db = temporaryFolder().appendingPathComponent("c.sqlite").path
    let result = try run(try factopBinary(), ["incidents", "--format", "json", "--db", db])
    #expect(result.status == 0, "\(result.stderr)")
    let summary = try #require(
      try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    #expect(
      Set(summary.keys) == [
        "last_day", "last_week", "open", "repair_first", "repair_first_parts", "observed_rate",
        "incidents",
        "watched_since", "total_usd", "total_gpu_hours", "goodput",
      ])
    let incidents = try #require(summary["incidents"] as? [[String: Any]])
    let drained = try #require(
      incidents.first { ($0["title"] as? String)?.contains("drained: XID 79") == true })
    #expect(drained["open"] as? Bool == true && drained["end"] is NSNull)
    let hit = incidents.filter { ($0["jobs"] as? [Any])?.isEmpty == false }
    #expect(!hit.isEmpty)
    for incident in hit {
      let cost = try #require(incident["cost"] as? [String: Any])
      #expect((cost["usd"] as? Double ?? 0) > 0)
      // Backfilled history is too coarse to see checkpoints in: the assumption is said.
      #expect((cost["assumptions"] as? [String])?.contains { $0.contains("assumed") } == true)
    }
    #expect((summary["total_usd"] as? Double ?? 0) > 0)
    let table = try run(
      try factopBinary(), ["incidents", "--offline", "--sort", "dollars", "--db", db])
    let text = String(decoding: table.stdout, as: UTF8.self)
    #expect(text.contains("REPAIR FIRST") && text.contains("gpu-a0080"), "\(text)")
  }

  @Test func projectGivesDailyBandsForTheDaysAsked() throws {
    let db = temporaryFolder().appendingPathComponent("c.sqlite").path
    let result = try run(
      try factopBinary(), ["project", "--days", "7", "--format", "json", "--db", db])
    #expect(result.status == 0, "\(result.stderr)")
    let projection = try #require(
      try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    let days = try #require(projection["days"] as? [[String: Any]])
    #expect(days.count == 7)
    for day in days {
      for key in ["spend_usd", "util_pct"] {
        let band = try #require(day[key] as? [String: Double], "\(key) in \(day)")
        #expect(band["low"]! <= band["value"]! && band["value"]! <= band["high"]!)
      }
    }
    let bad = try run(try factopBinary(), ["project", "--days", "0", "--db", db])
    #expect(bad.status == 2)
  }

  /// A reservation term the config says ends in three days: the projection adds the on-demand
  /// difference from that day, and says why.
  @Test func projectAddsAReservationTermEndingAhead() throws {
    let folder = temporaryFolder()
    let db = folder.appendingPathComponent("c.sqlite").path
    let config = folder.appendingPathComponent("config.toml")
    let ends = Date().addingTimeInterval(3 * 86_400).formatted(.iso8601).prefix(10)
    try "[[prices.reservation]]\ncluster = \"train-a\"\nends = \"\(ends)\"\n".write(
      to: config, atomically: true, encoding: .utf8)
    func project(_ extra: [String]) throws -> [String: Any] {
      let result = try run(
        try factopBinary(), ["project", "--days", "7", "--format", "json", "--db", db] + extra)
      #expect(result.status == 0, "\(result.stderr)")
      return try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    }
    // The first fills the cache (a poll and a backfilled day); the second reads the same one.
    let plain = try project([])
    let with = try project(["--offline", "--config", config.path])
    #expect((plain["known_changes"] as? [Any])?.isEmpty == true)
    let change = try #require((with["known_changes"] as? [[String: Any]])?.first)
    #expect((change["reason"] as? String)?.contains("train-a's reservation ends") == true)
    let perHour = try #require(change["usd_per_h"] as? Double)
    #expect(perHour > 0)
    func spend(_ projection: [String: Any]) -> [Double] {
      (projection["days"] as? [[String: Any]] ?? []).compactMap {
        ($0["spend_usd"] as? [String: Double])?["value"]
      }
    }
    let shift = zip(spend(with), spend(plain)).map { $0 - $1 }
    #expect(shift.count == 7)
    #expect(abs(shift[0]) < 0.01 && abs(shift[6] - perHour * 24) < 0.01)
  }

  /// `model project` on any series: the days after its last, each with its value and band.
  @Test func projectAnySeriesGivesItsDaysWithBands() throws {
    func json(_ arguments: [String]) throws -> [String: Any] {
      let result = try run(try factopBinary(), ["model"] + arguments)
      #expect(result.status == 0, "\(result.stderr)")
      return try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    }
    let file = temporaryFolder().appendingPathComponent("gpus.csv")
    // Ten days of allocated GPUs, hourly, between 40 and 60.
    let start = 1_796_083_200  // 2026-12-01 00:00 UTC
    let rows = (0..<240).map { "\(start + $0 * 3_600),\(50 + 10 * sin(Double($0) / 7))" }
    try (["t,allocated"] + rows).joined(separator: "\n").write(
      to: file, atomically: true, encoding: .utf8)
    let answer = try json([
      "project", "--series", file.path, "--time", "t", "--value", "allocated", "--days", "3",
      "--format", "json",
    ])
    let days = try #require(answer["days"] as? [[String: Any]])
    #expect(days.map { $0["date"] as? String } == ["2026-12-11", "2026-12-12", "2026-12-13"])
    for day in days {
      let value = try #require(day["value"] as? Double)
      let low = try #require(day["low"] as? Double)
      let high = try #require(day["high"] as? Double)
      #expect(low <= value && value <= high && low < high && (40...60).contains(value))
    }
    #expect((answer["band"] as? String)?.contains("past forecasts") == true)

    let backtest = try json([
      "backtest", "--series", file.path, "--time", "t", "--value", "allocated",
    ])
    #expect(Set(backtest.keys) == ["origins", "days_checked", "coverage", "mape", "naive_mape"])
    #expect(backtest["origins"] as? Int == 3)
  }
}
