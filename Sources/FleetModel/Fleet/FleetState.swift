/// Everything known about the fleet at one moment: inventory, placement and the latest readings.
///
/// Feeds produce it, the cache stores it, the model summarizes it. Arrays keep a stable order
/// (cluster, then rack, then node, then GPU index) so every export is reproducible.
public struct FleetState: Sendable, Hashable {
  public var clusters: [Cluster]
  public var nodes: [Node]
  public var gpus: [GPU]
  public var jobs: [Job]
  /// Latest reading per GPU UUID.
  public var gpuSamples: [String: GPUSample]
  /// Latest whole-node reading per node name.
  public var nodeSamples: [String: NodeSample]
  /// Which job holds each allocated GPU (UUID → job id).
  public var allocations: [String: String]
  /// Power meters (BMCs, PDUs). A node's BMC reading is also its `nodeSamples` power.
  public var meters: [MeterReading] = []
  /// What a cost source (OpenCost) says each workload cost over its window.
  public var workloadCosts: [WorkloadCost] = []

  public init(
    clusters: [Cluster] = [], nodes: [Node] = [], gpus: [GPU] = [], jobs: [Job] = [],
    gpuSamples: [String: GPUSample] = [:], nodeSamples: [String: NodeSample] = [:],
    allocations: [String: String] = [:]
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
