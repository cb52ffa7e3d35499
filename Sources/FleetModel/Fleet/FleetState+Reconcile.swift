/// Sources overlap: a scheduler knows a cluster's nodes, their states and which job holds which
/// GPU index; telemetry knows the same GPUs by UUID and product name with their readings. Each
/// source writes what it sees; the fleet is their union with each node and GPU told once.
extension FleetState {
  /// Several sources' states as one fleet, joined (`reconciled()`); where two read the same GPU
  /// or node, the first one's reading stands.
  public init(joining states: [FleetState]) {
    self.init()
    for state in states {
      clusters += state.clusters
      nodes += state.nodes
      gpus += state.gpus
      jobs += state.jobs
      gpuSamples.merge(state.gpuSamples) { a, _ in a }
      nodeSamples.merge(state.nodeSamples) { a, _ in a }
      allocations.merge(state.allocations) { a, _ in a }
      meters += state.meters
      workloadCosts += state.workloadCosts
    }
    self = reconciled()
  }

  /// The union of the sources' states with duplicates joined:
  /// - a node reported twice in a cluster keeps the scheduler's state and reason (a telemetry
  ///   source reports nodes as `unknown`);
  /// - a GPU a scheduler names `node/index` (it knows no UUID) takes the UUID and product name
  ///   of the telemetry GPU at the same node and index, and keeps its job (the scheduler's job
  ///   wins over a process telemetry saw on the GPU, and a job telemetry measured on a GPU
  ///   (DCGM's pod or `hpc_job` labels) wins over the scheduler's placement on that node);
  /// - an allocation to a job no source reports is dropped;
  /// - a cluster named twice is kept once.
  /// Order is kept: the first source's entries first.
  public func reconciled() -> FleetState {
    var result = self
    result.clusters = unique(clusters, by: \.name)
    var nodeAt: [String: Int] = [:]
    result.nodes = []
    for node in nodes {
      let key = "\(node.cluster)/\(node.name)"
      if let i = nodeAt[key] {
        if result.nodes[i].state == .unknown, node.state != .unknown {
          let rack = result.nodes[i].rack
          result.nodes[i] = Node(
            name: node.name, cluster: node.cluster, rack: rack == Node.unracked ? node.rack : rack,
            state: node.state, reason: node.reason, stateSince: node.stateSince)
        }
      } else {
        nodeAt[key] = result.nodes.count
        result.nodes.append(node)
      }
    }
    // Telemetry GPUs by node and index; a placeholder at the same place gives way to one.
    var measured: [String: GPU] = [:]
    for gpu in gpus where !gpu.isPlaceholder {
      measured["\(gpu.node)#\(gpu.index)"] = gpu
    }
    // Which job telemetry saw on a GPU (DCGM's pod or Slurm job labels), where that job is a
    // scheduler's: measured, so it wins over the scheduler's placement on that node.
    let schedulerJobs = Set(jobs.filter { !$0.isHostProcess }.map(\.id))
    var placedByTelemetry: Set<String> = []
    for gpu in gpus where !gpu.isPlaceholder {
      if let job = allocations[gpu.uuid], schedulerJobs.contains(job) {
        placedByTelemetry.insert("\(gpu.node)|\(job)")
      }
    }
    var seen: Set<String> = []
    result.gpus = []
    for gpu in gpus {
      var kept = gpu
      if gpu.isPlaceholder, let real = measured["\(gpu.node)#\(gpu.index)"] {
        let telemetryJob = allocations[real.uuid]
        let measuredHere = telemetryJob.map { schedulerJobs.contains($0) } ?? false
        if !measuredHere, let job = allocations[gpu.uuid],
          !placedByTelemetry.contains("\(gpu.node)|\(job)")
        {
          // The scheduler's job holds the GPU, not a process telemetry saw on it.
          result.allocations[real.uuid] = job
        }
        result.allocations[gpu.uuid] = nil
        kept = real
      }
      guard seen.insert(kept.uuid).inserted else { continue }
      result.gpus.append(kept)
    }
    // Telemetry naming a job no source reports (a pod of a cluster factop does not list) holds
    // nothing: its GPU is counted by what the schedulers say.
    let known = Set(jobs.map(\.id))
    result.allocations = result.allocations.filter { known.contains($0.value) }
    return result
  }

  private func unique<T>(_ items: [T], by key: (T) -> String) -> [T] {
    var seen: Set<String> = []
    return items.filter { seen.insert(key($0)).inserted }
  }
}

extension Job {
  /// A process nvidia-smi saw holding GPUs on a host (`node:pid`), standing in for a job where
  /// no scheduler says.
  public var isHostProcess: Bool { nodes.count == 1 && id.hasPrefix("\(nodes[0]):") }
}

extension GPU {
  /// A scheduler's stand-in for a GPU whose UUID it does not know, named `node/index` until
  /// telemetry at the same node and index gives the real one.
  public static func placeholder(node: String, index: Int, model: GPUModel) -> GPU {
    GPU(uuid: "\(node)/\(index)", node: node, index: index, model: model)
  }

  public var isPlaceholder: Bool { uuid == "\(node)/\(index)" }
}
