import FleetModel
import Foundation
import Testing

/// A small hand-built fleet whose totals can be worked out on paper.
private func fixture() -> FleetState {
  let t = Date(timeIntervalSince1970: 1_800_000_000)
  let clusters = [
    Cluster(name: "a", scheduler: .slurm, site: "s", pricing: .onDemand),
    Cluster(name: "b", scheduler: .kubernetes, site: "s", pricing: .owned),
  ]
  let nodes = [
    Node(name: "n1", cluster: "a", rack: "r1", state: .allocated),
    Node(name: "n2", cluster: "a", rack: "r1", state: .drained, reason: "XID 79"),
    Node(name: "n3", cluster: "b", rack: "r2", state: .mixed),
  ]
  let (n1, n2, n3) = (nodes[0].id, nodes[1].id, nodes[2].id)
  let gpus = [
    GPU(uuid: "g1", node: n1, index: 0, model: .h100SXM),
    GPU(uuid: "g2", node: n1, index: 1, model: .h100SXM),
    GPU(uuid: "g3", node: n2, index: 0, model: .h100SXM),
    GPU(uuid: "g4", node: n3, index: 0, model: .l40s),
    GPU(
      uuid: "g5", node: n3, index: 1,
      model: GPUModel(name: "mystery", vendor: "x", tdpW: 100, idleW: 10, memoryMiB: 1)),
  ]
  let g = gpus.map(\.id)
  return FleetState(
    clusters: clusters, nodes: nodes, gpus: gpus, jobs: [],
    gpuSamples: [
      g[0]: GPUSample(time: t, utilPct: 99, smActivePct: 90, powerW: 650),
      g[1]: GPUSample(time: t, utilPct: 1, smActivePct: 1, powerW: 80),  // allocated, idle
      g[2]: GPUSample(time: t, powerW: 70),  // no activity reading: neither busy nor idle
      g[3]: GPUSample(time: t, utilPct: 40, powerW: 200),  // only GPU util
    ],
    nodeSamples: [
      n1: NodeSample(time: t, powerW: 2_500), n3: NodeSample(time: t, powerW: nil),
    ],
    allocations: [
      g[0]: JobID(cluster: "a", id: "j1"), g[1]: JobID(cluster: "a", id: "j1"),
      g[3]: JobID(cluster: "b", id: "j2"),
    ])
}

@Suite struct FleetSummaryTests {
  let summary = FleetSummary(fixture(), prices: .demo)

  @Test func countsGPUsByAllocationAndActivity() {
    let f = summary.fleet
    #expect(f.gpusTotal == 5)
    #expect(f.gpusAllocated == 3)
    #expect(f.gpusBusy == 2)  // g1 (SM 90 %) and g4 (util 40 %)
    #expect(f.gpusIdleAllocated == 1)  // g2
  }

  @Test func meanUtilizationUsesTheBestSignalPerGPUAndSaysWhich() throws {
    let mean = try #require(summary.fleet.utilMeanPct)
    #expect(abs(mean - (90 + 1 + 40) / 3) < 1e-9)
    #expect(summary.fleet.utilSignal == .smActive)
  }

  @Test func nodePowerWinsOverGPUSumAndUnknownStaysOut() throws {
    // n1 reports 2,500 W; n2 has no node reading, so its GPU's 70 W counts; n3 reports nothing
    // at node level, so its GPUs' 200 W count.
    let expected: Double = 2_500 + 70 + 200
    #expect(summary.fleet.powerW == expected)
  }

  @Test func nodesByState() {
    #expect(summary.fleet.nodesTotal == 3)
    #expect(summary.fleet.nodesByState == [.allocated: 1, .drained: 1, .mixed: 1])
  }

  @Test func costPricesEveryGPUItKnowsAtItsClusterPricing() throws {
    let h100 = try #require(PriceBook.demo.price(model: "H100-SXM5-80GB", pricing: .onDemand))
    let l40s = try #require(PriceBook.demo.price(model: "L40S-48GB", pricing: .owned))
    let a = try #require(summary.clusters.first { $0.cluster.name == "a" })
    #expect(a.totals.costUSDPerHour == 3 * h100.usdPerGPUHour)
    let b = try #require(summary.clusters.first { $0.cluster.name == "b" })
    #expect(b.totals.costUSDPerHour == l40s.usdPerGPUHour)  // "mystery" has no price
  }

  @Test func unknownIsNilNotZero() {
    let empty = FleetSummary(FleetState(), prices: PriceBook(prices: [:]))
    #expect(empty.fleet.utilMeanPct == nil)
    #expect(empty.fleet.powerW == nil)
    #expect(empty.fleet.costUSDPerHour == nil)
    let unpriced = FleetSummary(fixture(), prices: PriceBook(prices: [:]))
    #expect(unpriced.fleet.costUSDPerHour == nil)
  }

  @Test func gpuUtilIsTheSignalWhenNoSMActivityIsReported() {
    var state = fixture()
    for (gpu, sample) in state.gpuSamples {
      var copy = sample
      copy.smActivePct = nil
      state.gpuSamples[gpu] = copy
    }
    #expect(FleetSummary(state, prices: .demo).fleet.utilSignal == .gpuUtil)
  }
}

@Suite struct SourceHealthTests {
  let start = Date(timeIntervalSince1970: 1_800_000_000)

  @Test func pendingUntilTheFirstSuccess() {
    let health = SourceHealth(name: "x", kind: "sim", intervalS: 10)
    #expect(health.status(at: start) == .pending)
    #expect(health.ageS(at: start) == nil)
  }

  @Test func staleAfterThreeIntervals() {
    let health = SourceHealth(name: "x", kind: "sim", intervalS: 10, lastSuccess: start)
    #expect(health.status(at: start.addingTimeInterval(30)) == .ok)
    #expect(health.status(at: start.addingTimeInterval(31)) == .stale)
    #expect(health.ageS(at: start.addingTimeInterval(31)) == 31)
  }

  @Test func errorWhileTheLastPollFailedKeepsTheDataAge() {
    let health = SourceHealth(
      name: "x", kind: "sim", intervalS: 10, lastAttempt: start.addingTimeInterval(20),
      lastSuccess: start, lastError: "connection refused")
    #expect(health.status(at: start.addingTimeInterval(21)) == .error)
    #expect(health.ageS(at: start.addingTimeInterval(21)) == 21)
  }
}
