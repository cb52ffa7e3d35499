/// A node as every source and every table knows it: its name within its cluster. Two sites may
/// both have a `node001`; they are two nodes.
public struct NodeID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  public let cluster: String
  public let name: String

  public init(cluster: String, name: String) {
    self.cluster = cluster
    self.name = name
  }

  public static func < (a: NodeID, b: NodeID) -> Bool { (a.cluster, a.name) < (b.cluster, b.name) }

  /// `cluster/name`, for messages and evidence; never parsed back.
  public var description: String { "\(cluster)/\(name)" }
}

/// A job as its scheduler numbers it, within its cluster: two Slurm clusters may both run job
/// 4242. Kubernetes workloads are `namespace/pod`; a host process nvidia-smi saw is `node:pid`.
public struct JobID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  public let cluster: String
  public let id: String

  public init(cluster: String, id: String) {
    self.cluster = cluster
    self.id = id
  }

  public static func < (a: JobID, b: JobID) -> Bool { (a.cluster, a.id) < (b.cluster, b.id) }

  /// The scheduler's own id: what on-call types into `scontrol` or `kubectl`.
  public var description: String { id }
}

/// A GPU by where it sits: its node and its NVML index there (the order nvidia-smi lists GPUs,
/// dcgm-exporter's `gpu` label). A UUID names a GPU where a source gives one, but it does not
/// identify it: anonymized captures, cloned VMs and broken boards repeat UUIDs, and two GPUs
/// that share one stay two.
public struct GPUID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  public let node: NodeID
  public let index: Int

  public init(node: NodeID, index: Int) {
    self.node = node
    self.index = index
  }

  public static func < (a: GPUID, b: GPUID) -> Bool { (a.node, a.index) < (b.node, b.index) }

  public var description: String { "\(node)#\(index)" }
}
