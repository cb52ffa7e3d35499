import Foundation

/// One thing that went wrong, as a source showed it: an XID, a node leaving service, a job
/// failing. An incident gathers the events that belong together.
public struct IncidentEvent: Sendable, Hashable, Encodable {
  public enum Kind: String, Sendable, Hashable, Encodable, CaseIterable {
    case xid
    case eccDoubleBit = "ecc_double_bit"
    case rowRemapFailure = "row_remap_failure"
    /// A GPU's NVLink error counters rose since the poll before.
    case nvlinkErrors = "nvlink_errors"
    /// The node went down, was drained or stopped responding.
    case nodeOut = "node_out"
    case jobFailed = "job_failed"
    /// The scheduler put a running job back in the queue.
    case jobRequeued = "job_requeued"
    /// A pod's container restarted in place after a GPU error (its exit said one, or its
    /// node's GPUs showed one).
    case podRestarted = "pod_restarted"
    /// An InfiniBand link went down since the poll before.
    case linkFlap = "link_flap"
  }

  public let time: Date
  /// The same event seen again (a link that keeps going down): how often, and the last time.
  public var repeats = 1
  public var lastTime: Date
  public let kind: Kind
  /// What it happened to: `GPU 3`, `mlx5_0/1`, a job's id, the node.
  public let subject: String
  public let detail: String
  /// What an operator does about it, where a catalogue says.
  public let action: String?
  /// The XID, for an XID event.
  public let xid: Int?

  public init(
    time: Date, kind: Kind, subject: String, detail: String, action: String? = nil,
    xid: Int? = nil
  ) {
    self.time = time
    self.lastTime = time
    self.kind = kind
    self.subject = subject
    self.detail = detail
    self.action = action
    self.xid = xid
  }

  enum CodingKeys: String, CodingKey {
    case time, kind, subject, detail, action, xid, repeats
    case lastTime = "last_time"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(time, forKey: .time)
    try container.encode(lastTime, forKey: .lastTime)
    try container.encode(repeats, forKey: .repeats)
    try container.encode(kind, forKey: .kind)
    try container.encode(subject, forKey: .subject)
    try container.encode(detail, forKey: .detail)
    try container.encode(action, forKey: .action)
    try container.encode(xid, forKey: .xid)
  }
}

/// A job an incident stopped: what it held, what it was worth, and when it ran again.
public struct HitJob: Sendable, Hashable, Encodable {
  public let job: JobID
  public let name: String
  public let team: String
  public let gpus: Int
  /// The nodes it ran on.
  public let nodes: [String]
  /// Of its GPUs, those on the incident's node (whose idle time its wait already counts).
  public let gpusOnNode: Int
  public let usdPerGPUHour: Double?
  /// When it started running, where the scheduler says: it cannot have lost more than its run.
  public let started: Date?
  /// When it stopped running: the incident's first event, or the poll that saw it stopped.
  public let stopped: Date
  /// Its last checkpoint before `stopped`, seen in its activity; nil when none could be seen
  /// (the lost work is then an assumption, said as such).
  public let lastCheckpoint: Date?
  /// The scheduler put it back in the queue: it waits there from the moment it stopped. A job
  /// that failed waits only once someone resubmits it, which is seen when it runs.
  public let requeued: Bool
  /// When it (or its resubmission: the same name and team) ran again.
  public var ranAgain: Date?
  /// It did not run again within the restart window: its wait is not counted.
  public var gaveUp: Bool

  public init(
    job: JobID, name: String, team: String, gpus: Int, nodes: [String], gpusOnNode: Int,
    usdPerGPUHour: Double?, started: Date? = nil,
    stopped: Date, lastCheckpoint: Date?, requeued: Bool, ranAgain: Date? = nil,
    gaveUp: Bool = false
  ) {
    self.job = job
    self.name = name
    self.team = team
    self.gpus = gpus
    self.nodes = nodes
    self.gpusOnNode = gpusOnNode
    self.usdPerGPUHour = usdPerGPUHour
    self.started = started
    self.stopped = stopped
    self.lastCheckpoint = lastCheckpoint
    self.requeued = requeued
    self.ranAgain = ranAgain
    self.gaveUp = gaveUp
  }

  var isWaiting: Bool { ranAgain == nil && !gaveUp }

  /// The work it lost when it stopped: since its last checkpoint, or half the assumed
  /// checkpoint interval where none was seen, but never more than it ran.
  func lostWorkS(rules: IncidentRules) -> Double {
    let sinceCheckpoint =
      lastCheckpoint.map { stopped.timeIntervalSince($0) } ?? rules.assumedCheckpointIntervalMin
      * 30
    return min(sinceCheckpoint, ranS ?? .infinity)
  }

  /// How long it ran before it stopped, where its start is known.
  var ranS: Double? { started.map { max(0, stopped.timeIntervalSince($0)) } }

  /// Where its counted wait ends, looking from `until`: when it ran again; while it has not,
  /// `until` if it waits in the queue, else where it stopped (nothing counted yet).
  func waitEnd(until: Date) -> Date {
    if let ranAgain { return ranAgain }
    return requeued && !gaveUp ? until : stopped
  }

  enum CodingKeys: String, CodingKey {
    case cluster, name, team, gpus, nodes, started, stopped
    case id = "job_id"
    case gpusOnNode = "gpus_on_node"
    case usdPerGPUHour = "usd_per_gpu_hour"
    case lastCheckpoint = "last_checkpoint"
    case requeued
    case ranAgain = "ran_again"
    case gaveUp = "gave_up"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(job.cluster, forKey: .cluster)
    try container.encode(job.id, forKey: .id)
    try container.encode(name, forKey: .name)
    try container.encode(team, forKey: .team)
    try container.encode(gpus, forKey: .gpus)
    try container.encode(nodes, forKey: .nodes)
    try container.encode(gpusOnNode, forKey: .gpusOnNode)
    try container.encode(usdPerGPUHour, forKey: .usdPerGPUHour)
    try container.encode(started, forKey: .started)
    try container.encode(stopped, forKey: .stopped)
    try container.encode(lastCheckpoint, forKey: .lastCheckpoint)
    try container.encode(requeued, forKey: .requeued)
    try container.encode(ranAgain, forKey: .ranAgain)
    try container.encode(gaveUp, forKey: .gaveUp)
  }
}

/// A node out of service because of an incident: its GPUs are paid for and do nothing.
public struct NodeOutage: Sendable, Hashable, Encodable {
  public let gpus: Int
  public let usdPerGPUHour: Double?
  public let start: Date
  public var end: Date?

  public init(gpus: Int, usdPerGPUHour: Double?, start: Date, end: Date? = nil) {
    self.gpus = gpus
    self.usdPerGPUHour = usdPerGPUHour
    self.start = start
    self.end = end
  }

  enum CodingKeys: String, CodingKey {
    case gpus, start, end
    case usdPerGPUHour = "usd_per_gpu_hour"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(gpus, forKey: .gpus)
    try container.encode(usdPerGPUHour, forKey: .usdPerGPUHour)
    try container.encode(start, forKey: .start)
    try container.encode(end, forKey: .end)
  }
}

/// A failure as it happened: where, when, what it hit, and (from `cost`) what it cost.
public struct Incident: Sendable, Hashable {
  /// Stable across polls and processes: where it started and when.
  public let id: String
  public let cluster: String
  /// The node it happened on; nil for a job that failed with no sign from its nodes.
  public var node: String?
  public var start: Date
  public var lastEvent: Date
  /// When it was over: the node back, the jobs running again; nil while open.
  public var end: Date?
  public var events: [IncidentEvent]
  public var jobs: [HitJob]
  public var outage: NodeOutage?

  public init(
    id: String, cluster: String, node: String?, start: Date, lastEvent: Date, end: Date?,
    events: [IncidentEvent], jobs: [HitJob], outage: NodeOutage?
  ) {
    self.id = id
    self.cluster = cluster
    self.node = node
    self.start = start
    self.lastEvent = lastEvent
    self.end = end
    self.events = events
    self.jobs = jobs
    self.outage = outage
  }

  public var nodeID: NodeID? { node.map { NodeID(cluster: cluster, name: $0) } }
  public var isOpen: Bool { end == nil }

  /// The event that names it best: a hardware fault over what it did to jobs.
  public var cause: IncidentEvent {
    let order: [IncidentEvent.Kind] = [
      .xid, .eccDoubleBit, .rowRemapFailure, .nvlinkErrors, .linkFlap, .nodeOut, .jobFailed,
      .jobRequeued, .podRestarted,
    ]
    return events.min {
      (order.firstIndex(of: $0.kind)!, $0.time) < (order.firstIndex(of: $1.kind)!, $1.time)
    }!
  }
}

/// What an incident cost, from what was measured, with every assumption beside it.
public struct IncidentCost: Sendable, Hashable, Encodable {
  /// Work the hit jobs did since their last checkpoint, lost when they stopped.
  public let lostWorkGPUHours: Double
  /// Time the hit jobs' GPUs waited until the jobs ran again.
  public let waitGPUHours: Double
  /// The node's other GPUs, out of service and doing nothing.
  public let idleGPUHours: Double
  /// Dollars at the price book's rates; nil when none of it could be priced.
  public let usd: Double?
  public let assumptions: [String]

  public var gpuHours: Double { lostWorkGPUHours + waitGPUHours + idleGPUHours }

  enum CodingKeys: String, CodingKey {
    case lostWorkGPUHours = "lost_work_gpu_hours"
    case waitGPUHours = "wait_gpu_hours"
    case idleGPUHours = "idle_gpu_hours"
    case gpuHours = "gpu_hours"
    case usd, assumptions
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(lostWorkGPUHours, forKey: .lostWorkGPUHours)
    try container.encode(waitGPUHours, forKey: .waitGPUHours)
    try container.encode(idleGPUHours, forKey: .idleGPUHours)
    try container.encode(gpuHours, forKey: .gpuHours)
    try container.encode(usd, forKey: .usd)
    try container.encode(assumptions, forKey: .assumptions)
  }
}

extension Incident {
  /// What it has cost by `now` (its end, once over): per hit job, the work since its last
  /// checkpoint (once it stopped) and its wait until it ran again; and the node's GPUs out of
  /// service that no hit job's wait already counts. Before it began, nothing.
  public func cost(at now: Date, rules: IncidentRules) -> IncidentCost {
    let until = end.map { min($0, now) } ?? now
    var lost = 0.0
    var wait = 0.0
    var idle = 0.0
    var usd = 0.0
    var priced = false
    var assumptions: [String] = []
    func add(_ gpuHours: Double, at rate: Double?, to part: inout Double) {
      part += gpuHours
      if let rate {
        usd += gpuHours * rate
        priced = true
      } else if gpuHours > 0 {
        assumptions.append("no price for some GPU-hours: not in the dollars")
      }
    }
    for job in jobs where job.stopped <= until {
      let lostS = job.lostWorkS(rules: rules)
      if let ranS = job.ranS, lostS == ranS {
        assumptions.append(
          "\(job.name): ran \(ranS < 90 ? "\(Int(ranS)) s" : "\(Int((ranS / 60).rounded())) min") before it stopped; all of it assumed lost (no checkpoint seen)"
        )
      } else if job.lastCheckpoint == nil {
        assumptions.append(
          "\(job.name): last checkpoint assumed \(Int(rules.assumedCheckpointIntervalMin / 2)) min before it stopped (half a \(Int(rules.assumedCheckpointIntervalMin)) min interval; none seen in its activity)"
        )
      }
      add(Double(job.gpus) * lostS / 3_600, at: job.usdPerGPUHour, to: &lost)
      let waitedUntil = min(job.waitEnd(until: until), until)
      if job.gaveUp {
        assumptions.append(
          "\(job.name): did not run again within \(Int(rules.restartWindowS / 3_600)) h; its wait is not counted"
        )
      } else if job.ranAgain.map({ $0 > until }) ?? true {
        assumptions.append(
          job.requeued
            ? "\(job.name): still in the queue; its wait counted so far"
            : "\(job.name): not run again yet; its wait counts once it does")
      }
      add(
        Double(job.gpus) * max(0, waitedUntil.timeIntervalSince(job.stopped)) / 3_600,
        at: job.usdPerGPUHour, to: &wait)
    }
    if let outage {
      let outageEnd = outage.end.map { min($0, until) } ?? until
      var gpuSeconds = Double(outage.gpus) * max(0, outageEnd.timeIntervalSince(outage.start))
      for job in jobs where job.gpusOnNode > 0 {
        let waitedUntil = min(job.waitEnd(until: until), until)
        let overlap =
          min(waitedUntil, outageEnd).timeIntervalSince(max(job.stopped, outage.start))
        gpuSeconds -= Double(job.gpusOnNode) * max(0, overlap)
      }
      add(max(0, gpuSeconds) / 3_600, at: outage.usdPerGPUHour, to: &idle)
    }
    var seen: Set<String> = []
    return IncidentCost(
      lostWorkGPUHours: lost, waitGPUHours: wait, idleGPUHours: idle,
      usd: priced || lost + wait + idle == 0 ? usd : nil,
      assumptions: assumptions.filter { seen.insert($0).inserted })
  }
}
