import Feeds
import Foundation

/// `[redfish]` and `[[redfish.bmc]]`: the BMCs to read node power from.
///
/// ```toml
/// [redfish]
/// interval_s = 30
/// [[redfish.bmc]]
/// node = "gpu-a0001"                  # the node this BMC reports for
/// url = "https://10.1.0.1"
/// chassis = "1U"                      # optional: the chassis Id (default: the first with power)
/// user = "monitor"
/// password_env = "FACTOP_BMC_PASSWORD"  # read from the environment, never from this file
/// ca_file = "/etc/factop/bmc-ca.pem"  # optional: trust this CA instead of the system's
/// insecure_skip_verify = false       # true skips TLS verification (lab BMCs only)
/// auth = "session"                    # a Redfish session (X-Auth-Token), or "basic"
/// [[redfish.pdu]]
/// rack = "train-a/a-r001"             # CLUSTER/RACK the PDU feeds
/// url = "https://10.1.9.1"
/// pdu = "1"                           # optional: the RackPDU Id (default: the first)
/// outlets = { A1 = "gpu-a0001" }      # optional: outlet Id → the node it feeds
/// user = "monitor"                    # password_env, ca_file, insecure_skip_verify as for a BMC
/// ```
struct RedfishSection: Decodable, Equatable {
  /// How to reach one Redfish service: what a BMC and a PDU entry share.
  struct Endpoint {
    var url: String
    var user: String?
    var passwordEnv: String?
    var caFile: String?
    var insecure: Bool?
    var auth: String?
  }

  // Both entries spell out the shared keys themselves: TOMLKit's strict decoding (which
  // reports unknown keys) checks each keyed container on its own.
  struct BMC: Decodable, Equatable {
    var node: String
    var chassis: String?
    var url: String
    var user: String?
    var passwordEnv: String?
    var caFile: String?
    var insecure: Bool?
    var auth: String?

    enum CodingKeys: String, CodingKey {
      case node, chassis, url, user, auth
      case passwordEnv = "password_env"
      case caFile = "ca_file"
      case insecure = "insecure_skip_verify"
    }

    var endpoint: Endpoint {
      Endpoint(
        url: url, user: user, passwordEnv: passwordEnv, caFile: caFile, insecure: insecure,
        auth: auth)
    }
  }

  struct PDU: Decodable, Equatable {
    var rack: String
    var pdu: String?
    /// Outlet Id → node.
    var outlets: [String: String]?
    var url: String
    var user: String?
    var passwordEnv: String?
    var caFile: String?
    var insecure: Bool?
    var auth: String?

    enum CodingKeys: String, CodingKey {
      case rack, pdu, outlets, url, user, auth
      case passwordEnv = "password_env"
      case caFile = "ca_file"
      case insecure = "insecure_skip_verify"
    }

    var endpoint: Endpoint {
      Endpoint(
        url: url, user: user, passwordEnv: passwordEnv, caFile: caFile, insecure: insecure,
        auth: auth)
    }
  }

  var intervalS: TOMLNumber?
  var bmc: [BMC]?
  var pdu: [PDU]?

  enum CodingKeys: String, CodingKey {
    case intervalS = "interval_s"
    case bmc, pdu
  }

  /// The Redfish feed the section describes, validated; nil without BMCs. Every problem is
  /// noted in `problems`, and a BMC or PDU with one is left out.
  func feed(
    environment: [String: String], defaultIntervalS: Double, problems: inout ConfigProblems
  ) -> RedfishFeed? {
    let path = problems.path
    func fail(_ message: String) -> ConfigError { ConfigError(path: path, message: message) }
    let interval = intervalS?.value ?? defaultIntervalS
    if interval < 1 { problems.note("redfish.interval_s must be ≥ 1") }
    guard !(bmc ?? []).isEmpty || !(pdu ?? []).isEmpty else { return nil }
    func transport(_ key: String, _ endpoint: Endpoint) throws(ConfigError) -> HTTPSource {
      guard [nil, "session", "basic"].contains(endpoint.auth) else {
        throw fail("\(key).auth must be \"session\" or \"basic\"")
      }
      guard endpoint.url.hasPrefix("https://") || endpoint.url.hasPrefix("http://") else {
        throw fail("\(key).url must start with https:// (or http://)")
      }
      var password: String?
      if let variable = endpoint.passwordEnv {
        guard let value = environment[variable] else {
          throw fail("\(key).password_env names \(variable), which is not set")
        }
        password = value
      }
      if let caFile = endpoint.caFile, !FileManager.default.isReadableFile(atPath: caFile) {
        throw fail("\(key).ca_file: cannot read \(caFile)")
      }
      do {
        return try HTTPSource(
          base: endpoint.url, user: endpoint.user, password: password, caFile: endpoint.caFile,
          insecure: endpoint.insecure ?? false,
          sessionPath: endpoint.auth == "basic" ? nil : "/redfish/v1/SessionService/Sessions")
      } catch {
        throw fail("\(key): \(error)")
      }
    }
    let bmcs = (bmc ?? []).enumerated().compactMap { i, entry in
      problems.check(nil) { () throws(ConfigError) in
        RedfishFeed.BMC(
          node: entry.node, chassis: entry.chassis,
          transport: try transport("redfish.bmc[\(i)]", entry.endpoint))
      }
    }
    let pdus = (pdu ?? []).enumerated().compactMap { i, entry in
      problems.check(nil) { () throws(ConfigError) in
        guard entry.rack.split(separator: "/").count == 2 else {
          throw fail("redfish.pdu[\(i)].rack must be CLUSTER/RACK")
        }
        return RedfishFeed.PDU(
          rack: entry.rack, pdu: entry.pdu, outletNodes: entry.outlets ?? [:],
          transport: try transport("redfish.pdu[\(i)]", entry.endpoint))
      }
    }
    return RedfishFeed(intervalS: max(1, interval), bmcs: bmcs, pdus: pdus)
  }
}
