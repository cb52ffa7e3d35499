import FleetModel

/// One line of the Nodes view: a node and what its GPUs add up to.
public struct NodeRow: Sendable, Equatable {
  public let node: Node
  public let gpusTotal: Int
  public let gpusAllocated: Int
  public let utilPct: Double?
  public let powerW: Double?
  public let hottestC: Double?
  /// GPUs that reported an XID, and the double-bit ECC errors of all its GPUs.
  public let gpusWithXID: Int
  public let eccDoubleBit: Int
  /// Its GPUs' NVLink errors per second, summed; nil where none reports them.
  public let nvlinkErrorsPerS: Double?

  /// Every node of the fleet, in cache order. Built by the loader, off the UI thread.
  static func rows(_ state: FleetState) -> [NodeRow] {
    let gpusByNode = Dictionary(grouping: state.gpus, by: \.node)
    return state.nodes.map { node in
      let gpus = gpusByNode[node.id] ?? []
      let samples = gpus.compactMap { state.gpuSamples[$0.id] }
      let activity = samples.compactMap { $0.activity?.pct }
      let gpuPower = samples.compactMap(\.powerW)
      let nvlink = samples.compactMap(\.nvlinkErrorsPerS)
      return NodeRow(
        node: node, gpusTotal: gpus.count,
        gpusAllocated: gpus.filter { state.allocations[$0.id] != nil }.count,
        utilPct: activity.isEmpty ? nil : activity.reduce(0, +) / Double(activity.count),
        powerW: state.nodeSamples[node.id]?.powerW
          ?? (gpuPower.isEmpty ? nil : gpuPower.reduce(0, +)),
        hottestC: samples.compactMap(\.tempC).max(),
        gpusWithXID: samples.filter { $0.xidLast != nil }.count,
        eccDoubleBit: samples.compactMap(\.eccDoubleBit).reduce(0, +),
        nvlinkErrorsPerS: nvlink.isEmpty ? nil : nvlink.reduce(0, +))
    }
  }
}

/// One line of the Jobs view: a job, how busy its GPUs are, and what it costs.
public struct JobRow: Sendable, Equatable {
  public let job: Job
  public let utilPct: Double?
  public let costUSDPerHour: Double?

  static func rows(_ state: FleetState, spend: SpendBreakdown) -> [JobRow] {
    let activity = state.jobActivityPct
    return state.jobs.map { job in
      JobRow(job: job, utilPct: activity[job.key], costUSDPerHour: spend.jobs[job.key])
    }
  }
}
