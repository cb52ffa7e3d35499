/// What the join of the sources could not match, or found two sources disagreeing on. Nothing
/// is dropped for it: each finding is shown in Sources so an operator can fix the naming.
public enum JoinFinding: Sendable, Hashable, CustomStringConvertible {
  /// A node telemetry reports in a cluster whose scheduler does not list it: a name
  /// that differs between sources (`gpu017.dc1.example.com` against Slurm's `gpu017`), or a host
  /// outside the scheduler. It is still shown, with an unknown state.
  case unmatchedNode(NodeID, sources: [String])
  /// One UUID reported for GPUs in different places (an anonymized capture, a cloned VM, a
  /// broken board). The GPUs stay apart.
  case sharedUUID(String, gpus: [GPUID])
  /// A meter names a node by a name several clusters use; its reading is applied to none.
  case ambiguousMeter(target: String, clusters: [String])
  /// A meter names a node no source lists (`gpu017-bmc` for Slurm's `gpu017`); its reading is
  /// applied to none.
  case unmatchedMeter(target: String)

  /// `unmatched_node`, `shared_uuid`, `unmatched_meter` or `ambiguous_meter`: what scripts
  /// match on.
  public var kind: String {
    switch self {
    case .unmatchedNode: "unmatched_node"
    case .sharedUUID: "shared_uuid"
    case .ambiguousMeter: "ambiguous_meter"
    case .unmatchedMeter: "unmatched_meter"
    }
  }

  public var description: String {
    switch self {
    case .unmatchedNode(let node, let sources):
      "node \(node.name) (\(node.cluster)) from \(sources.joined(separator: ", ")): its scheduler "
        + "lists no such node"
    case .sharedUUID(let uuid, let gpus):
      "\(gpus.count) GPUs report UUID \(uuid): "
        + gpus.map { "\($0.node.name) GPU \($0.index)" }.joined(separator: ", ")
    case .ambiguousMeter(let target, let clusters):
      "meter for node \(target) matches nodes of \(clusters.joined(separator: ", ")); name it "
        + "CLUSTER/NODE"
    case .unmatchedMeter(let target):
      "meter for node \(target) matches no node any source lists"
    }
  }
}

/// Sources overlap: a scheduler knows a cluster's nodes, their states and which job holds which
/// GPU index; telemetry knows the same GPUs by UUID and product name with their readings; meters
/// know node and rack power. Each source's state is kept whole and apart; this is the one place
/// they become one fleet, with each node, GPU and job told once.
extension FleetState {
  /// The fleet the sources describe, joined:
  /// - a node is known by (cluster, name); it takes the scheduler's state and reason (telemetry
  ///   reports `unknown`) and the first rack any source places it in;
  /// - a GPU is known by (node, NVML index). A GPU a scheduler only counts (Slurm's GRES `IDX`
  ///   follows the device files, `/dev/nvidiaN`) takes the UUID, product and readings of the
  ///   telemetry GPU on the same node whose device file has that number (its NVML index where
  ///   telemetry does not give the device file). It keeps its job: the scheduler's job wins over
  ///   a process telemetry saw on the GPU, and a scheduler's job that telemetry measured on a GPU
  ///   (DCGM's pod or `hpc_job` labels) wins over the scheduler's placement on that node;
  /// - a job is known by (cluster, id); an allocation to a job no source reports is dropped;
  /// - where two sources read the same thing, the newest reading stands.
  /// Ties go to the source whose name sorts first, so the result never depends on the order
  /// sources polled or were given in. Order is kept: the first source's entries first.
  public init(joining views: [String: FleetState]) {
    self.init()
    let sources = views.keys.sorted()
    let ordered = sources.map { (source: $0, state: views[$0]!) }
    joinClusters(ordered.map(\.state))
    joinNodes(ordered)
    joinJobs(ordered.map(\.state))
    joinGPUs(ordered.map(\.state))
    reportSharedUUIDs()
    for (_, state) in ordered {
      meters += state.meters
      fabric += state.fabric
      workloadCosts += state.workloadCosts
      declaredInstances += state.declaredInstances
    }
    applyNodeMeters()
    resolveFabricPorts()
  }

  private mutating func joinClusters(_ states: [FleetState]) {
    var seen: Set<String> = []
    clusters = states.flatMap(\.clusters).filter { seen.insert($0.name).inserted }
  }

  private mutating func joinNodes(_ views: [(source: String, state: FleetState)]) {
    var position: [NodeID: Int] = [:]
    var reportedBy: [NodeID: [String]] = [:]
    var listedByScheduler: Set<NodeID> = []
    var clustersWithScheduler: Set<String> = []
    for (source, state) in views {
      let scheduler = state.isSchedulerView
      if scheduler { clustersWithScheduler.formUnion(state.nodes.map(\.cluster)) }
      for node in state.nodes {
        let id = node.id
        reportedBy[id, default: []].append(source)
        if scheduler { listedByScheduler.insert(id) }
        guard let i = position[id] else {
          position[id] = nodes.count
          nodes.append(node)
          continue
        }
        let kept = nodes[i]
        let rack = kept.rack == Node.unracked ? node.rack : kept.rack
        let told = kept.state == .unknown && node.state != .unknown ? node : kept
        nodes[i] = Node(
          name: kept.name, cluster: kept.cluster, rack: rack, state: told.state,
          reason: told.reason, stateSince: told.stateSince)
      }
      for (id, sample) in state.nodeSamples where position[id] != nil {
        if let kept = nodeSamples[id], kept.time >= sample.time { continue }
        nodeSamples[id] = sample
      }
    }
    for node in nodes
    where clustersWithScheduler.contains(node.cluster) && !listedByScheduler.contains(node.id) {
      joinFindings.append(.unmatchedNode(node.id, sources: reportedBy[node.id] ?? []))
    }
  }

  /// Every job, once; a scheduler's entry wins over a process nvidia-smi saw.
  private mutating func joinJobs(_ states: [FleetState]) {
    var jobAt: [JobID: Int] = [:]
    for state in states {
      for job in state.jobs {
        if let i = jobAt[job.key] {
          if jobs[i].isHostProcess && !job.isHostProcess { jobs[i] = job }
        } else {
          jobAt[job.key] = jobs.count
          jobs.append(job)
        }
      }
    }
  }

  private mutating func joinGPUs(_ states: [FleetState]) {
    let schedulerJobs = Set(jobs.filter { !$0.isHostProcess }.map(\.key))

    // Telemetry GPUs by place, their newest readings, and the job telemetry saw on each (a
    // scheduler's job over a process).
    var measured: [GPUID: GPU] = [:]
    var byDeviceFile: [NodeID: [Int: GPUID]] = [:]
    var measuredJob: [GPUID: JobID] = [:]
    for state in states {
      for gpu in state.gpus where !gpu.isPlaceholder {
        let id = gpu.id
        if let kept = measured[id] {
          measured[id] = GPU(
            uuid: kept.uuid, node: id.node, index: id.index, model: kept.model,
            pciBusID: kept.pciBusID ?? gpu.pciBusID,
            minorNumber: kept.minorNumber ?? gpu.minorNumber
          )
        } else {
          measured[id] = gpu
        }
        byDeviceFile[id.node, default: [:]][measured[id]!.deviceFileIndex] = id
        if let sample = state.gpuSamples[id],
          (gpuSamples[id]?.time).map({ $0 < sample.time }) ?? true
        {
          gpuSamples[id] = sample
        }
        if let job = state.allocations[id],
          measuredJob[id].map({ !schedulerJobs.contains($0) }) ?? true
        {
          measuredJob[id] = job
        }
      }
    }
    // Which scheduler jobs telemetry measured on a node: there, that measurement places them.
    var measuredOn: [NodeID: Set<JobID>] = [:]
    for (id, job) in measuredJob where schedulerJobs.contains(job) {
      measuredOn[id.node, default: []].insert(job)
    }
    // Each scheduler GPU stands for the telemetry GPU at its device file, if telemetry has one.
    func standIn(for gpu: GPU) -> GPU {
      byDeviceFile[gpu.node]?[gpu.index].map { measured[$0]! } ?? gpu
    }
    // Where schedulers place their jobs: on their GPUs, or (a jobs answer without its nodes)
    // on a device of a node another source counts. Each place is the telemetry GPU at that
    // device file where there is one; should two schedulers' jobs meet on one, the lower id
    // stands, whatever order they came in.
    var placed: [GPUID: JobID] = [:]
    for state in states {
      let measuredHere = Set(state.gpus.lazy.filter { !$0.isPlaceholder }.map(\.id))
      for (id, job) in state.allocations where !measuredHere.contains(id) {
        let place = byDeviceFile[id.node]?[id.index] ?? id
        placed[place] = placed[place].map { min($0, job) } ?? job
      }
    }
    var seen: Set<GPUID> = []
    for state in states {
      for gpu in state.gpus {
        let kept = gpu.isPlaceholder ? standIn(for: gpu) : measured[gpu.id]!
        if seen.insert(kept.id).inserted { gpus.append(kept) }
      }
    }
    let known = Set(jobs.map(\.key))
    for gpu in gpus {
      let id = gpu.id
      let job: JobID?
      if let seenOnIt = measuredJob[id], schedulerJobs.contains(seenOnIt) {
        job = seenOnIt
      } else if let scheduled = placed[id], !(measuredOn[id.node]?.contains(scheduled) ?? false) {
        // The scheduler's job holds the GPU, not a process telemetry saw on it.
        job = scheduled
      } else {
        job = measuredJob[id]
      }
      // Telemetry naming a job no source reports (a pod of a cluster factop does not list)
      // holds nothing: its GPU is counted by what the schedulers say.
      if let job, known.contains(job) { allocations[id] = job }
    }
  }

  /// GPUs that report one UUID in different places stay apart, and are said to.
  private mutating func reportSharedUUIDs() {
    var placesOfUUID: [String: [GPUID]] = [:]
    for gpu in gpus {
      if let uuid = gpu.uuid { placesOfUUID[uuid, default: []].append(gpu.id) }
    }
    for (uuid, places) in placesOfUUID.sorted(by: { $0.key < $1.key }) where places.count > 1 {
      joinFindings.append(.sharedUUID(uuid, gpus: places))
    }
  }

  /// A scheduler's view: it says what state nodes are in, or which jobs run.
  var isSchedulerView: Bool {
    nodes.contains { $0.state != .unknown } || jobs.contains { !$0.isHostProcess }
  }
}

extension Job {
  /// A process nvidia-smi saw holding GPUs on a host (`node:pid`), standing in for a job where
  /// no scheduler says.
  public var isHostProcess: Bool { nodes.count == 1 && id.hasPrefix("\(nodes[0]):") }
}
