import FleetModel
import Foundation

/// What the configuration says of a cluster that its scheduler and telemetry do not: its
/// name, site and pricing, which rack each node sits in (no scheduler knows racks), and how
/// telemetry's host names map onto the scheduler's node names.
public struct ClusterLayout: Sendable, Hashable {
  public let cluster: Cluster
  /// Rack name → the nodes in it.
  public let racks: [String: Set<String>]
  public let naming: NodeNaming

  public init(cluster: Cluster, racks: [String: [String]] = [:], naming: NodeNaming = .standard) {
    self.cluster = cluster
    self.racks = racks.mapValues(Set.init)
    self.naming = naming
  }

  /// The node `name` of this cluster.
  public func nodeID(_ name: String) -> NodeID { NodeID(cluster: cluster.name, name: name) }

  /// The job `id` of this cluster.
  public func jobID(_ id: String) -> JobID { JobID(cluster: cluster.name, id: id) }

  public func rack(of node: String) -> String {
    racks.first { $0.value.contains(node) }?.key ?? Node.unracked
  }

  public func node(_ name: String, state: NodeState, reason: String? = nil, since: Date? = nil)
    -> Node
  {
    Node(
      name: name, cluster: cluster.name, rack: rack(of: name), state: state, reason: reason,
      stateSince: since)
  }
}

extension JobKind {
  /// What a scheduler's job is for, from its names, since no scheduler says: interactive
  /// sessions and debug partitions; serving; everything else is training.
  public static func guess(name: String, partition: String) -> JobKind {
    let words = (name + " " + partition).lowercased()
    if ["interactive", "debug", "jupyter"].contains(where: words.contains)
      || ["bash", "sh", "zsh"].contains(name)
    {
      return .interactive
    }
    if ["infer", "serve", "serving", "vllm", "triton"].contains(where: words.contains) {
      return .inference
    }
    return .training
  }
}
