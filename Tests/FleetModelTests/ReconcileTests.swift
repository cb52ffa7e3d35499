import FleetModel
import Foundation
import Testing

@Suite struct ReconcileTests {
  let cluster = Cluster(name: "fleet", scheduler: .slurm, site: "dc1", pricing: .owned)

  /// Slurm (states, jobs, `node/index` GPUs) and DCGM (UUIDs, products, readings) on the same
  /// nodes become one fleet: the scheduler's states, the telemetry's GPUs, the jobs kept.
  @Test func schedulerAndTelemetryJoinOnNodeAndIndex() {
    let h100 = GPUModel.reported("h100")
    let product = GPUModel.reported("NVIDIA H100 80GB HBM3")
    let now = Date(timeIntervalSince1970: 1_000)
    var slurm = FleetState(
      clusters: [cluster],
      nodes: [
        Node(name: "n1", cluster: "fleet", rack: "r1", state: .mixed),
        Node(name: "n2", cluster: "fleet", rack: "r1", state: .drained, reason: "XID 79"),
      ],
      gpus: (0..<2).map { GPU(uuid: "n1/\($0)", node: "n1", index: $0, model: h100) }
        + [GPU(uuid: "n2/0", node: "n2", index: 0, model: h100)])
    slurm.allocations = ["n1/1": "42"]
    let dcgm = FleetState(
      clusters: [cluster],
      nodes: [
        Node(name: "n1", cluster: "fleet", rack: Node.unracked, state: .unknown),
        Node(name: "n3", cluster: "fleet", rack: Node.unracked, state: .unknown),
      ],
      gpus: [
        GPU(uuid: "GPU-1", node: "n1", index: 1, model: product),
        GPU(uuid: "GPU-9", node: "n3", index: 0, model: product),
      ],
      gpuSamples: ["GPU-1": GPUSample(time: now, utilPct: 87)])
    var both = slurm
    both.clusters += dcgm.clusters
    both.nodes += dcgm.nodes
    both.gpus += dcgm.gpus
    both.gpuSamples.merge(dcgm.gpuSamples) { a, _ in a }
    let fleet = both.reconciled()
    #expect(fleet.clusters.count == 1)
    #expect(fleet.nodes.map(\.name) == ["n1", "n2", "n3"])
    #expect(fleet.nodes.map(\.state) == [.mixed, .drained, .unknown])
    #expect(fleet.gpus.map(\.uuid) == ["n1/0", "GPU-1", "n2/0", "GPU-9"])
    #expect(fleet.gpus[1].model.name == "NVIDIA H100 80GB HBM3")
    #expect(fleet.allocations == ["GPU-1": "42"])
    #expect(fleet.gpuSamples["GPU-1"]?.utilPct == 87)
  }

  @Test func aFleetWithoutOverlapIsUnchanged() {
    let state = FleetState(
      clusters: [cluster], nodes: [Node(name: "a", cluster: "fleet", rack: "r", state: .idle)],
      gpus: [GPU(uuid: "GPU-x", node: "a", index: 0, model: .h200)])
    #expect(state.reconciled() == state)
  }

  @Test func reportedModelsArePricedAndPoweredByTheirFamily() {
    #expect(GPUModel.reported("NVIDIA H100 80GB HBM3").tdpW == GPUModel.h100SXM.tdpW)
    #expect(GPUModel.reported("NVIDIA-A100-SXM4-40GB").idleW == GPUModel.a100SXM.idleW)
    #expect(GPUModel.family(of: "l40") == nil && GPUModel.family(of: "L40S")?.name == "L40S-48GB")
    let t4 = GPUModel.reported("Tesla T4", powerLimitW: 70)
    #expect(t4.vendor == "NVIDIA" && t4.tdpW == 70)
    let book = PriceBook.demo
    #expect(
      book.price(model: "NVIDIA H100 80GB HBM3", pricing: .onDemand)
        == book.price(model: GPUModel.h100SXM.name, pricing: .onDemand))
  }
}
