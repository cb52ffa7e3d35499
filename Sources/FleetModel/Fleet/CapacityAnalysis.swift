/// Free capacity against the demand waiting for it, in one cluster (demand in one cluster cannot
/// use another's GPUs).
///
/// - free: unallocated GPUs on nodes that take work (idle or mixed);
/// - pending: GPUs the cluster's pending jobs ask for;
/// - stranded: min(free, pending), capacity idle while demand waits;
/// - fragmented: free GPUs in pieces too small for any pending job: a job of a node or more
///   needs whole free nodes, a smaller one needs that many free GPUs on one node.
public struct CapacityAnalysis: Sendable, Hashable {
  public let gpusFree: Int
  public let gpusPending: Int
  public let gpusStranded: Int
  public let gpusFragmented: Int

  public init(gpusFree: Int, gpusPending: Int, gpusFragmented: Int, gpusStranded: Int? = nil) {
    self.gpusFree = gpusFree
    self.gpusPending = gpusPending
    self.gpusStranded = gpusStranded ?? min(gpusFree, gpusPending)
    self.gpusFragmented = gpusFragmented
  }

  /// The analysis of every cluster of `state`, by cluster name.
  public static func byCluster(_ state: FleetState) -> [String: CapacityAnalysis] {
    var total: [NodeID: Int] = [:]
    var allocated: [NodeID: Int] = [:]
    for gpu in state.gpus {
      total[gpu.node, default: 0] += 1
      if state.allocations[gpu.id] != nil { allocated[gpu.node, default: 0] += 1 }
    }
    let pendingByCluster = Dictionary(
      grouping: state.jobs.filter { $0.state == .pending }, by: \.cluster)
    let nodesByCluster = Dictionary(grouping: state.nodes, by: \.cluster)
    return Dictionary(
      uniqueKeysWithValues: state.clusters.map { cluster in
        let nodes = (nodesByCluster[cluster.name] ?? []).filter {
          $0.state == .idle || $0.state == .mixed
        }
        let pieces = nodes.map {
          (size: total[$0.id] ?? 0, free: (total[$0.id] ?? 0) - (allocated[$0.id] ?? 0))
        }
        let pending = pendingByCluster[cluster.name] ?? []
        // The smallest piece any pending job could use on a node of each size.
        func usable(_ piece: (size: Int, free: Int)) -> Bool {
          pending.contains { job in piece.free >= min(job.gpus, piece.size) && piece.size > 0 }
        }
        let free = pieces.reduce(0) { $0 + $1.free }
        let fragmented =
          pending.isEmpty ? 0 : pieces.filter { !usable($0) }.reduce(0) { $0 + $1.free }
        return (
          cluster.name,
          CapacityAnalysis(
            gpusFree: free, gpusPending: pending.reduce(0) { $0 + $1.gpus },
            gpusFragmented: fragmented)
        )
      })
  }
}
