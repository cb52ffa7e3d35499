import FleetModel
import Foundation
import TestSupport
import Testing

@testable import Feeds

let redfishMockup = fixtures.appendingPathComponent("redfish/public-rackmount1")
/// sushy-tools' static Redfish server, in the venv .ci/run makes.
let sushyStatic = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent(".build/it-venv/bin/sushy-static").path

/// A private copy of the DMTF mockup, which tests may edit (never ../shared itself).
func mockupCopy() throws -> URL {
  let copy = FileManager.default.temporaryDirectory.appendingPathComponent(
    "factop-redfish-\(UUID().uuidString)")
  try FileManager.default.copyItem(at: redfishMockup, to: copy)
  return copy
}

@Suite(
  .enabled(
    if: FileManager.default.fileExists(atPath: redfishMockup.path), "shared/fixtures is absent"))
struct RedfishMockupTests {
  @Test func readsTheCurrentResourceFirstAndSaysWhichAnswered() async throws {
    let power = RedfishPower(transport: RedfishMockupFolder(folder: redfishMockup))
    let readings = try await power.chassisReadings()
    #expect(readings.map(\.chassis) == ["1U"])
    #expect(readings.first?.watts == 374 && readings.first?.via == "EnvironmentMetrics.PowerWatts")
  }

  @Test func fallsBackToTheDeprecatedPowerResourceThenToThePowerSupplies() async throws {
    let copy = try mockupCopy()
    let chassis = copy.appendingPathComponent("Chassis/1U")
    try FileManager.default.removeItem(at: chassis.appendingPathComponent("EnvironmentMetrics"))
    let power = RedfishPower(transport: RedfishMockupFolder(folder: copy))
    #expect(try await power.chassisReadings().first?.via == "Power.PowerControl")
    #expect(try await power.chassisReadings().first?.watts == 344)
    try FileManager.default.removeItem(at: chassis.appendingPathComponent("Power"))
    // Bay1's metrics say 937.4 W; the other bays' metrics links point nowhere (404).
    let supplies = try await power.chassisReadings().first
    #expect(supplies?.via == "PowerSubsystem.PowerSupplies")
    #expect(supplies?.watts == 937.4)
  }

  @Test func aSavedResourceAndItsErrors() throws {
    let file = redfishMockup.appendingPathComponent("Chassis/1U/Power/index.json")
    let reading = try RedfishPower.resource(
      try Data(contentsOf: file), source: "power.json", node: "n1", at: Date())
    #expect(reading.watts == 344 && reading.via == "Power.PowerControl" && reading.target == "n1")
    #expect(throws: InputError(source: "x.json", message: "not a JSON object")) {
      try RedfishPower.resource(
        Data("<html>404</html>".utf8), source: "x.json", node: "n", at: Date())
    }
  }

  @Test func aNullReadingOfAnAbsentSensorIsUnknownNotZero() {
    #expect(RedfishPower.reading(["Reading": NSNull(), "Status": ["State": "Absent"]]) == nil)
    #expect(RedfishPower.reading(["Reading": 12.5]) == 12.5)
  }
}

/// The BMC feed against sushy-static serving the DMTF mockup, started here on 127.0.0.1.
@Suite(
  .serialized,
  .enabled(
    if: FileManager.default.fileExists(atPath: redfishMockup.path), "shared/fixtures is absent"),
  .requires(sushyStatic))
struct RedfishServerTests {
  @Test func readsAChassisFollowsAChangeOnDiskAndMapsItToItsNode() async throws {
    let copy = try mockupCopy()
    let server = try await RealServer(
      sushyStatic, arguments: { ["-i", "127.0.0.1", "-p", String($0), "-m", copy.path] },
      ready: { RealServer.answers("http://127.0.0.1:\($0)/redfish/v1/") })
    defer { server.stop() }
    let feed = RedfishFeed(
      intervalS: 10,
      bmcs: [
        .init(
          node: "gpu-a0001", chassis: "1U",
          transport: try HTTPSource(
            base: "http://127.0.0.1:\(server.port)", user: "monitor", password: "secret",
            caFile: nil))
      ])
    let first = try await feed.poll(at: Date()).meters
    #expect(first.map(\.target) == ["gpu-a0001"])
    // Asked for a session, sushy-static answers 204 without a token: Basic authentication then.
    let viaSession = RedfishFeed(
      intervalS: 10,
      bmcs: [
        .init(
          node: "gpu-a0001", chassis: nil,
          transport: try HTTPSource(
            base: "http://127.0.0.1:\(server.port)", user: "monitor", password: "secret",
            caFile: nil, sessionPath: "/redfish/v1/SessionService/Sessions"))
      ])
    #expect(try await viaSession.poll(at: Date()).meters.first?.watts == 374)
    #expect(first.first?.watts == 374 && first.first?.via == "EnvironmentMetrics.PowerWatts")

    // Without the current resource, the deprecated one answers; a value changed on disk shows
    // on the next poll (sushy-static reads the files on every request).
    let chassis = copy.appendingPathComponent("Chassis/1U")
    try FileManager.default.removeItem(at: chassis.appendingPathComponent("EnvironmentMetrics"))
    let second = try await feed.poll(at: Date()).meters.first
    #expect(second?.watts == 344 && second?.via == "Power.PowerControl")
    let powerFile = chassis.appendingPathComponent("Power/index.json")
    let edited = try String(contentsOf: powerFile, encoding: .utf8)
      .replacingOccurrences(of: "\"PowerConsumedWatts\": 344", with: "\"PowerConsumedWatts\": 777")
    try edited.write(to: powerFile, atomically: true, encoding: .utf8)
    let third = try await feed.poll(at: Date()).meters.first
    #expect(third?.watts == 777)

    // A chassis that is not there is an error that names it.
    let wrong = RedfishFeed(
      intervalS: 10,
      bmcs: [
        .init(
          node: "gpu-a0001", chassis: "2U",
          transport: try HTTPSource(
            base: "http://127.0.0.1:\(server.port)", user: nil, password: nil, caFile: nil))
      ])
    await #expect {
      try await wrong.poll(at: Date())
    } throws: { "\($0)".contains("no chassis 2U reporting power (found: 1U)") }
  }
}

/// A rack PDU built after the DMTF PowerDistribution schema (the shared mockup is a server and
/// has none): mains, outlets, and an outlet whose sensor is absent.
@Suite struct RedfishPDUTests {
  func pduFolder(withMetrics: Bool) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-pdu-\(UUID().uuidString)")
    func write(_ path: String, _ json: String) throws {
      let folder = root.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try json.write(
        to: folder.appendingPathComponent("index.json"), atomically: true, encoding: .utf8)
    }
    let pdu = "/redfish/v1/PowerEquipment/RackPDUs/1"
    try write(
      "PowerEquipment", #"{"RackPDUs": {"@odata.id": "/redfish/v1/PowerEquipment/RackPDUs"}}"#)
    try write("PowerEquipment/RackPDUs", #"{"Members": [{"@odata.id": "\#(pdu)"}]}"#)
    try write(
      "PowerEquipment/RackPDUs/1",
      #"{"Id": "1", "Mains": {"@odata.id": "\#(pdu)/Mains"}, "Outlets": {"@odata.id": "\#(pdu)/Outlets"}"#
        + (withMetrics ? #", "Metrics": {"@odata.id": "\#(pdu)/Metrics"}}"# : "}"))
    try write(
      "PowerEquipment/RackPDUs/1/Mains",
      #"{"Members": [{"@odata.id": "\#(pdu)/Mains/AA"}, {"@odata.id": "\#(pdu)/Mains/AB"}]}"#)
    try write(
      "PowerEquipment/RackPDUs/1/Mains/AA", #"{"Id": "AA", "PowerWatts": {"Reading": 2000}}"#)
    try write(
      "PowerEquipment/RackPDUs/1/Mains/AB", #"{"Id": "AB", "PowerWatts": {"Reading": 1200}}"#)
    try write(
      "PowerEquipment/RackPDUs/1/Outlets",
      #"{"Members": [{"@odata.id": "\#(pdu)/Outlets/A1"}, {"@odata.id": "\#(pdu)/Outlets/A2"}]}"#)
    try write(
      "PowerEquipment/RackPDUs/1/Outlets/A1", #"{"Id": "A1", "PowerWatts": {"Reading": 800}}"#)
    try write(
      "PowerEquipment/RackPDUs/1/Outlets/A2",
      #"{"Id": "A2", "PowerWatts": {"Reading": null}, "Status": {"State": "Absent"}}"#)
    try write("PowerEquipment/RackPDUs/1/Metrics", #"{"PowerWatts": {"Reading": 3150}}"#)
    return root
  }

  @Test func mainsAddUpAndAnAbsentOutletIsLeftOut() async throws {
    let meters = try await RedfishFeed.read(
      RedfishFeed.PDU(
        rack: "a/r1", pdu: nil,
        transport: RedfishMockupFolder(folder: try pduFolder(withMetrics: false))),
      at: Date())
    #expect(meters.map(\.target) == ["a/r1", "a/r1#A1"])
    #expect(meters.map(\.watts) == [3_200, 800])
    #expect(meters.first?.via == "PowerDistribution.Mains")
  }

  @Test func aMappedOutletIsItsNodesPowerUnlessABMCSaysOtherwise() async throws {
    let meters = try await RedfishFeed.read(
      RedfishFeed.PDU(
        rack: "a/r1", pdu: nil, outletNodes: ["A1": "n1", "A2": "n2"],
        transport: RedfishMockupFolder(folder: try pduFolder(withMetrics: false))),
      at: Date(timeIntervalSince1970: 2_000))
    // A2's sensor is absent: no reading for n2 rather than 0 W.
    let nodes = meters.filter { $0.scope == .node }
    #expect(nodes.map(\.target) == ["n1"] && nodes.map(\.watts) == [800])
    let inventory = FleetState(nodes: [Node(name: "n1", cluster: "a", rack: "r1", state: .idle)])
    var readings = FleetState()
    readings.meters =
      meters + [
        MeterReading(
          scope: .node, target: "n1", watts: 750, via: "EnvironmentMetrics.PowerWatts",
          time: Date(timeIntervalSince1970: 1_000))
      ]
    // The BMC's reading wins though the outlet's is newer: sources are never mixed.
    let fleet = FleetState(joining: ["slurm": inventory, "redfish": readings])
    #expect(fleet.nodeSamples[NodeID(cluster: "a", name: "n1")]?.powerW == 750)
  }

  @Test func thePDUsOwnMetricsComeFirst() async throws {
    let meters = try await RedfishFeed.read(
      RedfishFeed.PDU(
        rack: "a/r1", pdu: "1",
        transport: RedfishMockupFolder(folder: try pduFolder(withMetrics: true))),
      at: Date())
    #expect(meters.first?.watts == 3_150 && meters.first?.via == "PowerDistribution.Metrics")
  }

  @Test func whatTheNodesDoNotAccountForIsUnattributed() {
    let t = Date()
    var state = FleetState(
      clusters: [Cluster(name: "a", scheduler: .slurm, site: "s", pricing: .owned)],
      nodes: [
        Node(name: "n1", cluster: "a", rack: "r1", state: .idle),
        Node(name: "n2", cluster: "a", rack: "r2", state: .idle),
      ],
      nodeSamples: [
        NodeID(cluster: "a", name: "n1"): NodeSample(time: t, powerW: 2_500),
        NodeID(cluster: "a", name: "n2"): NodeSample(time: t, powerW: 900),
      ])
    state.meters = [MeterReading(scope: .rack, target: "a/r1", watts: 3_200, via: "m", time: t)]
    let rollup = PowerRollup(state, pueBySite: [:], budgets: PowerBudgets())
    let racks = rollup.sites[0].clusters[0].racks
    #expect(racks.map(\.entry.unattributedW) == [700, nil])
    #expect(rollup.fleet.racksOutOfOrder.isEmpty)
    state.meters[0].watts = 2_000
    // The nodes claim more than the PDU sees: flagged, not hidden.
    #expect(
      PowerRollup(state, pueBySite: [:], budgets: PowerBudgets()).fleet.racksOutOfOrder == ["a/r1"])
    // Above the racks, only metered racks count.
    #expect(rollup.fleet.unattributedW == 700)
  }
}
