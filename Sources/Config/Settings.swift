import Feeds
import FleetModel
import FleetSim
import Foundation

/// What a command runs with: command line over environment over config file over defaults.
public struct Settings: Sendable {
  /// What the command line sets, over everything else.
  public struct Overrides: Sendable {
    public var dbPath: String?
    public var configPath: String?
    public var simGPUs: Int?
    public var simSeed: UInt64?

    public init(
      dbPath: String? = nil, configPath: String? = nil, simGPUs: Int? = nil,
      simSeed: UInt64? = nil
    ) {
      self.dbPath = dbPath
      self.configPath = configPath
      self.simGPUs = simGPUs
      self.simSeed = simSeed
    }
  }

  public let dbPath: String
  public let simGPUs: Int
  public let simSeed: UInt64
  public let pollIntervalS: Double
  public let pollTimeoutS: Double
  public let theme: String
  /// The demo price book, with the config's prices, tariff and PUEs taking precedence.
  public let priceBook: PriceBook
  /// The built-in demo fleet, the source while no other feed is configured.
  public let demoFleet: DemoFleet
  /// The BMCs to read node power from (`[[redfish.bmc]]`), if any.
  public let redfish: RedfishFeed?
  /// The OTLP/HTTP collector factop sends its own spans and metrics to (`[otel] endpoint`,
  /// `http://collector:4318`); nil (the default) sends nothing.
  public let otelEndpoint: String?
  /// The OpenCost to read workload costs from (`[opencost]`), if any.
  public let opencost: OpenCostFeed?
  /// The node exporters to read node power from (`[[node_exporter]]`), if any.
  public let nodeExporter: NodeExporterFeed?
  /// The Terraform states declaring GPU capacity (`[[terraform]]`).
  public let terraform: [TerraformFeed]
  /// The real clusters' sources (`[[cluster]]`); while there are any, no demo fleet.
  public let clusterFeeds: [any Feed]
  public let clusterNames: [String]
  /// The demo fleet's power budgets, with the config's taking precedence.
  public let powerBudgets: PowerBudgets
  /// What `snapshot --check` and the cockpit alert on: the defaults, then `[alerts]`.
  public let alertRules: AlertRules
  /// The `[alerts]` keys the config file sets, to tell its rules from the defaults.
  public let alertKeysSet: Set<String>
  /// The config file read, if one was.
  public let configFile: String?
  /// The savings detectors' rules, with the power-cap curve of a configured sweep.
  public let savingsRules: SavingsRules
  /// Where user themes live: `$XDG_CONFIG_HOME/factop/themes`.
  public let themeDirectory: String

  public static let defaultPollIntervalS = 10.0

  public init(
    _ options: Overrides, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws {
    let home = environment["HOME"] ?? NSHomeDirectory()
    let explicitConfig = options.configPath
    let configPath =
      explicitConfig
      ?? ((environment["XDG_CONFIG_HOME"] ?? "\(home)/.config") + "/factop/config.toml")
    // A config named on the command line must exist; the default one is optional.
    let readsFile = explicitConfig != nil || FileManager.default.fileExists(atPath: configPath)
    let config = readsFile ? try ConfigFile.load(path: configPath) : ConfigFile()
    configFile = readsFile ? configPath : nil

    // Every problem is gathered before one error names them all (`factop config check`).
    var problems = ConfigProblems(path: configPath)
    let stateHome = environment["XDG_STATE_HOME"] ?? "\(home)/.local/state"
    dbPath =
      options.dbPath ?? environment["FACTOP_DB"] ?? config.cache?.path
      ?? "\(stateHome)/factop/cache.sqlite"
    simGPUs = options.simGPUs ?? config.sim?.gpus ?? DemoFleet.defaultGPUs
    if let seed = config.sim?.seed, seed < 0 { problems.note("sim.seed must be 0 or more") }
    simSeed = options.simSeed ?? config.sim?.seed.map { UInt64(max(0, $0)) } ?? 1
    let interval = config.poll?.intervalS?.value ?? Self.defaultPollIntervalS
    let timeout = config.poll?.timeoutS?.value ?? 10
    // A wrong value is reported here once; the sources that inherit it get the default, so
    // they are not blamed for it too.
    if interval < 1 { problems.note("poll.interval_s must be ≥ 1") }
    if timeout <= 0 { problems.note("poll.timeout_s must be > 0") }
    let pollIntervalS = interval < 1 ? Self.defaultPollIntervalS : interval
    let pollTimeoutS = timeout <= 0 ? 10 : timeout
    self.pollIntervalS = pollIntervalS
    self.pollTimeoutS = pollTimeoutS
    theme = config.ui?.theme ?? "default"
    otelEndpoint = config.otel?.endpoint
    if let endpoint = otelEndpoint,
      !(endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://"))
    {
      problems.note("otel.endpoint must be an http:// or https:// URL (OTLP over HTTP)")
    }
    alertRules = problems.check(AlertRules.defaults) {
      () throws(ConfigError) in try config.alerts?.rules(path: configPath) ?? .defaults
    }
    alertKeysSet = config.alerts?.keysSet ?? []
    nodeExporter = problems.check(nil) { () throws(ConfigError) in
      try config.nodeExporterFeed(path: configPath, intervalS: pollIntervalS)
    }
    opencost = problems.check(nil) { () throws(ConfigError) in
      try config.opencost?.feed(path: configPath, intervalS: pollIntervalS)
    }
    terraform = problems.check([]) { () throws(ConfigError) in
      try config.terraformFeeds(path: configPath)
    }
    var clusterFeeds: [any Feed] = []
    for (i, cluster) in (config.cluster ?? []).enumerated() {
      clusterFeeds += cluster.feeds(
        index: i, environment: environment,
        defaultIntervalS: pollIntervalS,
        defaultTimeoutS: pollTimeoutS, problems: &problems)
    }
    let names = clusterFeeds.map(\.name)
    for twice in Set(names.filter { name in names.filter { $0 == name }.count > 1 }).sorted() {
      problems.note("two sources are called \(twice): give one a name = \"…\"")
    }
    self.clusterFeeds = clusterFeeds
    // The demo fleet is priced by its own illustrative book; a real fleet starts from public
    // list prices. Either way the config's prices win, entry by entry.
    let configuredPrices = problems.check(PriceBook(prices: [:])) { () throws(ConfigError) in
      try config.priceBook(path: configPath)
    }
    priceBook = (clusterFeeds.isEmpty ? PriceBook.demo : PriceBook.publicList)
      .overridden(by: configuredPrices)
    clusterNames = (config.cluster ?? []).map(\.name)
    redfish = config.redfish?.feed(
      environment: environment,
      defaultIntervalS: pollIntervalS,
      problems: &problems)
    var rules = SavingsRules()
    if let sweep = config.powercap?.sweep {
      do {
        let text = try String(contentsOfFile: sweep, encoding: .utf8)
        rules.powerCap = PowerCapCurve(
          PowerCapCalibration(samples: try SweepFile.parse(text, source: sweep)), source: sweep)
      } catch let error as InputError {
        problems.note("powercap.sweep: \(error)")
      } catch {
        problems.note("powercap.sweep: cannot read \(sweep)")
      }
    }
    savingsRules = rules
    themeDirectory = (environment["XDG_CONFIG_HOME"] ?? "\(home)/.config") + "/factop/themes"
    // The command line's size was checked with the options: a wrong one here is the config's.
    var fleet: DemoFleet?
    do {
      fleet = try DemoFleet(gpus: simGPUs, seed: simSeed)
    } catch {
      problems.note("sim.gpus: \(error)")
    }
    let budgets = problems.check(PowerBudgets()) { () throws(ConfigError) in
      try config.powerBudgets(path: configPath)
    }
    try problems.verdict()
    guard let fleet else { throw ConfigError(path: configPath, message: "sim.gpus") }
    demoFleet = fleet
    powerBudgets = demoFleet.powerBudgets.overridden(by: budgets)
  }

  /// The rules every figure is judged by: prices, power budgets, alerts, savings thresholds,
  /// and how incidents are priced (with the same checkpoint assumption as the savings finder).
  public var fleetRules: FleetRules {
    var incidents = IncidentRules()
    incidents.assumedCheckpointIntervalMin = savingsRules.assumedCheckpointIntervalMin
    return FleetRules(
      prices: priceBook, budgets: powerBudgets, alerts: alertRules, savings: savingsRules,
      incidents: incidents)
  }

  /// What this run watches, for the title bar: the configured clusters, else the demo fleet.
  public var origin: String {
    if !clusterFeeds.isEmpty {
      let clusters =
        clusterNames.count == 1 ? "cluster \(clusterNames[0])" : "\(clusterNames.count) clusters"
      return "\(clusters) · "
        + "\(clusterFeeds.count) source\(clusterFeeds.count == 1 ? "" : "s")"
    }
    let gpus = simGPUs.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
    return "demo fleet · \(gpus) GPUs · seed \(simSeed)"
  }

  /// The feeds configured for this run: the configured clusters (else the demo fleet), and the
  /// BMCs, OpenCost, node exporters and Terraform states when configured.
  public func feeds() -> [any Feed] {
    (clusterFeeds.isEmpty
      ? [SimulatorFeed(fleet: demoFleet, intervalS: pollIntervalS)] : clusterFeeds)
      + (redfish.map { [$0] } ?? [])
      + (opencost.map { [$0] } ?? []) + (nodeExporter.map { [$0] } ?? []) + terraform
  }
}
