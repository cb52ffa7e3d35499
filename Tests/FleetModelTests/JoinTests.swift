import FleetModel
import Foundation
import Testing

@Suite struct JoinTests {
  let cluster = Cluster(name: "fleet", scheduler: .slurm, site: "dc1", pricing: .owned)
  let n1 = NodeID(cluster: "fleet", name: "n1")
  let n2 = NodeID(cluster: "fleet", name: "n2")
  let n3 = NodeID(cluster: "fleet", name: "n3")
  let now = Date(timeIntervalSince1970: 1_000)

  func job(_ id: String, nodes: [String], cluster: String = "fleet", team: String = "ml") -> Job {
    Job(
      id: id, cluster: cluster, name: "train", user: "ada", team: team, kind: .training,
      state: .running, gpus: 1, nodes: nodes, start: nil)
  }

  /// Slurm (states, jobs, GPUs without UUIDs) and DCGM (UUIDs, products, readings) on the
  /// same nodes become one fleet: the scheduler's states, the telemetry's GPUs, the jobs kept.
  @Test func schedulerAndTelemetryJoinOnNodeAndDeviceIndex() {
    let h100 = GPUModel.reported("h100")
    let product = GPUModel.reported("NVIDIA H100 80GB HBM3")
    var slurm = FleetState(
      clusters: [cluster],
      nodes: [
        Node(name: "n1", cluster: "fleet", rack: "r1", state: .mixed),
        Node(name: "n2", cluster: "fleet", rack: "r1", state: .drained, reason: "XID 79"),
      ],
      gpus: (0..<2).map { GPU.placeholder(node: n1, index: $0, model: h100) }
        + [GPU.placeholder(node: n2, index: 0, model: h100)],
      jobs: [job("42", nodes: ["n1"])])
    slurm.allocations = [GPUID(node: n1, index: 1): JobID(cluster: "fleet", id: "42")]
    let dcgm = FleetState(
      clusters: [cluster],
      nodes: [
        Node(name: "n1", cluster: "fleet", rack: Node.unracked, state: .unknown),
        Node(name: "n3", cluster: "fleet", rack: Node.unracked, state: .unknown),
      ],
      gpus: [
        GPU(uuid: "GPU-1", node: n1, index: 1, model: product),
        GPU(uuid: "GPU-9", node: n3, index: 0, model: product),
      ],
      gpuSamples: [GPUID(node: n1, index: 1): GPUSample(time: now, utilPct: 87)])
    // Whatever the sources are called, and so whichever sorts first, the fleet is the same.
    for names in [("slurm", "dcgm"), ("a-slurm", "b-dcgm")] {
      let fleet = FleetState(joining: [names.0: slurm, names.1: dcgm])
      #expect(fleet.clusters.count == 1)
      #expect(Set(fleet.nodes.map(\.name)) == ["n1", "n2", "n3"])
      #expect(fleet.nodes.first { $0.name == "n1" }?.state == .mixed)
      #expect(fleet.nodes.first { $0.name == "n1" }?.rack == "r1")
      #expect(fleet.nodes.first { $0.name == "n2" }?.state == .drained)
      #expect(fleet.gpus.count == 4)
      #expect(Set(fleet.gpus.compactMap(\.uuid)) == ["GPU-1", "GPU-9"])
      #expect(fleet.gpus.first { $0.uuid == "GPU-1" }?.model.name == "NVIDIA H100 80GB HBM3")
      #expect(fleet.allocations == [GPUID(node: n1, index: 1): JobID(cluster: "fleet", id: "42")])
      #expect(fleet.gpuSamples[GPUID(node: n1, index: 1)]?.utilPct == 87)
      // n3 is DCGM's alone while Slurm lists the cluster: shown, and said to be unmatched.
      #expect(fleet.joinFindings == [.unmatchedNode(n3, sources: [names.1])])
    }
  }

  /// Kubernetes places a pod on "some" GPU of a node; DCGM's pod labels say which: the
  /// measured GPU holds it. A process nvidia-smi saw gives way to the scheduler's job, and a
  /// pod no source lists holds nothing.
  @Test func measuredWorkloadsWinOverPlacementAndProcesses() {
    let model = GPUModel.reported("NVIDIA H100 80GB HBM3")
    let train = JobID(cluster: "fleet", id: "llm/train-0")
    let eval = JobID(cluster: "fleet", id: "llm/eval-1")
    let process = JobID(cluster: "fleet", id: "n1:4242")
    var k8s = FleetState(
      clusters: [cluster], nodes: [Node(name: "n1", cluster: "fleet", rack: "r", state: .mixed)],
      gpus: (0..<3).map { GPU.placeholder(node: n1, index: $0, model: model) },
      jobs: [job("llm/train-0", nodes: ["n1"]), job("llm/eval-1", nodes: ["n1"])])
    k8s.allocations = [GPUID(node: n1, index: 0): train, GPUID(node: n1, index: 2): eval]
    var telemetry = FleetState(
      gpus: (0..<3).map { GPU(uuid: "GPU-\($0)", node: n1, index: $0, model: model) },
      jobs: [job("n1:4242", nodes: ["n1"])])
    telemetry.allocations = [
      GPUID(node: n1, index: 1): train, GPUID(node: n1, index: 2): process,
      GPUID(node: n1, index: 0): JobID(cluster: "fleet", id: "other/pod"),
    ]
    let fleet = FleetState(joining: ["k8s": k8s, "nvidia-smi": telemetry])
    #expect(fleet.gpus.map(\.uuid) == ["GPU-0", "GPU-1", "GPU-2"])
    #expect(
      fleet.allocations == [GPUID(node: n1, index: 1): train, GPUID(node: n1, index: 2): eval])
  }

  /// Two clusters whose nodes and jobs have the same names stay apart: every node, GPU and
  /// job of each, and each job's GPUs in its own cluster.
  @Test func clustersWithTheSameNodeNamesAndJobIDsStayApart() {
    func site(_ name: String) -> FleetState {
      let node = NodeID(cluster: name, name: "node001")
      var state = FleetState(
        clusters: [Cluster(name: name, scheduler: .slurm, site: name, pricing: .owned)],
        nodes: [Node(name: "node001", cluster: name, rack: "r", state: .allocated)],
        gpus: (0..<2).map { GPU.placeholder(node: node, index: $0, model: .h100SXM) },
        jobs: [job("4242", nodes: ["node001"], cluster: name, team: "team-\(name)")])
      state.allocations = [GPUID(node: node, index: 0): JobID(cluster: name, id: "4242")]
      return state
    }
    let fleet = FleetState(joining: ["east/slurm": site("east"), "west/slurm": site("west")])
    #expect(fleet.nodes.count == 2 && fleet.gpus.count == 4 && fleet.jobs.count == 2)
    #expect(Set(fleet.allocations.values.map(\.cluster)) == ["east", "west"])
    let spend = SpendBreakdown(fleet, prices: .demo)
    #expect(spend.jobs.count == 2)
    #expect(Set(spend.teams.map(\.name)) == ["team-east", "team-west", SpendBreakdown.unallocated])
  }

  /// Two GPUs that report one UUID (a cloned VM, an anonymized capture) stay two GPUs with
  /// their own readings, and the join says so.
  @Test func gpusSharingAUUIDStayTwoAndAreReported() {
    let telemetry = FleetState(
      clusters: [cluster],
      nodes: [Node(name: "n1", cluster: "fleet", rack: "r", state: .unknown)],
      gpus: [
        GPU(uuid: "GPU-same", node: n1, index: 0, model: .h100SXM, pciBusID: "00000000:1B:00.0"),
        GPU(uuid: "GPU-same", node: n1, index: 1, model: .h100SXM, pciBusID: "00000000:43:00.0"),
      ],
      gpuSamples: [
        GPUID(node: n1, index: 0): GPUSample(time: now, powerW: 100),
        GPUID(node: n1, index: 1): GPUSample(time: now, powerW: 600),
      ])
    let fleet = FleetState(joining: ["dcgm": telemetry])
    #expect(fleet.gpus.count == 2)
    #expect(fleet.gpuSamples[GPUID(node: n1, index: 1)]?.powerW == 600)
    #expect(
      fleet.joinFindings == [
        .sharedUUID("GPU-same", gpus: [GPUID(node: n1, index: 0), GPUID(node: n1, index: 1)])
      ])
  }

  /// Slurm's GRES `IDX` follows the device files: on a host whose minor numbers are not in
  /// PCI (NVML) order, the scheduler's device 0 is the GPU whose `/dev/nvidia0` it is.
  @Test func schedulerDevicesJoinTelemetryByDeviceFile() {
    var slurm = FleetState(
      clusters: [cluster], nodes: [Node(name: "n1", cluster: "fleet", rack: "r", state: .mixed)],
      gpus: (0..<2).map { GPU.placeholder(node: n1, index: $0, model: .h100SXM) },
      jobs: [job("7", nodes: ["n1"])])
    slurm.allocations = [GPUID(node: n1, index: 0): JobID(cluster: "fleet", id: "7")]
    let smi = FleetState(
      gpus: [
        GPU(uuid: "GPU-a", node: n1, index: 0, model: .h100SXM, minorNumber: 1),
        GPU(uuid: "GPU-b", node: n1, index: 1, model: .h100SXM, minorNumber: 0),
      ])
    let fleet = FleetState(joining: ["slurm": slurm, "nvidia-smi": smi])
    #expect(fleet.gpus.count == 2)
    // Job 7 holds IDX 0 = /dev/nvidia0 = GPU-b (NVML index 1).
    #expect(fleet.allocations == [GPUID(node: n1, index: 1): JobID(cluster: "fleet", id: "7")])
  }

  /// Two readings of one GPU: the newest stands, whichever source gave it.
  @Test func theNewestReadingStands() {
    func reading(_ watts: Double, at seconds: Double) -> FleetState {
      FleetState(
        gpus: [GPU(uuid: "GPU-1", node: n1, index: 0, model: .h100SXM)],
        gpuSamples: [
          GPUID(node: n1, index: 0): GPUSample(
            time: Date(timeIntervalSince1970: seconds), powerW: watts)
        ])
    }
    let a = FleetState(joining: ["a": reading(100, at: 10), "b": reading(200, at: 20)])
    let b = FleetState(joining: ["a": reading(200, at: 20), "b": reading(100, at: 10)])
    #expect(a.gpuSamples[GPUID(node: n1, index: 0)]?.powerW == 200)
    #expect(b.gpuSamples[GPUID(node: n1, index: 0)]?.powerW == 200)
  }

  @Test func aFleetWithoutOverlapIsUnchanged() {
    let state = FleetState(
      clusters: [cluster], nodes: [Node(name: "a", cluster: "fleet", rack: "r", state: .idle)],
      gpus: [
        GPU(uuid: "GPU-x", node: NodeID(cluster: "fleet", name: "a"), index: 0, model: .h200)
      ])
    #expect(FleetState(joining: ["only": state]) == state)
  }

  /// A meter naming a node by a name two clusters use is applied to neither, and said; named
  /// `CLUSTER/NODE` it is applied to that one.
  @Test func metersNameNodesUnambiguously() {
    func site(_ name: String) -> FleetState {
      FleetState(
        clusters: [Cluster(name: name, scheduler: .slurm, site: name, pricing: .owned)],
        nodes: [Node(name: "node001", cluster: name, rack: "r", state: .idle)])
    }
    var meters = FleetState()
    meters.meters = [
      MeterReading(scope: .node, target: "node001", watts: 900, via: "bmc", time: now),
      MeterReading(scope: .node, target: "west/node001", watts: 700, via: "bmc", time: now),
      MeterReading(scope: .node, target: "node001-bmc", watts: 650, via: "bmc", time: now),
    ]
    let fleet = FleetState(joining: ["east": site("east"), "west": site("west"), "bmc": meters])
    #expect(fleet.nodeSamples[NodeID(cluster: "west", name: "node001")]?.powerW == 700)
    #expect(fleet.nodeSamples[NodeID(cluster: "east", name: "node001")] == nil)
    #expect(
      Set(fleet.joinFindings) == [
        .ambiguousMeter(target: "node001", clusters: ["east", "west"]),
        .unmatchedMeter(target: "node001-bmc"),
      ])
  }

  /// An InfiniBand port named by node only finds its node the way a meter does: by a name one
  /// cluster uses, or `CLUSTER/NODE`; a shared or unknown name finds none. A port whose source
  /// knew its node keeps it.
  @Test func fabricPortsFindTheirNodeOrNone() {
    func site(_ name: String) -> FleetState {
      FleetState(
        clusters: [Cluster(name: name, scheduler: .slurm, site: name, pricing: .owned)],
        nodes: [
          Node(name: "node001", cluster: name, rack: "r", state: .idle),
          Node(name: "\(name)-login", cluster: name, rack: "r", state: .idle),
        ])
    }
    var exporter = FleetState()
    let known = NodeID(cluster: "east", name: "node001")
    exporter.fabric = ["node001", "west/node001", "east-login", "node001-ib", "known"].map {
      FabricPort(
        node: $0, nodeID: $0 == "known" ? known : nil, device: "mlx5_0", port: "1", time: now)
    }
    let fleet = FleetState(joining: ["east": site("east"), "west": site("west"), "ne": exporter])
    #expect(
      fleet.fabric.map(\.nodeID) == [
        nil, NodeID(cluster: "west", name: "node001"), NodeID(cluster: "east", name: "east-login"),
        nil, known,
      ])
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
