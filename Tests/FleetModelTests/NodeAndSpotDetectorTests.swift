import FleetModel
import Foundation
import Testing

@Suite struct LemonNodeTests {
  let now = Date(timeIntervalSince1970: 1_795_000_000)

  func context(xid: Int?, dbe: Int = 0, state nodeState: NodeState = .allocated) -> SavingsContext {
    let gpus = (0..<8).map {
      GPU(uuid: "g\($0)", node: NodeID(cluster: "c", name: "n"), index: $0, model: .h100SXM)
    }
    var samples = Dictionary(
      uniqueKeysWithValues: gpus.map {
        ($0.id, GPUSample(time: now, smActivePct: 90, xidCount: 0, eccDoubleBit: 0))
      })
    samples[gpus[3].id] = GPUSample(
      time: now, smActivePct: 90, xidLast: xid, xidCount: xid == nil ? 0 : 3, eccDoubleBit: dbe)
    let state = FleetState(
      clusters: [Cluster(name: "c", scheduler: .slurm, site: "s", pricing: .onDemand)],
      nodes: [Node(name: "n", cluster: "c", rack: "r", state: nodeState)], gpus: gpus,
      jobs: [
        Job(
          id: "9", cluster: "c", name: "j", user: "u", team: "t", kind: .training, state: .running,
          gpus: 8, nodes: ["n"], start: now)
      ],
      gpuSamples: samples,
      allocations: Dictionary(
        uniqueKeysWithValues: gpus.map { ($0.id, JobID(cluster: "c", id: "9")) }))
    return SavingsContext(state: state, prices: .demo, now: now)
  }

  @Test func hardwareFaultsOnANodeInServiceCostItsJobs() throws {
    let found = try #require(
      SavingsFinder.find(context(xid: 79)).opportunities.first { $0.kind == .lemonNode })
    // Two failures a month, each losing half an hourly checkpoint plus a 5 minute restart on 8 GPUs.
    let hourly =
      8 * PriceBook.demo.price(model: "H100-SXM5-80GB", pricing: .onDemand)!.usdPerGPUHour
    #expect(abs(found.usdPerMonth - 2 * hourly * 35 / 60) < 1e-9)
    #expect(found.evidence.contains { $0.detail.contains("XID 79 (3×)") })
    #expect(found.action.contains("dcgmi diag"))
  }

  @Test func doubleBitECCCountsToo() {
    #expect(
      SavingsFinder.find(context(xid: nil, dbe: 1)).opportunities.contains { $0.kind == .lemonNode }
    )
  }

  @Test func applicationXIDsAndDrainedNodesAreNotLemons() {
    #expect(!SavingsFinder.find(context(xid: 13)).opportunities.contains { $0.kind == .lemonNode })
    #expect(
      !SavingsFinder.find(context(xid: 79, state: .drained)).opportunities.contains {
        $0.kind == .lemonNode
      })
  }
}

@Suite struct SpotForCheckpointedTests {
  let now = Date(timeIntervalSince1970: 1_795_000_000)

  @Test func checkpointedTrainingOnDemandGoesToSpot() throws {
    let gpus = (0..<8).map {
      GPU(uuid: "g\($0)", node: NodeID(cluster: "c", name: "n"), index: $0, model: .h100SXM)
    }
    let state = FleetState(
      clusters: [Cluster(name: "c", scheduler: .slurm, site: "s", pricing: .onDemand)],
      nodes: [Node(name: "n", cluster: "c", rack: "r", state: .allocated)], gpus: gpus,
      jobs: [
        Job(
          id: "5", cluster: "c", name: "sweep", user: "u", team: "t", kind: .training,
          state: .running, gpus: 8, nodes: ["n"], start: now)
      ],
      allocations: Dictionary(
        uniqueKeysWithValues: gpus.map { ($0.id, JobID(cluster: "c", id: "5")) }))
    // Four hours of minutes, with a 2-minute checkpoint dip every half hour.
    let checkpointing: [(time: Date, value: Double)] = (0..<240).map { minute in
      let value: Double = minute % 30 < 2 ? 4 : 90
      return (now.addingTimeInterval(Double(minute - 240) * 60), value)
    }
    let context = SavingsContext(
      state: state, prices: .demo, now: now,
      jobActivity: [JobID(cluster: "c", id: "5"): checkpointing])
    let found = try #require(
      SavingsFinder.find(context).opportunities.first { $0.title.contains("spot") })
    let od = PriceBook.demo.price(model: "H100-SXM5-80GB", pricing: .onDemand)!.usdPerGPUHour * 8
    let spot = PriceBook.demo.price(model: "H100-SXM5-80GB", pricing: .spot)!.usdPerGPUHour * 8
    let expected = (od - spot) * 730 - spot * (15.0 + 5) / 60 * 10
    #expect(abs(found.usdPerMonth - expected) < 1e-6)
    #expect(found.kind == .pricingMix)
    // Without visible checkpoints, spot is not suggested.
    let blind = SavingsContext(state: state, prices: .demo, now: now)
    #expect(!SavingsFinder.find(blind).opportunities.contains { $0.title.contains("spot") })
  }
}
