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
    for member in try members(collection, at: "/redfish/v1/Chassis") {
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
      for supply in try members(supplies, at: suppliesLink) {
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

  /// A rack PDU's draw and its outlets', from `PowerEquipment/RackPDUs`.
  public struct PDUReading: Sendable, Equatable {
    public let pdu: String
    public let watts: Double
    public let via: String
    /// Each outlet's `Id` and draw, in collection order; unknown outlets are left out.
    public let outlets: [(id: String, watts: Double)]

    public static func == (a: PDUReading, b: PDUReading) -> Bool {
      a.pdu == b.pdu && a.watts == b.watts && a.via == b.via
        && a.outlets.map(\.id) == b.outlets.map(\.id)
        && a.outlets.map(\.watts) == b.outlets.map(\.watts)
    }
  }

  /// Every rack PDU that reports power: its `Metrics.PowerWatts`, else the sum of its mains.
  public func pduReadings() async throws -> [PDUReading] {
    guard let equipment = try await optionalDocument("/redfish/v1/PowerEquipment"),
      let racksLink = Self.link(equipment, "RackPDUs"),
      let racks = try await optionalDocument(racksLink)
    else { return [] }
    var readings: [PDUReading] = []
    for member in try members(racks, at: racksLink) {
      let pdu = try await document(member)
      let id = pdu["Id"] as? String ?? String(member.split(separator: "/").last ?? "")
      var outlets: [(id: String, watts: Double)] = []
      if let link = Self.link(pdu, "Outlets"), let collection = try await optionalDocument(link) {
        for outletPath in try members(collection, at: link) {
          guard let outlet = try await optionalDocument(outletPath),
            let watts = Self.reading(outlet["PowerWatts"])
          else { continue }
          outlets.append((outlet["Id"] as? String ?? outletPath, watts))
        }
      }
      if let link = Self.link(pdu, "Metrics"), let metrics = try await optionalDocument(link),
        let watts = Self.reading(metrics["PowerWatts"])
      {
        readings.append(
          PDUReading(pdu: id, watts: watts, via: "PowerDistribution.Metrics", outlets: outlets))
        continue
      }
      if let link = Self.link(pdu, "Mains"), let mains = try await optionalDocument(link) {
        var total: Double?
        for circuit in try members(mains, at: link) {
          guard let main = try await optionalDocument(circuit),
            let watts = Self.reading(main["PowerWatts"])
          else { continue }
          total = (total ?? 0) + watts
        }
        if let total {
          readings.append(
            PDUReading(pdu: id, watts: total, via: "PowerDistribution.Mains", outlets: outlets))
        }
      }
    }
    return readings
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

  /// `Members[].@odata.id` of the collection at `path`; a document without a `Members` array is
  /// not a collection, whatever else it holds.
  private func members(_ document: [String: Any], at path: String) throws -> [String] {
    guard let members = document["Members"] as? [[String: Any]] else {
      throw SourceError(
        origin: transport.origin, path: path, message: "not a Redfish collection (no Members array)"
      )
    }
    return members.compactMap { $0["@odata.id"] as? String }
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
      throw SourceError(origin: transport.origin, path: path, message: "not found")
    }
    return document
  }

  private func optionalDocument(_ path: String) async throws -> [String: Any]? {
    guard let data = try await transport.get(path) else { return nil }
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw SourceError(origin: transport.origin, path: path, message: "not a JSON object")
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

  /// One rack PDU and the rack it feeds.
  public struct PDU: Sendable {
    /// The rack as `CLUSTER/RACK`.
    public let rack: String
    /// The PDU to read (its `Id`); nil takes the first that reports power.
    public let pdu: String?
    /// Outlet `Id` → the node it feeds: the outlet's reading is then that node's power where
    /// no BMC reports it.
    public let outletNodes: [String: String]
    public let transport: any RedfishTransport

    public init(
      rack: String, pdu: String?, outletNodes: [String: String] = [:],
      transport: any RedfishTransport
    ) {
      self.rack = rack
      self.pdu = pdu
      self.outletNodes = outletNodes
      self.transport = transport
    }
  }

  public let name: String
  public let kind = "redfish"
  public let intervalS: Double
  public let bmcs: [BMC]
  public let pdus: [PDU]

  public var target: String { "\(bmcs.count) BMC(s), \(pdus.count) PDU(s)" }
  public var tls: TLSVerification? {
    .weakest(bmcs.map(\.transport.tls) + pdus.map(\.transport.tls))
  }

  public init(name: String = "redfish", intervalS: Double, bmcs: [BMC], pdus: [PDU] = []) {
    self.name = name
    self.intervalS = intervalS
    self.bmcs = bmcs
    self.pdus = pdus
  }

  /// Every BMC, concurrently. One that fails fails the poll with its error, and the cache keeps
  /// the last good readings of all of them (a BMC either answers or the source is in trouble).
  public func poll(at time: Date) async throws -> FleetState {
    let meters = try await withThrowingTaskGroup(of: [MeterReading].self) { group in
      for bmc in bmcs {
        group.addTask { try await Self.read(bmc, at: time).map { [$0] } ?? [] }
      }
      for pdu in pdus {
        group.addTask { try await Self.read(pdu, at: time) }
      }
      return try await group.reduce(into: [MeterReading]()) { $0 += $1 }
    }
    var state = FleetState()
    state.meters = meters.sorted { $0.target < $1.target }
    return state
  }

  /// The rack's meter reading and its outlets' from its PDU; none when it reports no power.
  public static func read(_ pdu: PDU, at time: Date) async throws -> [MeterReading] {
    let readings = try await RedfishPower(transport: pdu.transport).pduReadings()
    let chosen = pdu.pdu.map { id in readings.first { $0.pdu == id } } ?? readings.first
    guard let reading = chosen else {
      if let id = pdu.pdu {
        throw SourceError(
          origin: pdu.transport.origin, path: "/redfish/v1/PowerEquipment/RackPDUs",
          message:
            "no PDU \(id) reporting power (found: \(readings.map(\.pdu).joined(separator: ", ")))")
      }
      return []
    }
    return [
      MeterReading(
        scope: .rack, target: pdu.rack, watts: reading.watts, via: reading.via, time: time)
    ]
      + reading.outlets.flatMap { outlet in
        [
          MeterReading(
            scope: .outlet, target: "\(pdu.rack)#\(outlet.id)", watts: outlet.watts,
            via: "PowerDistribution.Outlets", time: time)
        ]
          + (pdu.outletNodes[outlet.id].map {
            [
              MeterReading(
                scope: .node, target: $0, watts: outlet.watts, via: MeterReading.outletVia,
                time: time)
            ]
          } ?? [])
      }
  }

  /// The node's meter reading from its BMC, or nil when the BMC reports no power.
  public static func read(_ bmc: BMC, at time: Date) async throws -> MeterReading? {
    let power = RedfishPower(transport: bmc.transport)
    let readings = try await power.chassisReadings()
    let chosen = bmc.chassis.map { id in readings.first { $0.chassis == id } } ?? readings.first
    guard let reading = chosen else {
      if let id = bmc.chassis {
        throw SourceError(
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
