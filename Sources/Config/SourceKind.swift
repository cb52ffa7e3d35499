import Feeds

/// One kind of `[[cluster.source]]`: its name in the config, the keys it reads besides the
/// common ones, and how its feed is made. Adding a source kind is one entry in `all` (and its
/// adapter in Feeds): the key checks, the list of known keys and the errors follow from it.
struct SourceKind: Sendable {
  /// What a kind's feed is made with: the entry's place in the config, and what it inherits.
  struct Context {
    /// `cluster[0].source[1]`, for errors.
    let key: String
    let feedName: String
    let layout: ClusterLayout
    let path: String
    let environment: [String: String]
    let intervalS: Double
    let timeoutS: Double

    func fail(_ message: String) -> ConfigError {
      ConfigError(path: path, message: "\(key).\(message)")
    }
  }

  typealias Entry = ClusterSection.SourceEntry

  let name: String
  /// Any other key is a mistake (a password for a source that sends none, a URL for local
  /// commands): refused, not silently ignored.
  let keys: [String]
  let make: @Sendable (Entry, Context) throws(ConfigError) -> any Feed

  /// The keys every kind reads.
  static let commonKeys = ["kind", "name", "interval_s", "timeout_s"]

  static let all = [slurm, slurmrestd, prometheus, kubernetes, nvidiaSMI, rocmSMI]

  /// Every key any kind reads, as the list of known keys spells them.
  static var everyKey: [String] {
    var seen = Set<String>()
    return (commonKeys + all.flatMap(\.keys)).filter { seen.insert($0).inserted }
  }

  static let slurm = SourceKind(name: "slurm", keys: ["bin_dir"]) { entry, c in
    SlurmFeed(
      name: c.feedName, layout: c.layout, access: .commands(binDirectory: entry.binDir),
      timeoutS: c.timeoutS, intervalS: c.intervalS)
  }

  static let slurmrestd = SourceKind(
    name: "slurmrestd",
    keys: ["url", "user", "token_file", "token_env", "ca_file", "insecure_skip_verify"]
  ) { entry, c throws(ConfigError) in
    let http = try entry.http(key: c.key, path: c.path, timeoutS: c.timeoutS)
    guard let user = entry.user else { throw c.fail("user is required for slurmrestd") }
    let token = try entry.token(key: c.key, path: c.path, environment: c.environment)
    return SlurmFeed(
      name: c.feedName, layout: c.layout, access: .rest(http, user: user, token: token),
      timeoutS: c.timeoutS, intervalS: c.intervalS)
  }

  static let prometheus = SourceKind(
    name: "prometheus",
    keys: [
      "url", "user", "password_env", "selector", "token_file", "token_env", "ca_file",
      "insecure_skip_verify",
    ]
  ) { entry, c throws(ConfigError) in
    PrometheusFeed(
      name: c.feedName, layout: c.layout,
      http: try entry.prometheus(
        key: c.key, path: c.path, environment: c.environment, timeoutS: c.timeoutS),
      token: try entry.optionalToken(key: c.key, path: c.path, environment: c.environment),
      selector: entry.selector ?? "", timeoutS: c.timeoutS, intervalS: c.intervalS)
  }

  static let kubernetes = SourceKind(
    name: "kubernetes", keys: ["kubeconfig", "context", "insecure_skip_verify"]
  ) { entry, c throws(ConfigError) in
    let (http, token) = try entry.kubernetes(key: c.key, path: c.path, timeoutS: c.timeoutS)
    return KubernetesFeed(
      name: c.feedName, layout: c.layout, http: http, token: token, timeoutS: c.timeoutS,
      intervalS: c.intervalS)
  }

  static let rocmSMI = SourceKind(name: "rocm-smi", keys: ["node", "command"]) { entry, c in
    RocmSMIFeed(
      name: c.feedName, layout: c.layout, node: entry.node,
      executable: entry.command ?? "rocm-smi", timeoutS: c.timeoutS, intervalS: c.intervalS)
  }

  static let nvidiaSMI = SourceKind(name: "nvidia-smi", keys: ["node", "command"]) { entry, c in
    NvidiaSMIFeed(
      name: c.feedName, layout: c.layout, node: entry.node,
      executable: entry.command ?? "nvidia-smi", timeoutS: c.timeoutS, intervalS: c.intervalS)
  }
}
