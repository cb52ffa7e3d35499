import FleetModel
import Foundation

/// Reads a chassis's power from a Redfish service the way the DMTF schemas allow, in order of
/// preference: `EnvironmentMetrics.PowerWatts.Reading` (current), then the deprecated
/// `Power.PowerControl[].PowerConsumedWatts` (still what many BMCs serve), then the sum of the
/// power supplies' `InputPowerWatts`. Which resource answered is kept with the reading: the
/// sources disagree (the DMTF mockup says 374, 344 and 937.4 W for one chassis), so a series
/// never mixes them.
public struct RedfishPower: Sendable {
  public let transport: any RedfishTransport

  public init(transport: any RedfishTransport) {
    self.transport = transport
  }

  /// One chassis's power and the resource that gave it.
  public struct Reading: Sendable, Equatable {
    public let chassis: String
    public let watts: Double
    public let via: String
  }

  /// Every chassis that reports power, in collection order.
  public func chassisReadings() async throws -> [Reading] {
    let collection = try await document("/redfish/v1/Chassis")
    var readings: [Reading] = []
    for member in Self.members(collection) {
      if let reading = try await reading(ofChassis: member) { readings.append(reading) }
    }
    return readings
  }

  /// The chassis's power, or nil when none of its resources reports one.
  public func reading(ofChassis path: String) async throws -> Reading? {
    let chassis = try await document(path)
    let id = chassis["Id"] as? String ?? String(path.split(separator: "/").last ?? "")
    if let link = Self.link(chassis, "EnvironmentMetrics"),
      let metrics = try await optionalDocument(link),
      let watts = Self.reading(metrics["PowerWatts"])
    {
      return Reading(chassis: id, watts: watts, via: "EnvironmentMetrics.PowerWatts")
    }
    if let link = Self.link(chassis, "Power"), let power = try await optionalDocument(link),
      let watts = Self.powerControl(power)
    {
      return Reading(chassis: id, watts: watts, via: "Power.PowerControl")
    }
    if let link = Self.link(chassis, "PowerSubsystem"),
      let subsystem = try await optionalDocument(link),
      let suppliesLink = Self.link(subsystem, "PowerSupplies"),
      let supplies = try await optionalDocument(suppliesLink)
    {
      var total: Double?
      for supply in Self.members(supplies) {
        guard let unit = try await optionalDocument(supply),
          let metricsLink = Self.link(unit, "Metrics"),
          let metrics = try await optionalDocument(metricsLink),
          let watts = Self.reading(metrics["InputPowerWatts"])
        else { continue }
        total = (total ?? 0) + watts
      }
      if let total {
        return Reading(chassis: id, watts: total, via: "PowerSubsystem.PowerSupplies")
      }
    }
    return nil
  }

  // MARK: Parsing (pure)

  /// One saved resource (EnvironmentMetrics or Power) as a node's meter reading.
  public static func resource(_ data: Data, source: String, node: String, at time: Date)
    throws(InputError) -> MeterReading
  {
    guard let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw InputError(source: source, message: "not a JSON object")
    }
    if let watts = reading(document["PowerWatts"]) {
      return MeterReading(
        scope: .node, target: node, watts: watts, via: "EnvironmentMetrics.PowerWatts",
        time: time)
    }
    if let watts = powerControl(document) {
      return MeterReading(
        scope: .node, target: node, watts: watts, via: "Power.PowerControl", time: time)
    }
    throw InputError(
      source: source,
      message:
        "no power reading: expected PowerWatts.Reading (EnvironmentMetrics) or PowerControl[].PowerConsumedWatts (Power)"
    )
  }

  /// `Members[].@odata.id` of a collection.
  static func members(_ document: [String: Any]) -> [String] {
    (document["Members"] as? [[String: Any]] ?? []).compactMap { $0["@odata.id"] as? String }
  }

  /// The `@odata.id` a property links to.
  static func link(_ document: [String: Any], _ key: String) -> String? {
    (document[key] as? [String: Any])?["@odata.id"] as? String
  }

  /// A sensor excerpt's `Reading` (`{"Reading": 374}`); nil when null (an absent sensor) or
  /// not a number.
  static func reading(_ excerpt: Any?) -> Double? {
    guard let value = (excerpt as? [String: Any])?["Reading"] as? NSNumber else { return nil }
    let watts = value.doubleValue
    return watts.isFinite && watts >= 0 ? watts : nil
  }

  /// The chassis-level `PowerControl` entry's consumed watts: the one named for the system's
  /// or chassis's input when several are listed, else the first that has a reading.
  static func powerControl(_ document: [String: Any]) -> Double? {
    let controls = (document["PowerControl"] as? [[String: Any]] ?? []).compactMap {
      control -> (name: String, watts: Double)? in
      guard let watts = (control["PowerConsumedWatts"] as? NSNumber)?.doubleValue, watts >= 0
      else { return nil }
      return (control["Name"] as? String ?? "", watts)
    }
    let input = controls.first {
      $0.name.localizedCaseInsensitiveContains("input")
        || $0.name.localizedCaseInsensitiveContains("chassis")
    }
    return (input ?? controls.first)?.watts
  }

  // MARK: Fetching

  private func document(_ path: String) async throws -> [String: Any] {
    guard let document = try await optionalDocument(path) else {
      throw RedfishError(origin: transport.origin, path: path, message: "not found")
    }
    return document
  }

  private func optionalDocument(_ path: String) async throws -> [String: Any]? {
    guard let data = try await transport.get(path) else { return nil }
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw RedfishError(origin: transport.origin, path: path, message: "not a JSON object")
    }
    return object
  }
}

/// BMCs as a source: each polled BMC's chassis power becomes its node's meter reading.
public struct RedfishFeed: Feed {
  /// One BMC and the node it reports for.
  public struct BMC: Sendable {
    public let node: String
    /// The chassis to read (its `Id`); nil takes the first that reports power.
    public let chassis: String?
    public let transport: any RedfishTransport

    public init(node: String, chassis: String?, transport: any RedfishTransport) {
      self.node = node
      self.chassis = chassis
      self.transport = transport
    }
  }

  public let name: String
  public let kind = "redfish"
  public let intervalS: Double
  public let bmcs: [BMC]

  public init(name: String = "redfish", intervalS: Double, bmcs: [BMC]) {
    self.name = name
    self.intervalS = intervalS
    self.bmcs = bmcs
  }

  /// Every BMC, concurrently. One that fails fails the poll with its error, and the cache keeps
  /// the last good readings of all of them (a BMC either answers or the source is in trouble).
  public func poll(at time: Date) async throws -> FleetState {
    let meters = try await withThrowingTaskGroup(of: MeterReading?.self) { group in
      for bmc in bmcs {
        group.addTask { try await Self.read(bmc, at: time) }
      }
      return try await group.reduce(into: [MeterReading]()) { if let m = $1 { $0.append(m) } }
    }
    var state = FleetState()
    state.meters = meters.sorted { $0.target < $1.target }
    return state
  }

  /// The node's meter reading from its BMC, or nil when the BMC reports no power.
  public static func read(_ bmc: BMC, at time: Date) async throws -> MeterReading? {
    let power = RedfishPower(transport: bmc.transport)
    let readings = try await power.chassisReadings()
    let chosen = bmc.chassis.map { id in readings.first { $0.chassis == id } } ?? readings.first
    guard let reading = chosen else {
      if let id = bmc.chassis {
        throw RedfishError(
          origin: bmc.transport.origin, path: "/redfish/v1/Chassis",
          message:
            "no chassis \(id) reporting power (found: \(readings.map(\.chassis).joined(separator: ", ")))"
        )
      }
      return nil
    }
    return MeterReading(
      scope: .node, target: bmc.node, watts: reading.watts, via: reading.via, time: time)
  }
}
