import FleetModel

/// The GPUs a scheduler counts on its nodes (Slurm GRES, Kubernetes capacity), without
/// a UUID until telemetry names them. The counts are outside input, so what they place
/// is bounded: a placeholder per unit of a count that can say two billion would take the
/// poller's memory. A node's count that is unknown, or that would take the node past 1,024 GPUs
/// (more than any machine holds, MIG slices counted as GPUs) or the answer past 2²⁰ (ten times
/// the largest fleet factop is for), places none.
struct GPUPlaceholders {
  static let mostOnANode = 1_024
  static let mostInAnAnswer = 1 << 20
  private var placed = 0

  /// `count` GPUs on `node`, indexed after the `existing` ones already placed there.
  mutating func place(_ count: Int?, on node: NodeID, after existing: Int = 0, model: GPUModel)
    -> [GPU]
  {
    guard let count, count >= 0, existing + count <= Self.mostOnANode,
      placed + count <= Self.mostInAnAnswer
    else { return [] }
    placed += count
    return (existing..<existing + count).map { .placeholder(node: node, index: $0, model: model) }
  }
}
