import Feeds
import FleetModel
import Foundation

/// `[[cluster]]`: a real cluster and the sources that see it. While any is configured, the
/// demo fleet is not shown.
///
/// ```toml
/// [[cluster]]
/// name = "fleet"
/// site = "dc1"                          # optional: the site, for PUE and power budgets
/// pricing = "owned"                     # on_demand, reserved_1y, reserved_3y, spot or owned
/// racks = { r01 = "gpu[001-016]" }      # optional: rack → its nodes (a Slurm hostlist)
/// # optional: how telemetry's host names become the scheduler's node names (docs/sources/join.md)
/// node_names = { strip_domain = true, match = "^(.+)-bmc$", replace = "$1" }
///   [[cluster.source]]
///   kind = "slurm"                      # the Slurm client commands on this host
///   interval_s = 30                     # optional, default poll.interval_s
///   timeout_s = 10                      # optional, default poll.timeout_s
///   [[cluster.source]]
///   kind = "slurmrestd"
///   url = "https://slurm-api:6820"
///   user = "factop"                     # the user the JWT was issued to
///   token_file = "/etc/factop/slurm.jwt"  # or token_env = "SLURM_JWT"
/// ```
struct ClusterSection: Decodable, Equatable {
  var name: String
  var site: String?
  var pricing: String?
  var racks: [String: String]?
  var nodeNames: NodeNamesEntry?
  var source: [SourceEntry]?

  enum CodingKeys: String, CodingKey {
    case name, site, pricing, racks, source
    case nodeNames = "node_names"
  }

  /// `node_names`: the domain dropped (default) and an optional whole-name regex rename.
  struct NodeNamesEntry: Decodable, Equatable {
    var stripDomain: Bool?
    var match: String?
    var replace: String?

    enum CodingKeys: String, CodingKey {
      case match, replace
      case stripDomain = "strip_domain"
    }

    func naming(key: String, path: String) throws(ConfigError) -> NodeNaming {
      guard (match == nil) == (replace == nil) else {
        throw ConfigError(path: path, message: "\(key).node_names needs match and replace together")
      }
      do {
        return try NodeNaming(
          stripDomain: stripDomain ?? true, rename: match.map { ($0, replace ?? "") })
      } catch {
        throw ConfigError(path: path, message: "\(key).node_names.match: \(error.message)")
      }
    }
  }

  struct SourceEntry: Decodable, Equatable {
    var kind: String
    var name: String?
    var url: String?
    var user: String?
    var passwordEnv: String?
    var selector: String?
    var kubeconfig: String?
    var context: String?
    var node: String?
    var command: String?
    var binDir: String?
    var tokenFile: String?
    var tokenEnv: String?
    var caFile: String?
    var insecureSkipVerify: Bool?
    var intervalS: TOMLNumber?
    var timeoutS: TOMLNumber?

    enum CodingKeys: String, CodingKey {
      case kind, name, url, user, selector, kubeconfig, context, node, command
      case binDir = "bin_dir"
      case passwordEnv = "password_env"
      case tokenFile = "token_file"
      case tokenEnv = "token_env"
      case caFile = "ca_file"
      case insecureSkipVerify = "insecure_skip_verify"
      case intervalS = "interval_s"
      case timeoutS = "timeout_s"
    }

    /// The kind-specific keys this entry sets, as the config spells them.
    var kindKeysSet: [String] {
      let strings: [(String, String?)] = [
        ("url", url), ("user", user), ("password_env", passwordEnv), ("selector", selector),
        ("kubeconfig", kubeconfig), ("context", context), ("node", node), ("command", command),
        ("bin_dir", binDir), ("token_file", tokenFile), ("token_env", tokenEnv),
        ("ca_file", caFile),
      ]
      return strings.filter { $0.1 != nil }.map(\.0)
        + (insecureSkipVerify == nil ? [] : ["insecure_skip_verify"])
    }
  }

  /// The cluster's feeds. Every problem, of the cluster and of each of its sources, is noted
  /// in `problems`, naming the key at fault and what it may be; a source with one is left out.
  func feeds(
    index: Int, environment: [String: String], defaultIntervalS: Double,
    defaultTimeoutS: Double, problems: inout ConfigProblems
  ) -> [any Feed] {
    let key = "cluster[\(index)]"
    let path = problems.path
    if name.wholeMatch(of: /[A-Za-z0-9][A-Za-z0-9._-]*/) == nil {
      problems.note("\(key).name must be letters, digits, '.', '_' or '-'")
    }
    let pricingKind = PricingKind(rawValue: pricing ?? "owned")
    if pricingKind == nil {
      problems.note(
        "\(key).pricing must be one of "
          + PricingKind.allCases.map(\.rawValue).joined(separator: ", "))
    }
    let sources = source ?? []
    if sources.isEmpty { problems.note("\(key) lists no [[cluster.source]]") }
    // A cluster with a Kubernetes source is scheduled by Kubernetes; otherwise by Slurm.
    let scheduler: SchedulerKind =
      sources.contains { $0.kind == SourceKind.kubernetes.name } ? .kubernetes : .slurm
    let naming = problems.check(NodeNaming.standard) { () throws(ConfigError) in
      try nodeNames?.naming(key: key, path: path) ?? .standard
    }
    let layout = ClusterLayout(
      cluster: Cluster(
        name: name, scheduler: scheduler, site: site ?? "default", pricing: pricingKind ?? .owned),
      racks: (racks ?? [:]).mapValues(Hostlist.expand), naming: naming)
    return sources.enumerated().compactMap { i, entry in
      problems.check(nil) { () throws(ConfigError) in
        try entry.feed(
          key: "\(key).source[\(i)]", clusterName: name, layout: layout, path: path,
          environment: environment, defaultIntervalS: defaultIntervalS,
          defaultTimeoutS: defaultTimeoutS)
      }
    }
  }
}

extension ClusterSection.SourceEntry {
  /// The feed this `[[cluster.source]]` describes, made by its kind (`SourceKind.all`); its
  /// first problem is thrown.
  func feed(
    key sourceKey: String, clusterName name: String, layout: ClusterLayout, path: String,
    environment: [String: String], defaultIntervalS: Double, defaultTimeoutS: Double
  ) throws(ConfigError) -> any Feed {
    func fail(_ message: String) -> ConfigError { ConfigError(path: path, message: message) }
    guard let kind = SourceKind.all.first(where: { $0.name == self.kind }) else {
      throw fail(
        "\(sourceKey).kind must be one of "
          + SourceKind.all.map(\.name).joined(separator: ", "))
    }
    if let stray = kindKeysSet.first(where: { !kind.keys.contains($0) }) {
      throw fail(
        "\(sourceKey).\(stray) does not apply to kind \(kind.name), which reads "
          + (SourceKind.commonKeys + kind.keys).joined(separator: ", "))
    }
    let intervalS = self.intervalS?.value ?? defaultIntervalS
    let timeoutS = self.timeoutS?.value ?? defaultTimeoutS
    guard intervalS >= 1, timeoutS > 0 else {
      throw fail("\(sourceKey).interval_s must be ≥ 1 and timeout_s > 0")
    }
    return try kind.make(
      self,
      SourceKind.Context(
        key: sourceKey, feedName: self.name ?? "\(name)/\(kind.name)", layout: layout,
        path: path, environment: environment, intervalS: intervalS, timeoutS: timeoutS))
  }
}

extension ClusterSection.SourceEntry {
  func http(
    key: String, path: String, timeoutS: Double, user: String? = nil, password: String? = nil
  ) throws(ConfigError) -> HTTPSource {
    guard let url, url.hasPrefix("https://") || url.hasPrefix("http://") else {
      throw ConfigError(path: path, message: "\(key).url must start with https:// or http://")
    }
    do {
      return try HTTPSource(
        base: url, user: user, password: password, caFile: caFile,
        insecure: insecureSkipVerify ?? false, timeoutS: timeoutS, maxBytes: 256 << 20)
    } catch {
      throw ConfigError(path: path, message: "\(key): \(error)")
    }
  }

  /// Kubernetes: the API server, trust and credentials of a kubeconfig's context.
  func kubernetes(key: String, path: String, timeoutS: Double) throws(ConfigError)
    -> (HTTPSource, String?)
  {
    let file =
      kubeconfig.map { NSString(string: $0).expandingTildeInPath }
      ?? NSString(string: "~/.kube/config").expandingTildeInPath
    do {
      let config = try Kubeconfig.load(path: file, context: context)
      let http = try HTTPSource(
        base: config.server, user: nil, password: nil, caFile: nil,
        insecure: config.insecure || (insecureSkipVerify ?? false), timeoutS: timeoutS,
        maxBytes: 256 << 20, caPEM: config.caPEM, clientCertificate: config.clientCertificate)
      return (http, config.token)
    } catch {
      throw ConfigError(path: path, message: "\(key).kubeconfig: \(error)")
    }
  }

  /// Prometheus: a bearer token (`token_file`/`token_env`), Basic authentication (`user` and
  /// `password_env`), or neither.
  func prometheus(key: String, path: String, environment: [String: String], timeoutS: Double)
    throws(ConfigError) -> HTTPSource
  {
    if let selector, selector.contains("}") || selector.contains("{") {
      throw ConfigError(
        path: path, message: "\(key).selector is label matchers without braces: cluster=\"a\"")
    }
    var password: String?
    if let passwordEnv {
      guard let value = environment[passwordEnv] else {
        throw ConfigError(path: path, message: "\(key).password_env: \(passwordEnv) is not set")
      }
      password = value
    }
    return try http(key: key, path: path, timeoutS: timeoutS, user: user, password: password)
  }

  /// The bearer token, when the source names one (`token_file` or `token_env`).
  func optionalToken(key: String, path: String, environment: [String: String])
    throws(ConfigError) -> (@Sendable () throws -> String)?
  {
    guard tokenFile != nil || tokenEnv != nil else { return nil }
    return try token(key: key, path: path, environment: environment)
  }

  /// The token, read when asked (each poll) from `token_file` or `token_env`: never from the
  /// config itself, and never printed.
  func token(key: String, path: String, environment: [String: String]) throws(ConfigError)
    -> @Sendable () throws -> String
  {
    switch (tokenFile, tokenEnv) {
    case (let file?, nil):
      return {
        do {
          return try String(contentsOfFile: file, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
          throw SourceError(origin: file, path: "", message: "cannot read the token file")
        }
      }
    case (nil, let variable?):
      guard let value = environment[variable], !value.isEmpty else {
        throw ConfigError(path: path, message: "\(key).token_env: \(variable) is not set")
      }
      return { value }
    default:
      throw ConfigError(path: path, message: "\(key) needs token_file or token_env (one of them)")
    }
  }
}
