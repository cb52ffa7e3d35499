import Feeds
import FleetModel
import Foundation
import Testing

/// `rocm-smi --json`, pinned by real captures: four MI100s on ROCm 6.0.2 and six on ROCm 5.7.1
/// (../shared/fixtures/amd/, from telegraf's test data).
@Suite(
  .enabled(
    if: FileManager.default.fileExists(atPath: fixtures.appendingPathComponent("amd").path),
    "shared/fixtures is absent"))
struct RocmSMITests {
  func capture(_ name: String) throws -> Data {
    try Data(contentsOf: fixtures.appendingPathComponent("amd/telegraf-rocm-smi-\(name).json"))
  }

  @Test func readsEveryCardOfROCm6() throws {
    let gpus = try RocmSMIJSON.parse(try capture("mi100-rocm602"), source: "mi100")
    #expect(gpus.map(\.index) == [0, 1, 2, 3])
    let first = try #require(gpus.first)
    #expect(first.uniqueID == "0x79ccd55167a2124a")
    #expect(first.name == "Arcturus GL-XL [Instinct MI100]")
    #expect(first.powerW == 36 && first.powerLimitW == 290)
    #expect(first.utilizationPct == 0)
    #expect(first.temperatureC == 55)  // the junction, not the edge's 53
    #expect(first.shaderClockMHz == 300 && first.memoryClockMHz == 1_200)
    let total = try #require(first.memoryTotalMiB)
    #expect(abs(total - 32_752) < 1)
    #expect(first.memoryUsedMiB != nil)
    #expect(first.pciBusID?.hasSuffix(":00.0") == true)
  }

  /// ROCm 5.7.1: six cards, `Unique ID` `N/A` (unknown, not a UUID), a file that starts with an
  /// empty line.
  @Test func readsROCm5AndLeavesWhatItDoesNotKnowUnknown() throws {
    let gpus = try RocmSMIJSON.parse(try capture("mi100-rocm571"), source: "mi100")
    #expect(gpus.count == 6)
    #expect(gpus.allSatisfy { $0.uniqueID == nil })
    #expect(gpus.allSatisfy { $0.powerW != nil && $0.name?.contains("MI100") == true })
  }

  /// Into the fleet: AMD MI100s from the catalogue, with their readings, on the node named.
  @Test func becomesOneNodeOfAMDGPUs() throws {
    let layout = ClusterLayout(
      cluster: Cluster(name: "lab", scheduler: .slurm, site: "s", pricing: .owned))
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    let state = RocmSMIInventory.state(
      try RocmSMIJSON.parse(try capture("mi100-rocm602"), source: "mi100"), node: "amd-box.lab",
      layout: layout, at: now)
    // The host name as the cluster names nodes: its domain dropped, by the standard rule.
    #expect(state.nodes.map(\.name) == ["amd-box"])
    #expect(state.gpus.count == 4)
    #expect(state.gpus.allSatisfy { $0.model.vendor == "AMD" && $0.model.tdpW == 300 })
    #expect(state.gpuSamples.values.allSatisfy { $0.powerW != nil && $0.time == now })
  }

  @Test(arguments: [
    ("not json", "not valid JSON"), ("[1, 2]", "expected an object of cards"),
    (#"{"system": {"Driver version": "6.3.6"}}"#, "no card0"),
    (#"{"card0": "broken"}"#, "at card0: expected an object"),
  ])
  func badInputSaysWhatIsWrong(text: String, message: String) {
    #expect {
      try RocmSMIJSON.parse(Data(text.utf8), source: "capture.json")
    } throws: { error in
      "\(error)".contains("capture.json") && "\(error)".contains(message)
    }
  }
}
