import FleetModel
import Foundation

extension DemoFleet {
  /// The fleet as it is at `time`: jobs running, node states, one reading per GPU and node,
  /// and the training cluster's fabric; `pollIntervalS` is what "since the poll before" means
  /// for its counters.
  public func state(at time: Date, pollIntervalS: Double = 10) -> FleetState {
    let t = time.timeIntervalSince1970
    var jobs: [Job] = []
    var allocations: [GPUID: JobID] = [:]
    var activity = [Double](repeating: 0, count: gpus.count)
    var memoryShare = [Double](repeating: 0.005, count: gpus.count)
    var allocatedOnNode = [Int](repeating: 0, count: nodes.count)
    // Whether each node's job spans several nodes (its collectives cross the fabric).
    var multiNode = [Bool?](repeating: nil, count: nodes.count)

    let incidents = incidentEffects(at: t)
    for slot in slots {
      let instance = slot.lifecycle.instance(at: t)
      guard instance.running else { continue }
      let id = slot.jobID(instance: instance.number)
      guard incidents.waiting[slot.number] == nil else {
        // Requeued by a planted failure: back in the queue, its GPUs released.
        jobs.append(
          Job(
            id: id, cluster: slot.cluster, name: slot.name, user: slot.user, team: slot.team,
            kind: slot.kind, state: .pending, gpus: slot.gpuCount, nodes: [], start: nil,
            timeLimitS: slot.timeLimitS))
        continue
      }
      let started = incidents.restartedAt[slot.number] ?? instance.startS
      jobs.append(
        Job(
          id: id, cluster: slot.cluster, name: slot.name, user: slot.user, team: slot.team,
          kind: slot.kind, state: .running, gpus: slot.gpuCount,
          nodes: slot.placement.map { nodes[$0.node].name },
          start: Date(timeIntervalSince1970: started), timeLimitS: slot.timeLimitS))
      let jobLevel = noise.unit(40, UInt64(slot.number))
      for (node, indices) in slot.placement {
        allocatedOnNode[node] += indices.count
        multiNode[node] = (multiNode[node] ?? false) || slot.placement.count > 1
        for index in indices {
          let g = node * DemoFleet.gpusPerNode + index
          allocations[gpus[g].id] = JobID(cluster: slot.cluster, id: id)
          activity[g] = slot.profile.activity(at: t, gpu: g, slot: slot.number, noise: noise)
          memoryShare[g] = slot.profile.memoryShare(jobLevel: jobLevel)
        }
      }
    }
    activity[stragglerGPU] = min(activity[stragglerGPU], DemoFleet.stragglerActivity)
    for slot in pending {
      jobs.append(
        Job(
          id: String(9_000_000 + slot.number), cluster: slot.cluster, name: slot.name,
          user: slot.user, team: slot.team, kind: .training, state: .pending, gpus: slot.gpus,
          nodes: [], start: nil, timeLimitS: 7 * 86_400))
    }

    let nodeStates = nodes.indices.map { n in
      var node = nodeState(n, allocated: allocatedOnNode[n], t: t)
      if let incident = incidents.byNode[n], let out = incident.nodeOut,
        t < incident.time.timeIntervalSince1970 + incident.nodeOutS
      {
        node.state = out
        node.reason = out == .down ? "Not responding" : "\(incident.component): repair"
        node.stateSince = incident.time
      }
      return node
    }
    var gpuSamples: [GPUID: GPUSample] = [:]
    gpuSamples.reserveCapacity(gpus.count)
    var nodeSamples: [NodeID: NodeSample] = [:]
    for (n, node) in nodeStates.enumerated() {
      // A node that stopped answering reports nothing: its readings are unknown, not zero.
      guard node.state != .down else {
        nodeSamples[node.id] = NodeSample(time: time, powerW: nil)
        continue
      }
      var gpuPower = 0.0
      var activitySum = 0.0
      for g in n * DemoFleet.gpusPerNode..<(n + 1) * DemoFleet.gpusPerNode {
        var sample = gpuSample(g, activity: activity[g], memoryShare: memoryShare[g], time: time)
        if let incident = incidents.byNode[n], g % DemoFleet.gpusPerNode == incident.gpuIndex {
          if let xid = incident.xid {
            sample.xidLast = xid
            sample.xidCount = 1
          }
          if incident.doubleBitECC { sample.eccDoubleBit = 1 }
        }
        gpuSamples[gpus[g].id] = sample
        gpuPower += sample.powerW ?? 0
        activitySum += activity[g]
      }
      let host = HostProfile.of(gpus[n * DemoFleet.gpusPerNode].model)
      let meanActivity = activitySum / Double(DemoFleet.gpusPerNode)
      nodeSamples[node.id] = NodeSample(
        time: time, powerW: (gpuPower + host.baseW + host.activeW * meanActivity).rounded())
    }

    var state = FleetState(
      clusters: clusters, nodes: nodeStates, gpus: gpus,
      jobs: jobs.sorted { ($0.cluster, $0.id) < ($1.cluster, $1.id) },
      gpuSamples: gpuSamples, nodeSamples: nodeSamples, allocations: allocations)
    state.fabric = fabric(
      at: t, time: time, nodeStates: nodeStates, activity: activity, multiNode: multiNode,
      sinceS: pollIntervalS, incidents: incidents)
    return state
  }

  private func nodeState(_ n: Int, allocated: Int, t: Double) -> Node {
    var node = nodes[n]
    let day = LayoutPlan.day
    switch n {
    case drainedNode:
      node.state = .drained
      node.reason = "XID 79 on GPU 3: GPU has fallen off the bus"
      // Drained between 3 and 10 days ago, stable within a week.
      node.stateSince = Date(
        timeIntervalSince1970: (t / (7 * day)).rounded(.down) * 7 * day - 3 * day)
    case downNode:
      // Down for 40 hours every three days, then repaired: back in service, and idle.
      let period = DemoFleet.downNodePeriodS
      let fails = DemoFleet.downNodeFailsAtS
      let since = ((t - fails) / period).rounded(.down) * period + fails
      if t - since < DemoFleet.downNodeOutS {
        node.state = .down
        node.reason = "Not responding"
        node.stateSince = Date(timeIntervalSince1970: since)
      } else {
        node.state = .idle
      }
    case drainingNode:
      node.state = .draining
      node.reason = "XID 48 on GPU 5: double-bit ECC error"
      // Since the nightly health check drained it: never a day, so never capacity lost, and
      // never a finding that closes at midnight as if someone had acted.
      node.stateSince = Date(timeIntervalSince1970: (t / day).rounded(.down) * day)
    default:
      node.state =
        allocated == 0 ? .idle : allocated >= DemoFleet.gpusPerNode ? .allocated : .mixed
    }
    return node
  }

  private func gpuSample(_ g: Int, activity: Double, memoryShare: Double, time: Date) -> GPUSample {
    let gpu = gpus[g]
    let model = gpu.model
    let host = HostProfile.of(model)
    let bucket = UInt64(max(0, time.timeIntervalSince1970 / 10))
    let jitter = noise.unit(50, UInt64(g), bucket)
    let isStraggler = g == stragglerGPU
    let power = model.powerW(atActivity: activity)
    // Temperature follows power; a straggler runs hot, which is why it throttles.
    let temp = 27 + 45 * power / model.tdpW + 3 * jitter + (isStraggler ? 14 : 0)
    let smClock =
      activity < 0.02
      ? host.idleClockMHz : isStraggler ? host.boostClockMHz * 0.71 : host.boostClockMHz
    let util = activity < 0.005 ? 0 : min(100, activity * 115 + 2)
    let n = g / DemoFleet.gpusPerNode
    let xid: (last: Int?, count: Int) =
      n == drainedNode && gpu.index == 3
      ? (79, 1)
      : n == drainingNode && gpu.index == 5
        ? (48, 1) : noise.unit(51, UInt64(g)) < 0.004 ? (13, 2) : (nil, 0)
    return GPUSample(
      time: time, utilPct: util.rounded(toPlaces: 1),
      smActivePct: (activity * 100).rounded(toPlaces: 1),
      memUsedMiB: (Double(model.memoryMiB) * memoryShare).rounded(),
      powerW: power.rounded(toPlaces: 1), tempC: temp.rounded(), smClockMHz: smClock.rounded(),
      memClockMHz: host.memClockMHz, xidLast: xid.last, xidCount: xid.count,
      eccSingleBit: noise.unit(52, UInt64(g)) < 0.02 ? noise.int(in: 1...40, 53, UInt64(g)) : 0,
      eccDoubleBit: xid.last == 48 ? 1 : 0)
  }
}

extension ActivityProfile {
  /// Seconds since a training slot's hourly checkpoint began.
  static func checkpointPhase(at t: Double, slot: Int) -> Double {
    let phase = (t + Double(slot) * 397).truncatingRemainder(dividingBy: 3_600)
    return phase < 0 ? phase + 3_600 : phase
  }

  /// SM activity (0…1) of one GPU of this workload at time `t`.
  func activity(at t: Double, gpu: Int, slot: Int, noise: Noise) -> Double {
    let bucket = UInt64(max(0, t / 10))
    let jitter = noise.unit(60, UInt64(gpu), bucket)
    switch self {
    case .training(let level):
      // Every GPU of a job pauses together for three minutes an hour to write its checkpoint.
      if Self.checkpointPhase(at: t, slot: slot) < 180 { return 0.04 + 0.03 * jitter }
      return min(1, level * (0.96 + 0.08 * jitter))
    case .idle:
      return 0.002 + 0.006 * jitter
    case .inference(let peak):
      return min(1, peak * Self.diurnal(at: t) * (0.9 + 0.2 * jitter))
    case .notebook:
      let burst = noise.unit(61, UInt64(gpu), UInt64(max(0, t / 300)))
      return burst > 0.75 ? 0.5 + 0.4 * jitter : 0.01 + 0.02 * jitter
    }
  }

  /// Share of GPU memory in use while this workload holds the GPU.
  func memoryShare(jobLevel: Double) -> Double {
    switch self {
    case .training: 0.72 + 0.2 * jobLevel
    case .idle: 0.03
    case .inference: 0.9  // serving engines reserve most memory for the KV cache up front
    case .notebook: 0.15 + 0.45 * jobLevel
    }
  }

  /// Traffic over the day: 10 % of peak at 03:00 UTC, all of it at 15:00 UTC.
  static func diurnal(at t: Double) -> Double {
    let hour = t.truncatingRemainder(dividingBy: 86_400) / 3_600
    return 0.55 + 0.45 * sin(2 * Double.pi * (hour - 9) / 24)
  }
}

/// What a node of a given GPU model draws besides its GPUs, and its clocks.
struct HostProfile {
  let baseW: Double
  let activeW: Double
  let idleClockMHz: Double
  let boostClockMHz: Double
  let memClockMHz: Double

  static func of(_ model: GPUModel) -> HostProfile {
    switch model {
    case .a100SXM:
      HostProfile(
        baseW: 1_300, activeW: 900, idleClockMHz: 210, boostClockMHz: 1_410, memClockMHz: 1_593)
    case .l40s:
      HostProfile(
        baseW: 650, activeW: 350, idleClockMHz: 210, boostClockMHz: 2_520, memClockMHz: 9_001)
    case .h200:
      HostProfile(
        baseW: 1_900, activeW: 1_400, idleClockMHz: 345, boostClockMHz: 1_980, memClockMHz: 3_201)
    default:
      HostProfile(
        baseW: 1_900, activeW: 1_400, idleClockMHz: 345, boostClockMHz: 1_980, memClockMHz: 2_619)
    }
  }
}
