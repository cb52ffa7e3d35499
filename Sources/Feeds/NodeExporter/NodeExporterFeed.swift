import FleetModel
import Foundation
import Synchronization

/// Node power from Prometheus node exporter, for nodes without a BMC to ask: the hwmon power
/// sensors (`node_hwmon_power_watt`; the ACPI power meter is the whole node), else the RAPL
/// energy counters (`node_rapl_*_joules_total`) turned into watts between two scrapes, which
/// cover only the CPU packages and DRAM and say so in the reading's `via`. And the node's
/// InfiniBand ports (`node_infiniband_*`): state, rate, traffic and errors between scrapes.
public final class NodeExporterFeed: Feed {
  /// One node exporter and the node it runs on.
  public struct Target: Sendable {
    public let node: String
    public let service: HTTPSource

    public init(node: String, service: HTTPSource) {
      self.node = node
      self.service = service
    }
  }

  public let name = "node-exporter"
  public let kind = "node-exporter"
  public let intervalS: Double
  public let targets: [Target]
  public var target: String { "\(targets.count) node exporter(s)" }
  public var tls: TLSVerification? { .weakest(targets.map(\.service.tls)) }
  /// Each node's last RAPL energy total and when it was read, for the next rate.
  private let lastEnergy = Mutex<[String: (joules: Double, time: Date)]>([:])
  /// Each port's last counters, for the next rates and the link-down count since.
  private let lastPorts = Mutex<[String: FabricPort.Counters]>([:])

  public init(intervalS: Double, targets: [Target]) {
    self.intervalS = intervalS
    self.targets = targets
  }

  public func poll(at time: Date) async throws -> FleetState {
    let answers = try await withThrowingTaskGroup(of: (MeterReading?, [FabricPort]).self) {
      group in
      for target in targets {
        group.addTask { try await self.read(target, at: time) }
      }
      return try await group.reduce(into: [(MeterReading?, [FabricPort])]()) { $0.append($1) }
    }
    var state = FleetState()
    state.meters = answers.compactMap(\.0).sorted { $0.target < $1.target }
    state.fabric = answers.flatMap(\.1).sorted { ($0.node, $0.name) < ($1.node, $1.name) }
    return state
  }

  static let names: Set<String> = Set(
    [
      "node_hwmon_power_watt", "node_rapl_package_joules_total",
      "node_rapl_dram_joules_total",
    ] + FabricPort.metricNames)

  func read(_ target: Target, at time: Date) async throws -> (MeterReading?, [FabricPort]) {
    guard let data = try await target.service.get("/metrics") else {
      throw SourceError(origin: target.service.origin, path: "/metrics", message: "not found")
    }
    let samples = PrometheusText.samples(String(decoding: data, as: UTF8.self), named: Self.names)
    return (power(target, samples, at: time), fabric(target, samples, at: time))
  }

  /// The node's InfiniBand ports, with rates and link-downs since this port's previous scrape.
  private func fabric(_ target: Target, _ samples: [PrometheusText.Sample], at time: Date)
    -> [FabricPort]
  {
    FabricPort.ports(
      of: target.node, samples.filter { $0.name.hasPrefix("node_infiniband_") }, at: time
    )
    .map { current in
      let key = "\(target.node) \(current.port.name)"
      let previous = lastPorts.withLock { last in
        defer { last[key] = current.counters }
        return last[key]
      }
      return current.port.since(previous, now: current.counters)
    }
  }

  private func power(_ target: Target, _ samples: [PrometheusText.Sample], at time: Date)
    -> MeterReading?
  {
    if let watts = Self.hwmonWatts(samples) {
      return MeterReading(
        scope: .node, target: target.node, watts: watts, via: "node_exporter hwmon", time: time)
    }
    let joules = samples.filter { $0.name.hasPrefix("node_rapl_") }.map(\.value)
    guard !joules.isEmpty else { return nil }
    let total = joules.reduce(0, +)
    let previous = lastEnergy.withLock { last in
      defer { last[target.node] = (total, time) }
      return last[target.node]
    }
    guard let previous, time > previous.time, total >= previous.joules else { return nil }
    return MeterReading(
      scope: .node, target: target.node,
      watts: (total - previous.joules) / time.timeIntervalSince(previous.time),
      via: "node_exporter RAPL (CPU and DRAM only)", time: time)
  }

  /// The ACPI power meter's reading (the whole node), else every hwmon power sensor summed.
  static func hwmonWatts(_ samples: [PrometheusText.Sample]) -> Double? {
    let power = samples.filter { $0.name == "node_hwmon_power_watt" }
    if let meter = power.first(where: { $0.labels["chip"]?.contains("acpi_power_meter") == true }) {
      return meter.value
    }
    return power.isEmpty ? nil : power.reduce(0) { $0 + $1.value }
  }
}
