import FleetModel
import Foundation

/// What the configuration says of a cluster that its scheduler and telemetry do not: its
/// name, site and pricing, and which rack each node sits in (no scheduler knows racks).
public struct ClusterLayout: Sendable, Hashable {
  public let cluster: Cluster
  /// Rack name → the nodes in it.
  public let racks: [String: Set<String>]

  public init(cluster: Cluster, racks: [String: [String]] = [:]) {
    self.cluster = cluster
    self.racks = racks.mapValues(Set.init)
  }

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
