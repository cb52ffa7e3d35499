import FleetModel
import Foundation

/// A failure the demo factory plants, its cause drawn from the Llama 3 pre-training mix: the
/// ground truth the incident log is checked against. The job it hits is requeued, waits for
/// `restartS` (for its node to come back, where one goes out) and runs again.
public struct PlantedIncident: Sendable, Hashable {
  /// The component Llama 3's table blames (Table 5 of "The Llama 3 Herd of Models").
  public let component: String
  public let time: Date
  public let node: String
  public let gpuIndex: Int
  /// The XID its GPU reports, if the fault shows as one.
  public let xid: Int?
  /// A double-bit ECC error comes with it.
  public let doubleBitECC: Bool
  /// The node's InfiniBand link goes down with it.
  public let linkDown: Bool
  /// How the node leaves service, and for how long (0: it stays in).
  public let nodeOut: NodeState?
  public let nodeOutS: Double
  public let job: String
  public let jobID: JobID
  public let jobGPUs: Int
  /// The job's work since its last checkpoint, and how long it waits to run again.
  public let lostWorkS: Double
  public let restartS: Double
  /// The workload slot of its job.
  let slot: Int

  /// What it costs in GPU-hours: the job's lost work and wait. The node is the job's own and
  /// comes back before the job restarts, so no GPU of it stands idle beyond that wait.
  public var gpuHours: Double { Double(jobGPUs) * (lostWorkS + restartS) / 3_600 }
}

extension DemoFleet {
  /// One planted incident in each window this long, somewhere in its middle: far above
  /// Llama 3's rate for a fleet this size (3.79 per 1,000 node-days), so a day of the demo
  /// shows two.
  static let incidentWindowS = 12 * 3_600.0

  /// The shapes failures of each Llama 3 component take in the demo: its count of the 419
  /// unexpected interruptions, the XID it shows, how the node leaves service and for how long,
  /// and the job's wait. Waits stay under an hour so a hit job's other findings stay open.
  private static let failureMix:
    [(
      component: String, count: Int, xid: Int?, ecc: Bool, link: Bool, out: NodeState?,
      outMin: Double, restartMin: Double
    )] = [
      ("Faulty GPU", 148, 79, false, false, .down, 35, 40),
      ("GPU HBM3 memory", 72, 48, true, false, .drained, 25, 30),
      ("Software bug", 54, 13, false, false, nil, 0, 10),
      ("Network switch / cable", 35, nil, false, true, nil, 0, 20),
      ("Host maintenance", 32, nil, false, false, .drained, 40, 45),
      ("GPU SRAM memory", 19, 140, false, false, .drained, 25, 30),
      ("GPU system processor", 17, 119, false, false, .drained, 25, 30),
      ("NIC", 7, nil, false, true, .down, 40, 45),
      ("NCCL watchdog timeouts", 7, nil, false, false, nil, 0, 10),
      ("Silent data corruption", 6, nil, false, false, nil, 0, 10),
      ("GPU thermal interface + sensor", 6, nil, false, false, .drained, 40, 45),
      ("SSD", 3, nil, false, false, .down, 45, 50),
      ("Power supply", 3, nil, false, false, .down, 45, 50),
      ("Server chassis", 2, nil, false, false, .down, 45, 50),
      ("IO expansion board", 2, nil, false, false, .down, 45, 50),
      ("Dependency", 2, nil, false, false, nil, 0, 10),
      ("CPU", 2, nil, false, false, .down, 45, 50),
      ("System memory", 2, nil, false, false, .down, 45, 50),
    ]

  /// The incidents planted in `from..<to`, in time order.
  public func plantedIncidents(from: Date, to: Date) -> [PlantedIncident] {
    let first = Int((from.timeIntervalSince1970 / Self.incidentWindowS).rounded(.down))
    let last = Int((to.timeIntervalSince1970 / Self.incidentWindowS).rounded(.up))
    return (first...last).compactMap(plantedIncident(window:)).filter {
      $0.time >= from && $0.time < to
    }
  }

  /// The incident of window `k`: a multi-node training job of the training cluster running
  /// there with hours behind it and ahead of it; nil when there is none.
  func plantedIncident(window k: Int) -> PlantedIncident? {
    let w = UInt64(bitPattern: Int64(k))
    let mix = Self.failureMix
    var draw = noise.int(in: 0...(mix.reduce(0) { $0 + $1.count } - 1), 90, w)
    let shape = mix.first {
      draw -= $0.count; return draw < 0
    }!
    let restartS = shape.restartMin * 60
    var t = (Double(k) + 0.1 + 0.7 * noise.unit(91, w)) * Self.incidentWindowS
    guard let training = clusters.first?.name else { return nil }
    let candidates = slots.filter { slot in
      guard slot.cluster == training, slot.kind == .training, slot.placement.count >= 2,
        slot.number != 0, case .training = slot.profile
      else { return false }
      let instance = slot.lifecycle.instance(at: t)
      // Hours behind it, so its checkpoints can be seen; and ahead, so it runs again.
      return instance.running && t - instance.startS >= 4 * 3_600
        && instance.startS + slot.lifecycle.durationS - t >= restartS + 3_600
    }
    guard !candidates.isEmpty else { return nil }
    let slot = candidates[noise.int(in: 0...(candidates.count - 1), 92, w)]
    // Off its checkpoint's dip, whose start would be both the checkpoint and the failure.
    let phase = checkpointPhase(of: slot, at: t)
    if phase < 300 { t += 300 - phase }
    let (node, _) = slot.placement[noise.int(in: 0...(slot.placement.count - 1), 93, w)]
    // A GPU without an XID of its own, so the planted one is the only news.
    let gpuIndex =
      (0..<DemoFleet.gpusPerNode).first {
        noise.unit(51, UInt64(node * DemoFleet.gpusPerNode + $0)) >= 0.004
      } ?? 0
    let instance = slot.lifecycle.instance(at: t)
    return PlantedIncident(
      component: shape.component, time: Date(timeIntervalSince1970: t), node: nodes[node].name,
      gpuIndex: gpuIndex, xid: shape.xid, doubleBitECC: shape.ecc, linkDown: shape.link,
      nodeOut: shape.out, nodeOutS: shape.outMin * 60, job: slot.name,
      jobID: JobID(cluster: slot.cluster, id: slot.jobID(instance: instance.number)),
      jobGPUs: slot.gpuCount, lostWorkS: max(0, checkpointPhase(of: slot, at: t)),
      restartS: restartS, slot: slot.number)
  }

  /// Seconds since the slot's last checkpoint began (its activity's hourly dip).
  func checkpointPhase(of slot: WorkloadSlot, at t: Double) -> Double {
    ActivityProfile.checkpointPhase(at: t, slot: slot.number)
  }

  /// The planted incidents that shape the fleet at `t`: those whose job is still waiting or
  /// whose node is still out, and, for each slot, the latest restart of its current instance.
  func incidentEffects(at t: Double) -> IncidentEffects {
    var effects = IncidentEffects()
    let k = Int((t / Self.incidentWindowS).rounded(.down))
    // Instances run four days at most: no restart older than that can still be current.
    let lookBack = Int((4 * 86_400 / Self.incidentWindowS).rounded(.up))
    for window in stride(from: k, through: k - lookBack, by: -1) {
      guard let incident = plantedIncident(window: window) else { continue }
      let start = incident.time.timeIntervalSince1970
      guard start <= t else { continue }
      let slot = slots[incident.slot]
      // A restart of an instance that has since ended shapes nothing.
      guard slot.jobID(instance: slot.lifecycle.instance(at: t).number) == incident.jobID.id
      else { continue }
      if t < start + incident.restartS {
        effects.waiting[slot.number] = incident
        if let n = nodes.firstIndex(where: { $0.name == incident.node }) {
          effects.byNode[n] = incident
        }
      } else if effects.restartedAt[slot.number] == nil {
        effects.restartedAt[slot.number] = start + incident.restartS
      }
    }
    return effects
  }
}

/// What planted incidents do to the fleet at one moment.
struct IncidentEffects {
  /// Slots whose job is back in the queue, by slot number.
  var waiting: [Int: PlantedIncident] = [:]
  /// When each requeued slot's current run began.
  var restartedAt: [Int: Double] = [:]
  /// Nodes an incident is on while its job waits (global node index).
  var byNode: [Int: PlantedIncident] = [:]
}

extension DemoFleet {
  /// The incident log as a poller stepping every `stepS` from `from` to `through` would leave
  /// it, reading checkpoints from the job activity its steps saw (the last six hours, as the
  /// cache's minute series would hold them): what the ground-truth tests, golden screens and
  /// exports show.
  public func incidentLog(
    from: Date, through: Date, stepS: Double, prices: PriceBook,
    rules: IncidentRules = IncidentRules()
  ) -> IncidentLog {
    replay(from: from, through: through, stepS: stepS, prices: prices, rules: rules).incidents
  }

  /// The same replay, with each job's mean activity over the report's history window (a day)
  /// as the cache's series would give it: what goodput is measured from.
  public func replay(
    from: Date, through: Date, stepS: Double, prices: PriceBook,
    rules: IncidentRules = IncidentRules()
  ) -> (incidents: IncidentLog, jobActivity: [JobID: FleetHistory.Points]) {
    var log = IncidentLog()
    var activity: [JobID: FleetHistory.Points] = [:]
    var time = from
    while time <= through {
      let state = state(at: time, pollIntervalS: stepS)
      let sixHours = time.addingTimeInterval(-6 * 3_600)
      log.record(state, at: time, prices: prices, rules: rules) {
        (activity[$0] ?? []).filter { $0.time >= sixHours }
      }
      for (job, pct) in state.jobActivityPct { activity[job, default: []].append((time, pct)) }
      time = time.addingTimeInterval(stepS)
    }
    let window = through.addingTimeInterval(-FleetHistory.windowS)
    return (
      log, activity.mapValues { $0.filter { $0.time >= window } }.filter { !$0.value.isEmpty }
    )
  }
}
