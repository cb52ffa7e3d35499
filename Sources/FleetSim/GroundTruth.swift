import FleetModel

/// The waste the simulator plants on purpose, so tests can check that the model finds it.
/// It is reachable from `DemoFleet` only: nothing in the cache or the UI carries it.
public struct PlantedWaste: Sendable, Hashable {
  /// A training job holding GPUs at near-zero activity.
  public let idleAllocationJob: String
  public let idleAllocationGPUs: Int
  /// A deployment with far more replicas than its busiest hour needs.
  public let overprovisionedDeployment: String
  public let overprovisionedGPUs: Int
  public let overprovisionedPeakActivityPct: Double
  /// One slow GPU holding back a large training job.
  public let stragglerJob: String
  public let stragglerGPU: GPUID
  /// The straggler's activity, and what its peers would do without it (%).
  public let stragglerActivityPct: Double
  public let stragglerJobActivityPct: Double
  /// A node drained for days, paid for and unused.
  public let drainedNode: String
  /// A node that stopped answering.
  public let downNode: String
  /// A cluster on on-demand prices whose allocation stays above the reserved break-even.
  public let onDemandCluster: String
  /// A cluster keeping free GPUs while a queue of large jobs waits (stranded capacity).
  public let strandedCluster: String
  /// A job holding GPUs idle for a while, then released by its owner (see `acts`).
  public let releasedJob: String
  public let releasedGPUs: Int
  /// A node of the training cluster whose InfiniBand link flaps (`DemoFleet.flaps(until:)`):
  /// a fault, not waste, but planted the same way.
  public let flappingNode: String
}
