import Feeds
import FleetModel
import Foundation
import TOMLKit

/// The config file (`config.toml`). Every key is optional; unknown keys are an error, so a typo
/// never silently falls back to a default.
struct ConfigFile: Decodable, Equatable {
  struct Cache: Decodable, Equatable {
    var path: String?
  }
  struct Sim: Decodable, Equatable {
    var gpus: Int?
    /// Read as a signed integer, as TOML writes them, so a negative seed is refused, not
    /// trapped on.
    var seed: Int?
  }
  struct Poll: Decodable, Equatable {
    var intervalS: TOMLNumber?
    var timeoutS: TOMLNumber?
    enum CodingKeys: String, CodingKey {
      case intervalS = "interval_s"
      case timeoutS = "timeout_s"
    }
  }
  struct UI: Decodable, Equatable {
    var theme: String?
  }
  /// `[otel]`: where factop sends its own spans and metrics (OTLP over HTTP); off when absent.
  struct OTel: Decodable, Equatable {
    var endpoint: String?
  }

  var cache: Cache?
  var sim: Sim?
  var poll: Poll?
  var ui: UI?
  var otel: OTel?
  var prices: PriceSection?
  var energy: EnergySection?
  var sites: [String: SiteSection]?
  var powercap: PowerCapSection?
  var alerts: AlertsSection?
  var redfish: RedfishSection?
  var opencost: OpenCostSection?
  var nodeExporter: [NodeExporterEntry]?
  var terraform: [TerraformEntry]?
  var cluster: [ClusterSection]?

  enum CodingKeys: String, CodingKey {
    case cache, sim, poll, ui, otel, prices, energy, sites, powercap, alerts, redfish, opencost,
      cluster
    case terraform
    case nodeExporter = "node_exporter"
  }

  /// `[[terraform]]`: a Terraform or OpenTofu state (or its `show -json`) declaring GPU capacity.
  struct TerraformEntry: Decodable, Equatable {
    var state: String
    var name: String?
    var intervalS: TOMLNumber?

    enum CodingKeys: String, CodingKey {
      case state, name
      case intervalS = "interval_s"
    }
  }

  /// The states the config lists, each a source named `terraform/FILE` unless named; a state
  /// is read every five minutes unless told otherwise (it changes when someone applies).
  func terraformFeeds(path: String) throws(ConfigError) -> [TerraformFeed] {
    try (terraform ?? []).enumerated().map { (i, entry) throws(ConfigError) in
      guard !entry.state.isEmpty else {
        throw ConfigError(path: path, message: "terraform[\(i)].state must name a file")
      }
      let interval = entry.intervalS?.value ?? 300
      guard interval >= 1 else {
        throw ConfigError(path: path, message: "terraform[\(i)].interval_s must be ≥ 1")
      }
      return TerraformFeed(
        name: entry.name ?? "terraform/\((entry.state as NSString).lastPathComponent)",
        path: entry.state, intervalS: interval)
    }
  }

  /// `[[node_exporter]]`: node power from node exporter where no BMC is read.
  struct NodeExporterEntry: Decodable, Equatable {
    var node: String
    var url: String
    var caFile: String?

    enum CodingKeys: String, CodingKey {
      case node, url
      case caFile = "ca_file"
    }
  }

  /// The node exporters the config lists, validated; nil without any.
  func nodeExporterFeed(path: String, intervalS: Double) throws(ConfigError) -> NodeExporterFeed? {
    guard let entries = nodeExporter, !entries.isEmpty else { return nil }
    var targets: [NodeExporterFeed.Target] = []
    for (i, entry) in entries.enumerated() {
      guard entry.url.hasPrefix("https://") || entry.url.hasPrefix("http://") else {
        throw ConfigError(
          path: path, message: "node_exporter[\(i)].url must start with https:// or http://")
      }
      do {
        targets.append(
          .init(
            node: entry.node,
            service: try HTTPSource(base: entry.url, user: nil, password: nil, caFile: entry.caFile)
          ))
      } catch {
        throw ConfigError(path: path, message: "node_exporter[\(i)]: \(error)")
      }
    }
    return NodeExporterFeed(intervalS: intervalS, targets: targets)
  }

  /// `[opencost]`: an OpenCost to read workload costs from.
  struct OpenCostSection: Decodable, Equatable {
    var url: String
    var window: String?
    var aggregate: String?
    var caFile: String?

    enum CodingKeys: String, CodingKey {
      case url, window, aggregate
      case caFile = "ca_file"
    }

    func feed(path: String, intervalS: Double) throws(ConfigError) -> OpenCostFeed {
      func fail(_ message: String) -> ConfigError { ConfigError(path: path, message: message) }
      guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
        throw fail("opencost.url must start with https:// or http://")
      }
      let window = window ?? "1d"
      guard
        window.wholeMatch(of: /[0-9]+[mhd]|today|yesterday|week|month|lastweek|lastmonth/) != nil
      else {
        throw fail("opencost.window must be like 1d, 24h, 60m, today or lastweek")
      }
      let aggregate = aggregate ?? "namespace"
      guard aggregate.wholeMatch(of: /[a-z,:]+/) != nil else {
        throw fail("opencost.aggregate must be like namespace, pod or cluster")
      }
      do {
        return OpenCostFeed(
          service: try HTTPSource(base: url, user: nil, password: nil, caFile: caFile),
          window: window, aggregate: aggregate, intervalS: intervalS)
      } catch {
        throw fail("opencost: \(error)")
      }
    }
  }

  /// `[alerts]`: what `factop snapshot --check` and the cockpit report. Each key replaces the
  /// default rule it names (`AlertRules.defaults`); `defaults = false` starts from no rule.
  struct AlertsSection: Decodable, Equatable {
    var defaults: Bool?
    var idleAllocatedGPUs: Int?
    var idleAllocatedPct: TOMLNumber?
    var idleMinutes: TOMLNumber?
    var powerOverBudget: Bool?
    var nodesDown: Int?
    var staleSource: Bool?
    var linksFlapping: Bool?
    var spendUSDPerMonth: TOMLNumber?

    enum CodingKeys: String, CodingKey {
      case defaults
      case idleAllocatedGPUs = "idle_allocated_gpus"
      case idleAllocatedPct = "idle_allocated_pct"
      case idleMinutes = "idle_minutes"
      case powerOverBudget = "power_over_budget"
      case nodesDown = "nodes_down"
      case staleSource = "stale_source"
      case linksFlapping = "links_flapping"
      case spendUSDPerMonth = "spend_usd_per_month"
    }

    /// The keys the file sets, as `factop alerts` says where each rule came from.
    var keysSet: Set<String> {
      let set: [(CodingKeys, Bool)] = [
        (.defaults, defaults != nil), (.idleAllocatedGPUs, idleAllocatedGPUs != nil),
        (.idleAllocatedPct, idleAllocatedPct != nil), (.idleMinutes, idleMinutes != nil),
        (.powerOverBudget, powerOverBudget != nil), (.nodesDown, nodesDown != nil),
        (.staleSource, staleSource != nil), (.linksFlapping, linksFlapping != nil),
        (.spendUSDPerMonth, spendUSDPerMonth != nil),
      ]
      return Set(set.filter(\.1).map(\.0.rawValue))
    }

    /// The rules, validated; every error names the key at fault.
    func rules(path: String) throws(ConfigError) -> AlertRules {
      var problems = ConfigProblems(path: path)
      func fail(_ key: String, _ what: String) { problems.note("alerts.\(key) must be \(what)") }
      var rules = defaults == false ? AlertRules() : AlertRules.defaults
      if let idleAllocatedGPUs {
        if idleAllocatedGPUs < 0 { fail("idle_allocated_gpus", "0 or more") }
        rules.idleAllocatedGPUs = idleAllocatedGPUs
        // A count replaces the default share; both set, the lower limit holds.
        rules.idleAllocatedPct = nil
      }
      if let pct = idleAllocatedPct?.value {
        if !(0...100).contains(pct) { fail("idle_allocated_pct", "between 0 and 100") }
        rules.idleAllocatedPct = pct
      }
      if let minutes = idleMinutes?.value {
        // The alerts look back over the day of history a report reads (FleetHistory.windowS).
        if !(1...1_440).contains(minutes) { fail("idle_minutes", "between 1 and 1440 (a day)") }
        rules.idleMinutes = minutes
      }
      if let nodesDown {
        if nodesDown < 0 { fail("nodes_down", "0 or more") }
        rules.nodesDown = nodesDown
      }
      if let budget = spendUSDPerMonth?.value {
        if budget <= 0 { fail("spend_usd_per_month", "a positive number") }
        rules.spendUSDPerMonth = budget
      }
      if let powerOverBudget { rules.powerOverBudget = powerOverBudget }
      if let staleSource { rules.staleSource = staleSource }
      if let linksFlapping { rules.linksFlapping = linksFlapping }
      try problems.verdict()
      return rules
    }
  }

  struct PowerCapSection: Decodable, Equatable {
    /// A measured power-limit sweep (Zeus format) to calibrate the power-cap detector with.
    var sweep: String?
  }

  static let knownKeys = [
    "cache.path", "sim.gpus", "sim.seed", "poll.interval_s", "poll.timeout_s", "ui.theme",
    "otel.endpoint",
    "[[prices.gpu]] model/on_demand/reserved_1y/reserved_3y/spot/as_of/source/from",
    "[[prices.reservation]] cluster/ends/then",
    "[[prices.owned]] model/capex_usd/years/opex_usd_per_h/as_of/source",
    "[[prices.managed]] instance_type/service/accelerator/accelerators/usd_per_h/as_of/source",
    "energy.usd_per_kwh/as_of/source", "[[energy.bands]] from_hour/to_hour/usd_per_kwh",
    "sites.NAME.pue/power_budget_kw/rack_power_budget_kw", "powercap.sweep",
    "alerts.defaults/idle_allocated_gpus/idle_allocated_pct/idle_minutes/power_over_budget/nodes_down/stale_source/links_flapping/spend_usd_per_month",
    "redfish.interval_s",
    "[[redfish.bmc]] node/url/chassis/user/password_env/ca_file/insecure_skip_verify/auth",
    "[[redfish.pdu]] rack/url/pdu/outlets.ID/user/password_env/ca_file/insecure_skip_verify/auth",
    "opencost.url/window/aggregate/ca_file", "[[node_exporter]] node/url/ca_file",
    "[[terraform]] state/name/interval_s",
    "[[cluster]] name/site/pricing/racks.RACK", "cluster.node_names.strip_domain/match/replace",
    "[[cluster.source]] " + SourceKind.everyKey.joined(separator: "/"),
  ]

  /// Reads and validates the file at `path`; every error names the file and what is wrong.
  static func load(path: String) throws(ConfigError) -> ConfigFile {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw ConfigError(path: path, message: "cannot read it: \(error.localizedDescription)")
    }
    let table: TOMLTable
    do {
      table = try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      throw ConfigError(
        path: path, message: "line \(error.source.begin.line): \(error.description)")
    } catch {
      throw ConfigError(path: path, message: "\(error)")
    }
    do {
      return try TOMLDecoder(strictDecoding: true).decode(ConfigFile.self, from: table)
    } catch let error as UnexpectedKeysError {
      let keys = error.keys.values.map(keyPath).sorted()
      throw ConfigError(
        path: path,
        message: "unknown key \(keys.joined(separator: ", ")) (known: "
          + knownKeys.joined(separator: ", ") + ")")
    } catch let DecodingError.dataCorrupted(context) {
      throw ConfigError(
        path: path, message: "\(keyPath(context.codingPath)) \(context.debugDescription)")
    } catch let DecodingError.typeMismatch(type, context) {
      throw ConfigError(
        path: path, message: "\(keyPath(context.codingPath)) must be of type \(type)")
    } catch let DecodingError.keyNotFound(key, context) {
      // TOMLKit reports a present key of the wrong type as "not found" with the type it wanted.
      var keys = context.codingPath
      if keys.last?.stringValue != key.stringValue { keys.append(key) }
      let name = keyPath(keys)
      let wanted = context.debugDescription.split(separator: "\"").dropFirst().first.map(
        String.init)
      throw ConfigError(path: path, message: "\(name) must be of type \(wanted ?? "another type")")
    } catch {
      throw ConfigError(path: path, message: "\(error)")
    }
  }
}

/// A coding path as the config spells it: `prices.gpu[0].on_demand`.
private func keyPath(_ path: [any CodingKey]) -> String {
  path.reduce("") { text, key in
    if let index = key.intValue { return text + "[\(index)]" }
    return text.isEmpty ? key.stringValue : text + "." + key.stringValue
  }
}

/// What is wrong with a config: one problem, or every problem `ConfigProblems` gathered.
public struct ConfigError: Error, CustomStringConvertible {
  public let path: String
  public let messages: [String]

  init(path: String, message: String) {
    self.path = path
    self.messages = [message]
  }

  init(path: String, messages: [String]) {
    self.path = path
    self.messages = messages
  }

  public var description: String {
    guard messages.count > 1 else { return "config \(path): \(messages.joined())" }
    return "config \(path): \(messages.count) problems\n"
      + messages.map { "  - \($0)" }.joined(separator: "\n")
  }
}

/// Every problem of a config, gathered as it is read, so one run names them all instead of
/// one per try. Each part that cannot be made is noted and stood in for; the caller throws
/// them together at the end.
struct ConfigProblems {
  let path: String
  private(set) var messages: [String] = []

  init(path: String) { self.path = path }

  /// What `make` returns, or `fallback` once its problem is noted.
  mutating func check<T>(_ fallback: T, _ make: () throws(ConfigError) -> T) -> T {
    do {
      return try make()
    } catch {
      messages += error.messages
      return fallback
    }
  }

  mutating func note(_ message: String) { messages.append(message) }

  /// Throws every problem noted, if any.
  func verdict() throws(ConfigError) {
    guard messages.isEmpty else { throw ConfigError(path: path, messages: messages) }
  }
}
