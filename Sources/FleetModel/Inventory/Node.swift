import Foundation

/// One vocabulary for node state everywhere (Slurm, Kubernetes, snapshot, views).
public enum NodeState: String, Sendable, Hashable, Codable, CaseIterable {
  case idle, mixed, allocated, draining, drained, down, unknown

  /// True when the scheduler will not place new work on the node.
  public var isUnavailable: Bool { self == .draining || self == .drained || self == .down }
}

/// A host with GPUs in a rack of a cluster.
public struct Node: Sendable, Hashable, Codable {
  /// The rack of a node no source or config places (schedulers know no racks).
  public static let unracked = "unracked"

  public let name: String
  public let cluster: String
  public let rack: String
  public var state: NodeState
  /// Why the node is in its state, as the scheduler says it (`XID 79 on GPU 3`); nil when none.
  public var reason: String?
  /// When the node entered its current state, when the source says.
  public var stateSince: Date?

  public init(
    name: String, cluster: String, rack: String, state: NodeState, reason: String? = nil,
    stateSince: Date? = nil
  ) {
    self.name = name
    self.cluster = cluster
    self.rack = rack
    self.state = state
    self.reason = reason
    self.stateSince = stateSince
  }

  public var id: NodeID { NodeID(cluster: cluster, name: name) }
}
