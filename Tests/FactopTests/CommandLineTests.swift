import Foundation
import Testing

@MainActor @Suite struct SnapshotCommandTests {
  @Test func pollsThenPrintsASnapshotThatMatchesTheSchema() throws {
    let db = temporaryFolder().appendingPathComponent("cache.sqlite").path
    let result = try run(
      try factopBinary(), ["snapshot", "--format", "json", "--db", db, "--sim-gpus", "256"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try validateAgainstSnapshotSchema(result.stdout) == nil)
    let json = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    #expect(json["schema_version"] as? Int == 1)
    let fleet = try #require(json["fleet"] as? [String: Any])
    #expect(fleet["gpus_total"] as? Int == 256)
    #expect((json["gpus"] as? [Any])?.count == 256)
    let sources = try #require(json["sources"] as? [[String: Any]])
    #expect(sources.map { $0["status"] as? String } == ["ok"])
    #expect(json["savings"] is [Any])
    #expect(fleet["gpu_hours_idle_allocated_24h"] is Double)
    // A down node's GPUs report nothing: null, never 0. (The demo's down node is down 40 h of
    // every 72: whether one is down depends on when the test runs.)
    let gpus = try #require(json["gpus"] as? [[String: Any]])
    let down = Set(
      (json["nodes"] as? [[String: Any]] ?? []).filter { $0["state"] as? String == "down" }
        .compactMap { $0["name"] as? String })
    for gpu in gpus where down.contains(gpu["node"] as? String ?? "") {
      #expect(gpu["power_w"] is NSNull, "\(gpu)")
    }

    let offline = try run(try factopBinary(), ["snapshot", "--offline", "--db", db])
    #expect(offline.status == 0, "\(offline.stderr)")
    let again = try #require(
      try JSONSerialization.jsonObject(with: offline.stdout) as? [String: Any])
    #expect((again["fleet"] as? [String: Any])?["gpus_total"] as? Int == 256)
  }

  @Test(arguments: ["absent.sqlite", "empty.sqlite"])
  func anEmptyCacheReadOfflineIsValidJSONAndExitsOne(file: String) throws {
    let folder = temporaryFolder()
    let db = folder.appendingPathComponent(file).path
    if file == "empty.sqlite" { _ = FileManager.default.createFile(atPath: db, contents: Data()) }
    let result = try run(
      try factopBinary(), ["snapshot", "--format", "json", "--offline", "--db", db])
    #expect(result.status == 1)
    #expect(try validateAgainstSnapshotSchema(result.stdout) == nil)
    let json = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    // Nothing has answered: the fleet's size is unknown, not 0.
    #expect((json["fleet"] as? [String: Any])?["gpus_total"] is NSNull)
    #expect((json["fleet"] as? [String: Any])?["nodes_by_state"] is NSNull)
    #expect((json["fleet"] as? [String: Any])?["power_w"] is NSNull)
    #expect(result.stderr.contains("holds no data"))
    #expect(
      !FileManager.default.fileExists(atPath: folder.appendingPathComponent("absent.sqlite").path))
  }

  /// Every exit 1 says on standard error what deserves attention, whichever command it is.
  @Test func everyExitOneSaysWhy() throws {
    let folder = temporaryFolder()
    let absent = folder.appendingPathComponent("absent.sqlite").path
    let demo = folder.appendingPathComponent("demo.sqlite").path
    let broken = folder.appendingPathComponent("broken.sqlite").path
    // A spend budget of $1 a month: broken whenever the demo runs, unlike its down node, which
    // is down only part of the time.
    let budget = folder.appendingPathComponent("budget.toml")
    try "[alerts]\nspend_usd_per_month = 1\n".write(to: budget, atomically: true, encoding: .utf8)
    let config = folder.appendingPathComponent("config.toml")
    try """
    [[cluster]]
    name = "lab"
      [[cluster.source]]
      kind = "nvidia-smi"
      command = "\(folder.path)/no-such-nvidia-smi"
    """.write(to: config, atomically: true, encoding: .utf8)
    _ = try run(try factopBinary(), ["snapshot", "--db", demo, "--sim-gpus", "256"])
    let cases: [([String], String)] = [
      (["snapshot", "--offline", "--db", absent], "holds no data"),
      (["savings", "--offline", "--db", absent], "no cache at"),
      (["project", "--days", "3", "--offline", "--db", absent], "no cache at"),
      (
        ["snapshot", "--offline", "--check", "--db", demo, "--config", budget.path],
        "alert(s) break: "
      ),
      (
        ["poll", "--once", "--db", broken, "--config", config.path], "source lab/nvidia-smi failed"
      ),
      (["sources", "--db", broken, "--config", config.path], "source lab/nvidia-smi is error"),
    ]
    for (arguments, reason) in cases {
      let result = try run(try factopBinary(), arguments)
      #expect(result.status == 1, "\(arguments): \(result.stderr)")
      #expect(result.stderr.contains(reason), "\(arguments): \(result.stderr)")
    }
  }

  /// One release string, said the same way by --version, the snapshot, the Prometheus export and
  /// `sources --json`.
  @Test func everyOutputSaysWhichReleaseWroteIt() throws {
    let db = temporaryFolder().appendingPathComponent("cache.sqlite").path
    let version = try run(try factopBinary(), ["--version"])
    #expect(version.status == 0)
    let release = String(decoding: version.stdout, as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(release.split(separator: ".").count == 3, "\(release)")

    let snapshot = try run(try factopBinary(), ["snapshot", "--db", db, "--sim-gpus", "256"])
    let json = try #require(
      try JSONSerialization.jsonObject(with: snapshot.stdout) as? [String: Any])
    #expect(json["factop_version"] as? String == release)
    let prom = try run(
      try factopBinary(), ["snapshot", "--offline", "--format", "prom", "--db", db])
    #expect(
      String(decoding: prom.stdout, as: UTF8.self).contains(
        "factop_build_info{version=\"\(release)\"} 1"))
    let sources = try run(try factopBinary(), ["sources", "--json", "--db", db])
    let line = try #require(
      try JSONSerialization.jsonObject(with: sources.stdout) as? [String: Any])
    #expect(line["factop_version"] as? String == release)
  }

  @Test func theDatabaseCanComeFromTheEnvironment() throws {
    let db = temporaryFolder().appendingPathComponent("env.sqlite").path
    let result = try run(
      try factopBinary(), ["snapshot", "--sim-gpus", "256"], environment: ["FACTOP_DB": db])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(FileManager.default.fileExists(atPath: db))
  }
}

@MainActor @Suite struct UsageErrorTests {
  @Test(arguments: [
    (["snapshot", "--sim-gpus", "100"], "--sim-gpus: a demo fleet of 100 GPUs is not supported"),
    (["snapshot", "--format", "yaml"], "yaml"),
    (["snapshot", "--bogus"], "--bogus"),
    (["poll", "--interval", "0"], "--interval must be at least 1 second"),
  ])
  func exitTwoWithAMessage(arguments: [String], message: String) throws {
    let result = try run(try factopBinary(), arguments)
    #expect(result.status == 2)
    #expect(result.stderr.contains(message), "\(result.stderr)")
  }

  @Test func theCockpitWithoutATerminalPointsToSnapshot() throws {
    let db = temporaryFolder().appendingPathComponent("c.sqlite").path
    let result = try run(try factopBinary(), ["--db", db])
    #expect(result.status == 2)
    #expect(result.stderr.contains("factop snapshot"))
  }

  @Test(arguments: [
    ("[sim]\ngpu = 512\n", "unknown key sim.gpu"),
    ("[sim]\ngpus = \"many\"\n", "sim.gpus must be of type Int"),
    ("[sim\ngpus = 1\n", "line 1"),
    ("[poll]\ninterval_s = 0.1\n", "poll.interval_s must be ≥ 1"),
    ("[alerts]\nidle_minutes = 2000\n", "alerts.idle_minutes must be between 1 and 1440"),
    (
      "[[prices.gpu]]\nmodel = \"x\"\non_demand = -1\nas_of = \"2024-01-01\"\nsource = \"s\"\n",
      "prices.gpu[0].on_demand must be a positive number"
    ),
    (
      "[[prices.gpu]]\nmodel = \"x\"\nspot = 1\nas_of = \"last week\"\nsource = \"s\"\n",
      "prices.gpu[0].as_of must be a date"
    ),
    (
      "[[prices.gpu]]\nmodel = \"x\"\nspot = 1\nas_of = \"2024-01-01\"\nsource = \"s\"\nfrom = \"soon\"\n",
      "prices.gpu[0].from must be a date, YYYY-MM-DD"
    ),
    (
      "[[prices.reservation]]\ncluster = \"a\"\nends = \"2027-13-45\"\n",
      "prices.reservation[0].ends must be a date"
    ),
    (
      "[[prices.reservation]]\ncluster = \"a\"\nends = \"2027-01-01\"\nthen = \"free\"\n",
      "prices.reservation[0].then must be one of on_demand"
    ),
    ("[sites.dc-east]\npue = 0.5\n", "sites.dc-east.pue must be between 1 and 5"),
    ("[sites.dc-east]\npower_budget_kw = -3\n", "sites.dc-east.power_budget_kw must be a positive"),
    (
      "[[redfish.bmc]]\nnode = \"n\"\nurl = \"ftp://bmc\"\n",
      "redfish.bmc[0].url must start with https://"
    ),
    (
      "[[redfish.bmc]]\nnode = \"n\"\nurl = \"https://bmc\"\npassword_env = \"FACTOP_NO_SUCH_VARIABLE\"\n",
      "redfish.bmc[0].password_env names FACTOP_NO_SUCH_VARIABLE, which is not set"
    ),
    (
      "[[redfish.pdu]]\nrack = \"r1\"\nurl = \"https://pdu\"\n",
      "redfish.pdu[0].rack must be CLUSTER/RACK"
    ),
    (
      "[powercap]\nsweep = \"/nonexistent/sweep.csv\"\n",
      "powercap.sweep: cannot read /nonexistent/sweep.csv"
    ),
    ("[energy]\nusd_per_kwh = 0.1\nas_of = \"2024-01-01\"\n", "energy.source"),
    (
      "[[cluster]]\nname = \"a\"\n[[cluster.source]]\nkind = \"lsf\"\n",
      "cluster[0].source[0].kind must be one of slurm, slurmrestd, prometheus, kubernetes, nvidia-smi"
    ),
    ("[[cluster]]\nname = \"a\"\n", "cluster[0] lists no [[cluster.source]]"),
    (
      "[[cluster]]\nname = \"a\"\npricing = \"free\"\n[[cluster.source]]\nkind = \"slurm\"\n",
      "cluster[0].pricing must be one of on_demand, reserved_1y"
    ),
    (
      "[[cluster]]\nname = \"a\"\n[[cluster.source]]\nkind = \"slurmrestd\"\nurl = \"http://x\"\nuser = \"u\"\n",
      "cluster[0].source[0] needs token_file or token_env"
    ),
    (
      "[[cluster]]\nname = \"a\"\n[[cluster.source]]\nkind = \"prometheus\"\nurl = \"x\"\n",
      "cluster[0].source[0].url must start with https:// or http://"
    ),
    (
      "[[cluster]]\nname = \"a\"\n[[cluster.source]]\nkind = \"slurm\"\ninterval_s = 0\n",
      "cluster[0].source[0].interval_s must be ≥ 1"
    ),
    (
      "[[cluster]]\nname = \"a\"\n[[cluster.source]]\nkind = \"slurm\"\n[[cluster.source]]\nkind = \"slurm\"\n",
      "two sources are called a/slurm"
    ),
    (
      "[[cluster]]\nname = \"a\"\n[[cluster.source]]\nkind = \"slurm\"\ncolour = 1\n",
      "unknown key cluster[0].source[0].colour"
    ),
    (
      "[[cluster]]\nname = \"a\"\n[[cluster.source]]\nkind = \"slurm\"\nurl = \"http://x\"\n",
      "cluster[0].source[0].url does not apply to kind slurm, which reads kind, name, interval_s, timeout_s, bin_dir"
    ),
    (
      "[[cluster]]\nname = \"a\"\n[[cluster.source]]\nkind = \"nvidia-smi\"\ntoken_env = \"T\"\n",
      "cluster[0].source[0].token_env does not apply to kind nvidia-smi"
    ),
    ("[sim]\nseed = -1\n", "sim.seed must be 0 or more"),
    ("[sim]\ngpus = 100\n", "sim.gpus: a demo fleet of 100 GPUs is not supported"),
    ("[redfish]\ninterval_s = 0\n", "redfish.interval_s must be ≥ 1"),
    ("[poll]\ninterval_s = inf\n", "poll.interval_s must be a finite number"),
  ])
  func aBadConfigNamesTheFileAndTheKey(config: String, message: String) throws {
    let file = temporaryFolder().appendingPathComponent("config.toml")
    try config.write(to: file, atomically: true, encoding: .utf8)
    let db = temporaryFolder().appendingPathComponent("c.sqlite").path
    let result = try run(try factopBinary(), ["snapshot", "--config", file.path, "--db", db])
    #expect(result.status == 2)
    #expect(
      result.stderr.contains(file.path) && result.stderr.contains(message), "\(result.stderr)")
  }

  /// The README's config example, pasted as it is: `config check` names, at once, exactly the
  /// lines it marks FILL IN, and nothing else; filled in (the variables exported, the sweep
  /// deleted), it is accepted.
  @Test func theReadmeConfigExampleNeedsOnlyItsFillIns() throws {
    let readme = try String(
      contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let start = try #require(readme.range(of: "```toml\n"))
    let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
    let example = String(readme[start.upperBound..<end.lowerBound])
      .replacingOccurrences(
        of: "/var/lib/factop/cache.sqlite", with: temporaryFolder().path + "/c.sqlite")
    let fillIns = example.components(separatedBy: "\n").filter { $0.contains("FILL IN") }
      .map { $0.split(separator: "=")[0].trimmingCharacters(in: .whitespaces) }
    #expect(fillIns == ["token_env", "password_env", "sweep"])
    let file = temporaryFolder().appendingPathComponent("config.toml")
    try example.write(to: file, atomically: true, encoding: .utf8)
    let pasted = try run(try factopBinary(), ["config", "check", file.path])
    #expect(pasted.status == 2)
    let problems = pasted.stderr.split(separator: "\n")
    #expect(problems.count == fillIns.count, "\(pasted.stderr)")
    for key in fillIns {
      #expect(problems.contains { $0.contains(file.path) && $0.contains(key) }, "\(key)")
    }

    try example.components(separatedBy: "\n").filter { !$0.hasPrefix("sweep =") }
      .joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
    let filled = try run(
      try factopBinary(), ["config", "check", file.path],
      environment: ["FACTOP_BMC_PASSWORD": "example", "FACTOP_PROMETHEUS_TOKEN": "example"])
    #expect(filled.status == 0, "\(filled.stderr)")
    #expect(String(decoding: filled.stdout, as: UTF8.self).contains("\(file.path): ok"))
  }

  /// Every problem of a config at once, not one per try, whichever section it is in.
  @Test func configCheckNamesEveryProblem() throws {
    let file = temporaryFolder().appendingPathComponent("config.toml")
    try """
    [poll]
    interval_s = 0
    [alerts]
    nodes_down = -1
    [[cluster]]
    name = "hpc-east"
    pricing = "cheap"
      [[cluster.source]]
      kind = "prometheus"
      url = "ftp://prometheus"
      [[cluster.source]]
      kind = "slurmrestd"
      url = "http://slurm:6820"
      token_env = "FACTOP_NOT_SET_ANYWHERE"
    [[redfish.bmc]]
    node = "gpu001"
    url = "https://10.0.0.1"
    password_env = "FACTOP_NOT_SET_EITHER"
    """.write(to: file, atomically: true, encoding: .utf8)
    let result = try run(try factopBinary(), ["config", "check", file.path])
    #expect(result.status == 2)
    for key in [
      "poll.interval_s", "alerts.nodes_down", "cluster[0].pricing", "cluster[0].source[0].url",
      "cluster[0].source[1].user", "redfish.bmc[0].password_env",
    ] {
      #expect(result.stderr.contains(key), "\(key) missing from \(result.stderr)")
    }
    // Any other command says the same, in one error.
    let snapshot = try run(try factopBinary(), ["snapshot", "--offline", "--config", file.path])
    #expect(snapshot.status == 2 && snapshot.stderr.contains("6 problems"), "\(snapshot.stderr)")
  }

  /// `factop alerts` lists the rules in force and says which are the defaults.
  @Test func alertsListTheRulesAndWhereEachCameFrom() throws {
    let file = temporaryFolder().appendingPathComponent("config.toml")
    /// The rules `factop alerts --format json` lists under `config` (none: no config file).
    func rules(config: String?) throws -> [[String: String]] {
      var arguments = ["alerts", "--format", "json", "--db", file.path + ".sqlite"]
      if let config {
        try config.write(to: file, atomically: true, encoding: .utf8)
        arguments += ["--config", file.path]
      }
      let result = try run(try factopBinary(), arguments)
      #expect(result.status == 0, "\(result.stderr)")
      return try #require(
        try JSONSerialization.jsonObject(with: result.stdout) as? [[String: String]])
    }
    let defaults = try rules(config: nil)
    #expect(
      defaults.map { $0["key"] } == [
        "idle_allocated_pct", "nodes_down", "stale_source", "links_flapping",
      ])
    #expect(defaults.allSatisfy { $0["from"] == "default" })

    let mixed = try rules(config: "[alerts]\nnodes_down = 2\nspend_usd_per_month = 1000000\n")
    let from = Dictionary(uniqueKeysWithValues: mixed.map { ($0["key"]!, $0["from"]!) })
    #expect(from["nodes_down"] == "config \(file.path)")
    #expect(from["spend_usd_per_month"] == "config \(file.path)")
    #expect(from["stale_source"] == "default")
    #expect(mixed.first { $0["key"] == "nodes_down" }?["setting"] == "2")

    let only = try rules(config: "[alerts]\ndefaults = false\nnodes_down = 2\n")
    #expect(only.map { $0["key"] } == ["nodes_down"])
  }

  @Test func configPricesChangeTheCost() throws {
    let file = temporaryFolder().appendingPathComponent("config.toml")
    try """
    [poll]
    interval_s = 10

    [[prices.gpu]]
    model = "H100-SXM5-80GB"
    reserved_3y = 5
    as_of = "2023-07-26"
    source = "AWS p5.48xlarge 3-year reservation ÷ 8"
    """.write(to: file, atomically: true, encoding: .utf8)
    let db = temporaryFolder().appendingPathComponent("c.sqlite").path
    func trainCost(_ extra: [String]) throws -> Double? {
      let result = try run(
        try factopBinary(), ["snapshot", "--db", db, "--sim-gpus", "256"] + extra)
      #expect(result.status == 0, "\(result.stderr)")
      let json = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
      let clusters = json?["clusters"] as? [[String: Any]]
      return clusters?.first { $0["name"] as? String == "train-a" }?["cost_usd_per_h"] as? Double
    }
    let standard = try #require(try trainCost([]))
    let configured = try #require(try trainCost(["--config", file.path]))
    // train-a is 160 GPUs on 3-year reservations: 120 H100 now at $5 instead of $2.10.
    #expect(abs(configured - standard - 120 * (5 - 2.10)) < 0.01)
  }

  @Test func aConfigFileSetsTheFleet() throws {
    let file = temporaryFolder().appendingPathComponent("config.toml")
    try "[sim]\ngpus = 512\nseed = 9\n".write(to: file, atomically: true, encoding: .utf8)
    let db = temporaryFolder().appendingPathComponent("c.sqlite").path
    let result = try run(try factopBinary(), ["snapshot", "--config", file.path, "--db", db])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    #expect((json["fleet"] as? [String: Any])?["gpus_total"] as? Int == 512)
  }

  @Test func themesAreListedAndValidatedWithLineNumbers() throws {
    let list = try run(try factopBinary(), ["theme", "list"])
    #expect(String(decoding: list.stdout, as: UTF8.self).split(separator: "\n").count >= 5)
    let file = temporaryFolder().appendingPathComponent("bad.theme")
    try "# mine\ntheme[crit]=\"red\"\ntheme[glow]=\"#ffffff\"\nnonsense\n".write(
      to: file, atomically: true, encoding: .utf8)
    let result = try run(try factopBinary(), ["theme", "validate", file.path])
    #expect(result.status == 2)
    for expected in [
      "line 2: crit is \"red\"", "line 3: unknown key glow", "line 4: expected theme[key]",
      "missing",
    ] {
      #expect(result.stderr.contains(expected), "\(result.stderr)")
    }
    let good = try run(
      try factopBinary(),
      ["theme", "validate", repositoryRoot.appendingPathComponent("themes/colorblind.theme").path])
    #expect(good.status == 0, "\(good.stderr)")
  }

  @Test func everySubcommandHasHelp() throws {
    let root = try run(try factopBinary(), ["--help"])
    #expect(root.status == 0)
    #expect(String(decoding: root.stdout, as: UTF8.self).contains("snapshot"))
    for command in ["snapshot", "poll", "cockpit"] {
      let result = try run(try factopBinary(), [command, "--help"])
      #expect(result.status == 0)
      let help = String(decoding: result.stdout, as: UTF8.self)
      #expect(help.contains("--db <path>") && help.contains("--sim-gpus"), "\(command): \(help)")
    }
  }
}

@MainActor @Suite struct PollCommandTests {
  @Test func onlyOnePollerWritesACacheAndItStopsOnSIGTERM() throws {
    let db = temporaryFolder().appendingPathComponent("cache.sqlite").path
    let daemon = Process()
    daemon.executableURL = try factopBinary()
    daemon.arguments = ["poll", "--db", db, "--sim-gpus", "256", "--interval", "1"]
    let err = Pipe()
    daemon.standardError = err
    daemon.standardOutput = FileHandle.nullDevice
    try daemon.run()
    let log = PipeDrain(err)
    defer { if daemon.isRunning { daemon.terminate() } }

    // Wait (bounded) for its first poll to land.
    let deadline = Date().addingTimeInterval(20)
    var polled = false
    while !polled, Date() < deadline {
      let snapshot = try run(try factopBinary(), ["snapshot", "--offline", "--db", db])
      polled = snapshot.status == 0
      if !polled { Thread.sleep(forTimeInterval: 0.2) }
    }
    #expect(polled)

    let second = try run(try factopBinary(), ["poll", "--once", "--db", db, "--sim-gpus", "256"])
    #expect(second.status == 1)
    #expect(second.stderr.contains("another poller is already writing"))

    // A snapshot beside a running poller reads what it writes instead of polling itself.
    let beside = try run(try factopBinary(), ["snapshot", "--db", db, "--sim-gpus", "256"])
    #expect(beside.status == 0, "\(beside.stderr)")

    kill(daemon.processIdentifier, SIGTERM)
    let stop = Date().addingTimeInterval(10)
    while daemon.isRunning, Date() < stop { Thread.sleep(forTimeInterval: 0.05) }
    #expect(!daemon.isRunning)
    daemon.waitUntilExit()
    #expect(daemon.terminationStatus == 0)
    #expect(String(decoding: log.collected(), as: UTF8.self).contains("stopped by signal 15"))

    let once = try run(try factopBinary(), ["poll", "--once", "--db", db, "--sim-gpus", "256"])
    #expect(once.status == 0, "\(once.stderr)")
  }
}
