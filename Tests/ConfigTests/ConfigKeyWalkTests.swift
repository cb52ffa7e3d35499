import Config
import Foundation
import TestSupport
import Testing

/// Every config key factop knows, each given a value of the wrong type in an otherwise valid
/// config that sets them all: refused, with an error that names the file, the key and what it
/// must be. The keys walked are checked against the list factop itself gives for an unknown
/// key, so a key added later without a place here fails this test. In-process: the config is a
/// library. (Out-of-range values of the right type are
/// `UsageErrorTests.aBadConfigNamesTheFileAndTheKey`.)
@Suite struct ConfigKeyWalkTests {
  /// What reading a config came to: 0 accepted, 2 refused with `stderr` saying why.
  struct Checked {
    let status: Int32
    let stderr: String
  }

  func temporaryFolder() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-config-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func everyKeyOfTheWrongTypeIsNamed() throws {
    let folder = temporaryFolder()
    let lines = try Self.everyKey(in: folder).components(separatedBy: "\n")
    let environment = ["FACTOP_TEST_SECRET": "not-a-real-secret"]

    // The whole config is valid: every refusal below comes from the one value changed.
    let valid = try check(lines.joined(separator: "\n"), in: folder, environment: environment)
    #expect(valid.status != 2, "the config setting every key is refused: \(valid.stderr)")

    var walked: Set<String> = []
    for (number, line) in lines.enumerated() {
      guard let (path, key) = Self.keyPath(at: number, in: lines) else { continue }
      walked.insert(Self.general(path))
      // An inline table where a scalar belongs, a string where a table or number belongs.
      let wrong = line.contains("= {") || line.contains("= \"") ? "[[1]]" : "\"text\""
      var changed = lines
      changed[number] = "\(key) = \(wrong)"
      let result = try check(changed.joined(separator: "\n"), in: folder, environment: environment)
      #expect(result.status == 2, "\(path) = \(wrong) was accepted")
      #expect(
        result.stderr.contains("config.toml") && result.stderr.contains(path)
          && result.stderr.contains("must"),
        "\(path) = \(wrong): \(result.stderr)")
    }

    let known = try knownKeys(in: folder)
    #expect(!known.isEmpty)
    #expect(known.subtracting(walked).isEmpty, "never walked: \(known.subtracting(walked))")
    #expect(
      walked.subtracting(known).isEmpty, "walked but not listed: \(walked.subtracting(known))")

    print("config walk: \(walked.count) keys, each of the wrong type refused by name")
  }

  /// What every command makes of a config: the settings, or the error that refuses it.
  private func check(_ text: String, in folder: URL, environment: [String: String]) throws
    -> Checked
  {
    let file = folder.appendingPathComponent("config.toml")
    try text.write(to: file, atomically: true, encoding: .utf8)
    do {
      _ = try Settings(
        .init(
          dbPath: folder.appendingPathComponent("cache.sqlite").path, configPath: file.path),
        environment: environment)
      return Checked(status: 0, stderr: "")
    } catch {
      return Checked(status: 2, stderr: "\(error)")
    }
  }

  /// The keys factop lists when it meets one it does not know, spelled as `general` spells a
  /// key path: `cluster.source.url`, `sites.NAME.pue`, `cluster.racks.RACK`.
  private func knownKeys(in folder: URL) throws -> Set<String> {
    let result = try check("no_such_key = 1\n", in: folder, environment: [:])
    let list = try #require(result.stderr.range(of: "(known: "))
    let entries = result.stderr[list.upperBound...].prefix { $0 != ")" }
      .components(separatedBy: ", ")
    var keys: Set<String> = []
    for entry in entries {
      let table = entry.hasPrefix("[[") ? entry.dropFirst(2).prefix { $0 != "]" } + "." : ""
      let names = (entry.hasPrefix("[[") ? String(entry.split(separator: " ")[1]) : entry)
        .components(separatedBy: "/")
      // `alerts.idle_allocated_gpus/idle_minutes`: the first name carries the prefix.
      let prefix =
        names[0].contains(".") && table.isEmpty
        ? String(names[0][...names[0].lastIndex(of: ".")!]) : ""
      for (i, name) in names.enumerated() {
        keys.insert(String(table) + (i == 0 ? name : prefix + name))
      }
    }
    return keys
  }

  /// The key set on line `number` and its full path (`cluster[0].source[2].url`), or nil for a
  /// line that sets none.
  static func keyPath(at number: Int, in lines: [String]) -> (path: String, key: String)? {
    let line = lines[number]
    guard !line.hasPrefix("["), let equals = line.range(of: " = ") else { return nil }
    let key = String(line[..<equals.lowerBound]).trimmingCharacters(in: .whitespaces)
    var counts: [String: Int] = [:]
    var table = ""
    for header in lines[..<number] where header.hasPrefix("[") {
      let array = header.hasPrefix("[[")
      let name = String(array ? header.dropFirst(2).dropLast(2) : header.dropFirst().dropLast())
      if array {
        counts[name, default: -1] += 1
        // `cluster.source` counts within its cluster: `cluster[0].source[1]`.
        if name == "cluster" { counts["cluster.source"] = nil }
      }
      // A table inside an array's entry (`[cluster.node_names]`) is that entry's.
      table = name.split(separator: ".").enumerated().map { i, part in
        let upTo = name.split(separator: ".").prefix(i + 1).joined(separator: ".")
        return counts[upTo].map { "\(part)[\($0)]" } ?? String(part)
      }.joined(separator: ".")
    }
    return ((table.isEmpty ? "" : table + ".") + key, key)
  }

  /// A key path without its indices and with its free names (sites, racks, outlets) as the
  /// known-keys list writes them.
  static func general(_ path: String) -> String {
    path.replacing(/\[\d+\]/, with: "")
      .replacing(/^sites\.[^.]+\./, with: "sites.NAME.")
      .replacing(/\.racks$/, with: ".racks.RACK")
      .replacing(/\.outlets$/, with: ".outlets.ID")
  }

  /// A valid config that sets every key once, each on a line of its own.
  static func everyKey(in folder: URL) throws -> String {
    let secret = folder.appendingPathComponent("token")
    try "not-a-real-token".write(to: secret, atomically: true, encoding: .utf8)
    let sweep = folder.appendingPathComponent("sweep.csv")
    try """
    dataset,network,batch_size,optimizer,power_limit,time_per_epoch,average_power
    d,n,64,adam,300,10.0,280
    d,n,64,adam,250,10.5,240
    d,n,64,adam,200,11.5,195
    """.write(to: sweep, atomically: true, encoding: .utf8)
    let kubeconfig = folder.appendingPathComponent("kubeconfig")
    try writeKubeconfig(to: kubeconfig, server: "https://127.0.0.1:9", token: "not-a-real-token")
    // Any readable file: a CA file is read when a connection is made, and none is here.
    let ca = secret.path
    return """
      [cache]
      path = "\(folder.appendingPathComponent("configured.sqlite").path)"
      [sim]
      gpus = 512
      seed = 7
      [poll]
      interval_s = 10
      timeout_s = 5
      [ui]
      theme = "light"
      [otel]
      endpoint = "http://127.0.0.1:4318"
      [[prices.gpu]]
      model = "H100-SXM5-80GB"
      on_demand = 4.0
      reserved_1y = 3.0
      reserved_3y = 2.5
      spot = 2.0
      as_of = "2025-01-01"
      source = "test"
      [[prices.gpu]]
      model = "H100-SXM5-80GB"
      on_demand = 3.5
      as_of = "2025-06-01"
      source = "test"
      from = "2027-01-01"
      [[prices.reservation]]
      cluster = "train-a"
      ends = "2027-03-31"
      then = "on_demand"
      [[prices.owned]]
      model = "A100-SXM4-80GB"
      capex_usd = 25000
      years = 5
      opex_usd_per_h = 0.05
      as_of = "2025-01-01"
      source = "test"
      [[prices.managed]]
      instance_type = "ml.g6e.48xlarge"
      service = "Amazon SageMaker"
      accelerator = "L40S"
      accelerators = 8
      usd_per_h = 30.0
      as_of = "2025-01-01"
      source = "test"
      [energy]
      usd_per_kwh = 0.07
      as_of = "2025-01-01"
      source = "test"
      [[energy.bands]]
      from_hour = 14
      to_hour = 20
      usd_per_kwh = 0.15
      [sites.dc-east]
      pue = 1.3
      power_budget_kw = 2400
      rack_power_budget_kw = 40
      [powercap]
      sweep = "\(sweep.path)"
      [alerts]
      defaults = true
      idle_allocated_gpus = 64
      idle_allocated_pct = 5
      idle_minutes = 30
      power_over_budget = true
      nodes_down = 0
      stale_source = true
      links_flapping = true
      spend_usd_per_month = 1500000
      [redfish]
      interval_s = 30
      [[redfish.bmc]]
      node = "gpu-a0001"
      url = "https://127.0.0.1:9"
      chassis = "1"
      user = "monitor"
      password_env = "FACTOP_TEST_SECRET"
      ca_file = "\(ca)"
      insecure_skip_verify = false
      auth = "basic"
      [[redfish.pdu]]
      rack = "lab/r1"
      url = "https://127.0.0.1:9"
      pdu = "1"
      outlets = { "1" = "gpu-a0001" }
      user = "monitor"
      password_env = "FACTOP_TEST_SECRET"
      ca_file = "\(ca)"
      insecure_skip_verify = false
      auth = "session"
      [opencost]
      url = "https://127.0.0.1:9"
      window = "1d"
      aggregate = "namespace"
      ca_file = "\(ca)"
      [[node_exporter]]
      node = "gpu-a0001"
      url = "https://127.0.0.1:9"
      ca_file = "\(ca)"
      [[terraform]]
      state = "prod.tfstate"
      name = "terraform/prod"
      interval_s = 300
      [[cluster]]
      name = "lab"
      site = "dc-east"
      pricing = "owned"
      racks = { r1 = "gpu-a[0001-0002]" }
      [cluster.node_names]
      strip_domain = true
      match = "^(.+)-bmc$"
      replace = "$1"
      [[cluster.source]]
      kind = "slurm"
      bin_dir = "/usr/bin"
      interval_s = 30
      timeout_s = 10
      [[cluster.source]]
      kind = "prometheus"
      name = "lab/prometheus"
      url = "https://127.0.0.1:9"
      user = "reader"
      password_env = "FACTOP_TEST_SECRET"
      selector = "cluster=\\"lab\\""
      ca_file = "\(ca)"
      insecure_skip_verify = false
      [[cluster.source]]
      kind = "slurmrestd"
      url = "https://127.0.0.1:9"
      user = "factop"
      token_file = "\(secret.path)"
      [[cluster.source]]
      kind = "kubernetes"
      kubeconfig = "\(kubeconfig.path)"
      context = "lab"
      [[cluster.source]]
      kind = "nvidia-smi"
      node = "gpu-a0001"
      command = "/usr/bin/nvidia-smi"
      [[cluster.source]]
      kind = "prometheus"
      name = "lab/dcgm"
      url = "https://127.0.0.1:9"
      token_env = "FACTOP_TEST_SECRET"
      """
  }
}
