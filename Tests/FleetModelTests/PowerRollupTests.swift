import FleetModel
import Foundation
import Testing

/// Two sites: one rack with a BMC-read node and a node whose GPUs outdraw its BMC; one rack
/// whose node has no BMC reading.
private func fleet() -> FleetState {
  let t = Date(timeIntervalSince1970: 1_800_000_000)
  let n1 = NodeID(cluster: "a", name: "n1")
  let n2 = NodeID(cluster: "a", name: "n2")
  let n3 = NodeID(cluster: "b", name: "n3")
  return FleetState(
    clusters: [
      Cluster(name: "a", scheduler: .slurm, site: "east", pricing: .owned),
      Cluster(name: "b", scheduler: .kubernetes, site: "west", pricing: .onDemand),
    ],
    nodes: [
      Node(name: "n1", cluster: "a", rack: "r1", state: .allocated),
      Node(name: "n2", cluster: "a", rack: "r1", state: .allocated),
      Node(name: "n3", cluster: "b", rack: "r9", state: .idle),
    ],
    gpus: [
      GPU(uuid: "g1", node: n1, index: 0, model: .h100SXM),
      GPU(uuid: "g2", node: n1, index: 1, model: .h100SXM),
      GPU(uuid: "g3", node: n2, index: 0, model: .h100SXM),
      GPU(uuid: "g4", node: n3, index: 0, model: .l40s),
    ],
    gpuSamples: [
      GPUID(node: n1, index: 0): GPUSample(time: t, powerW: 600),
      GPUID(node: n1, index: 1): GPUSample(time: t, powerW: 400),
      GPUID(node: n2, index: 0): GPUSample(time: t, powerW: 700),
      GPUID(node: n3, index: 0): GPUSample(time: t, powerW: 100),
    ],
    nodeSamples: [
      n1: NodeSample(time: t, powerW: 1_500), n2: NodeSample(time: t, powerW: 650),
      n3: NodeSample(time: t, powerW: nil),
    ])
}

@Suite struct PowerRollupTests {
  let rollup = PowerRollup(
    fleet(), pueBySite: ["east": 1.5],
    budgets: PowerBudgets(siteW: ["east": 2_500], rackW: ["east": 2_000]))

  @Test func nodesAddUpToRacksClustersAndSites() throws {
    let east = try #require(rollup.sites.first)
    #expect(east.entry.name == "east")
    let rack = try #require(east.clusters.first?.racks.first)
    #expect(rack.nodes.map(\.itW) == [1_500, 650])
    #expect(rack.nodes.map(\.restOfNodeW) == [500, -50])
    #expect(rack.entry.gpuW == 1_700)
    #expect(rack.entry.itW == 2_150)
    #expect(east.entry.itW == 2_150)
    #expect(rollup.fleet.itW == 2_250)
    #expect(rollup.fleet.gpuW == 1_800)
  }

  @Test func aGPUSumAboveItsBMCReadingIsFlagged() {
    #expect(rollup.fleet.nodesOutOfOrder == ["n2"])
  }

  @Test func aNodeWithoutBMCCountsItsGPUsAndSaysSo() throws {
    let west = try #require(rollup.sites.last)
    #expect(west.entry.itW == 100)
    #expect(west.entry.restOfNodeW == nil)
    #expect(west.entry.nodesWithoutBMC == 1)
  }

  @Test func budgetsGiveHeadroomAndPUEGivesFacilityPower() throws {
    let east = try #require(rollup.sites.first)
    #expect(abs(try #require(east.entry.headroomPct) - 14) < 1e-9)
    #expect(abs(try #require(east.clusters[0].racks[0].entry.headroomPct) + 7.5) < 1e-9)
    #expect(east.entry.facilityW == 3_225)
    // West has no PUE: the fleet's facility power is unknown rather than understated.
    #expect(rollup.sites.last?.entry.facilityW == nil)
    #expect(rollup.facilityW == nil)
  }

  @Test func anEmptyFleetDrawsNothingKnown() {
    let empty = PowerRollup(FleetState(), pueBySite: [:], budgets: PowerBudgets())
    #expect(empty.sites.isEmpty && empty.fleet.itW == nil && empty.facilityW == nil)
  }
}
