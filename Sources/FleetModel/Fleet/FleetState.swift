/// Everything known about the fleet at one moment: inventory, placement and the latest readings.
///
/// Each source produces one; the cache stores each source's apart; the join
/// (`FleetState(joining:)`) makes the fleet the model summarizes. Arrays keep a stable order
/// (cluster, then rack, then node, then GPU index) so every export is reproducible.
public struct FleetState: Sendable, Hashable {
  public var clusters: [Cluster]
  public var nodes: [Node]
  public var gpus: [GPU]
  public var jobs: [Job]
  /// Latest reading per GPU.
  public var gpuSamples: [GPUID: GPUSample]
  /// Latest whole-node reading per node.
  public var nodeSamples: [NodeID: NodeSample]
  /// Which job holds each allocated GPU.
  public var allocations: [GPUID: JobID]
  /// Power meters (BMCs, PDUs). A node's BMC reading is also its `nodeSamples` power.
  public var meters: [MeterReading] = []
  /// InfiniBand ports, by node (node exporter's infiniband collector).
  public var fabric: [FabricPort] = []
  /// What a cost source (OpenCost) says each workload cost over its window.
  public var workloadCosts: [WorkloadCost] = []
  /// The GPU machines infrastructure code declares (Terraform states), to compare with what runs.
  public var declaredInstances: [DeclaredInstance] = []
  /// What the join could not match or had to choose between, for Sources to show.
  public var joinFindings: [JoinFinding] = []

  public init(
    clusters: [Cluster] = [], nodes: [Node] = [], gpus: [GPU] = [], jobs: [Job] = [],
    gpuSamples: [GPUID: GPUSample] = [:], nodeSamples: [NodeID: NodeSample] = [:],
    allocations: [GPUID: JobID] = [:]
  ) {
    self.clusters = clusters
    self.nodes = nodes
    self.gpus = gpus
    self.jobs = jobs
    self.gpuSamples = gpuSamples
    self.nodeSamples = nodeSamples
    self.allocations = allocations
  }

  public var isEmpty: Bool { clusters.isEmpty && nodes.isEmpty && gpus.isEmpty && jobs.isEmpty }
}
