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
  .enabled(
    if: RealServer.available(sushyStatic), "sushy-tools is not installed (.ci/run installs it)"))
struct RedfishServerTests {
  @Test func readsAChassisFollowsAChangeOnDiskAndMapsItToItsNode() async throws {
    let copy = try mockupCopy()
    let server = try RealServer(
      sushyStatic, arguments: { ["-i", "127.0.0.1", "-p", String($0), "-m", copy.path] },
      ready: { RealServer.answers("http://127.0.0.1:\($0)/redfish/v1/") })
    defer { server.stop() }
    let feed = RedfishFeed(
      intervalS: 10,
      bmcs: [
        .init(
          node: "gpu-a0001", chassis: "1U",
          transport: try RedfishHTTP(
            base: "http://127.0.0.1:\(server.port)", user: "monitor", password: "secret",
            caFile: nil))
      ])
    let first = try await feed.poll(at: Date()).meters
    #expect(first.map(\.target) == ["gpu-a0001"])
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
          transport: try RedfishHTTP(
            base: "http://127.0.0.1:\(server.port)", user: nil, password: nil, caFile: nil))
      ])
    await #expect {
      try await wrong.poll(at: Date())
    } throws: { "\($0)".contains("no chassis 2U reporting power (found: 1U)") }
  }
}
