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
        + [GPU(uuid: "n2/0", node: "n2", index: 0, model: h100)],
      jobs: [
        Job(
          id: "42", cluster: "fleet", name: "train", user: "ada", team: "ml", kind: .training,
          state: .running, gpus: 1, nodes: ["n1"], start: nil)
      ])
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

  /// Kubernetes places a pod on "some" GPU of a node; DCGM's pod labels say which: the
  /// measured GPU holds it. A process nvidia-smi saw gives way to the scheduler's job, and a
  /// pod no source lists holds nothing.
  @Test func measuredWorkloadsWinOverPlacementAndProcesses() {
    let model = GPUModel.reported("NVIDIA H100 80GB HBM3")
    var k8s = FleetState(
      clusters: [cluster], nodes: [Node(name: "n1", cluster: "fleet", rack: "r", state: .mixed)],
      gpus: (0..<3).map { GPU(uuid: "n1/\($0)", node: "n1", index: $0, model: model) },
      jobs: [
        Job(
          id: "llm/train-0", cluster: "fleet", name: "train", user: "", team: "llm",
          kind: .training, state: .running, gpus: 1, nodes: ["n1"], start: nil),
        Job(
          id: "llm/eval-1", cluster: "fleet", name: "eval", user: "", team: "llm",
          kind: .training, state: .running, gpus: 1, nodes: ["n1"], start: nil),
      ])
    k8s.allocations = ["n1/0": "llm/train-0", "n1/2": "llm/eval-1"]
    var telemetry = FleetState(
      gpus: (0..<3).map { GPU(uuid: "GPU-\($0)", node: "n1", index: $0, model: model) },
      jobs: [
        Job(
          id: "n1:4242", cluster: "fleet", name: "python", user: "", team: "",
          kind: .training, state: .running, gpus: 1, nodes: ["n1"], start: nil)
      ])
    telemetry.allocations = ["GPU-1": "llm/train-0", "GPU-2": "n1:4242", "GPU-0": "other/pod"]
    let fleet = FleetState(joining: [k8s, telemetry])
    #expect(fleet.gpus.map(\.uuid) == ["GPU-0", "GPU-1", "GPU-2"])
    #expect(fleet.allocations == ["GPU-1": "llm/train-0", "GPU-2": "llm/eval-1"])
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
