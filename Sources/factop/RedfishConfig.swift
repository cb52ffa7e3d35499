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
/// insecure = false                    # true skips TLS verification (lab BMCs only)
/// ```
struct RedfishSection: Decodable, Equatable {
  struct BMC: Decodable, Equatable {
    var node: String
    var url: String
    var chassis: String?
    var user: String?
    var passwordEnv: String?
    var caFile: String?
    var insecure: Bool?

    enum CodingKeys: String, CodingKey {
      case node, url, chassis, user, insecure
      case passwordEnv = "password_env"
      case caFile = "ca_file"
    }
  }

  var intervalS: TOMLNumber?
  var bmc: [BMC]?

  enum CodingKeys: String, CodingKey {
    case intervalS = "interval_s"
    case bmc
  }

  /// The Redfish feed the section describes, validated; nil without BMCs.
  func feed(path: String, environment: [String: String], defaultIntervalS: Double)
    throws(ConfigError) -> RedfishFeed?
  {
    guard let bmcs = bmc, !bmcs.isEmpty else { return nil }
    func fail(_ message: String) -> ConfigError { ConfigError(path: path, message: message) }
    let interval = intervalS?.value ?? defaultIntervalS
    guard interval >= 1 else { throw fail("redfish.interval_s must be ≥ 1") }
    var configured: [RedfishFeed.BMC] = []
    for (i, entry) in bmcs.enumerated() {
      let key = "redfish.bmc[\(i)]"
      guard entry.url.hasPrefix("https://") || entry.url.hasPrefix("http://") else {
        throw fail("\(key).url must start with https:// (or http://)")
      }
      var password: String?
      if let variable = entry.passwordEnv {
        guard let value = environment[variable] else {
          throw fail("\(key).password_env names \(variable), which is not set")
        }
        password = value
      }
      if let caFile = entry.caFile, !FileManager.default.isReadableFile(atPath: caFile) {
        throw fail("\(key).ca_file: cannot read \(caFile)")
      }
      do {
        configured.append(
          RedfishFeed.BMC(
            node: entry.node, chassis: entry.chassis,
            transport: try RedfishHTTP(
              base: entry.url, user: entry.user, password: password, caFile: entry.caFile,
              insecure: entry.insecure ?? false)))
      } catch {
        throw fail("\(key): \(error)")
      }
    }
    return RedfishFeed(intervalS: interval, bmcs: configured)
  }
}
