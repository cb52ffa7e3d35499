import FleetModel
import Foundation

/// node exporter's `node_infiniband_*` families as `FabricPort`s (collector `infiniband`,
/// node exporter 1.x): one port per (`device`, `port`) label pair. Receive errors are spelled
/// `port_errors_received_total` (1.5) or `port_receive_errors_total`.
extension FabricPort {
  /// The families read; the rest (packets, multicast, the `legacy_` duplicates) say nothing
  /// these do not.
  static let metricNames = [
    "node_infiniband_state_id", "node_infiniband_physical_state_id",
    "node_infiniband_rate_bytes_per_second", "node_infiniband_port_data_received_bytes_total",
    "node_infiniband_port_data_transmitted_bytes_total", "node_infiniband_link_downed_total",
    "node_infiniband_port_errors_received_total", "node_infiniband_port_receive_errors_total",
    "node_infiniband_symbol_error_total", "node_infiniband_link_error_recovery_total",
  ]

  /// The ports one node exporter's `/metrics` text names, totals only (rates need two scrapes).
  public static func parse(_ text: String, node: String, at time: Date) -> [FabricPort] {
    ports(of: node, PrometheusText.samples(text, named: Set(metricNames)), at: time).map(\.port)
  }

  /// The counters a rate or a difference is taken from, at the moment they were read.
  struct Counters: Sendable {
    var received: Double?
    var transmitted: Double?
    var linkDowned: Double?
    /// Receive, symbol and recovery errors together.
    var errors: Double?
    var time: Date
  }

  /// Each port the samples name, with its totals and its counters for the next scrape.
  static func ports(of node: String, _ samples: [PrometheusText.Sample], at time: Date)
    -> [(port: FabricPort, counters: Counters)]
  {
    var ports: [String: FabricPort] = [:]
    for sample in samples {
      guard let device = sample.labels["device"], let number = sample.labels["port"],
        sample.value.isFinite, sample.value >= 0
      else { continue }
      let key = "\(device)/\(number)"
      var port = ports[key] ?? FabricPort(node: node, device: device, port: number, time: time)
      switch sample.name {
      case "node_infiniband_state_id": port.stateID = Int(exactly: sample.value)
      case "node_infiniband_physical_state_id": port.physicalStateID = Int(exactly: sample.value)
      case "node_infiniband_rate_bytes_per_second": port.rateBytesPerS = sample.value
      case "node_infiniband_link_downed_total": port.linkDownedTotal = sample.value
      case "node_infiniband_port_errors_received_total",
        "node_infiniband_port_receive_errors_total":
        port.receiveErrorsTotal = sample.value
      case "node_infiniband_symbol_error_total": port.symbolErrorsTotal = sample.value
      case "node_infiniband_link_error_recovery_total": port.linkErrorRecoveryTotal = sample.value
      default: break
      }
      ports[key] = port
    }
    var received: [String: Double] = [:]
    var transmitted: [String: Double] = [:]
    for sample in samples {
      guard let device = sample.labels["device"], let number = sample.labels["port"] else {
        continue
      }
      let key = "\(device)/\(number)"
      if sample.name == "node_infiniband_port_data_received_bytes_total" {
        received[key] = sample.value
      } else if sample.name == "node_infiniband_port_data_transmitted_bytes_total" {
        transmitted[key] = sample.value
      }
    }
    return ports.keys.sorted().map { key in
      let port = ports[key]!
      return (
        port,
        Counters(
          received: received[key], transmitted: transmitted[key],
          linkDowned: port.linkDownedTotal, errors: port.errorsTotal, time: time)
      )
    }
  }

  /// This reading with its rates and link-downs since `previous` (nil on a first scrape, after
  /// a counter reset, or where a counter is missing: unknown, not 0).
  func since(_ previous: Counters?, now: Counters) -> FabricPort {
    var port = self
    guard let previous, now.time > previous.time else { return port }
    let seconds = now.time.timeIntervalSince(previous.time)
    func rate(_ new: Double?, _ old: Double?) -> Double? {
      guard let new, let old, new >= old else { return nil }
      return (new - old) / seconds
    }
    port.receivedBytesPerS = rate(now.received, previous.received)
    port.transmittedBytesPerS = rate(now.transmitted, previous.transmitted)
    port.errorsPerS = rate(now.errors, previous.errors)
    if let new = now.linkDowned, let old = previous.linkDowned, new >= old {
      port.linkDownedNew = new - old
    }
    return port
  }
}
