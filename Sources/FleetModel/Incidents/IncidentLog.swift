import Foundation

/// How the log gathers events into incidents and prices them.
public struct IncidentRules: Sendable, Hashable {
  /// Events on one node this close together are one incident; a job that stops this soon
  /// after its node's incident began was hit by it.
  public var mergeWindowS = 900.0
  /// A hit job not running again within this long was given up: its wait is not counted.
  public var restartWindowS = 12 * 3_600.0
  /// Assumed when a job's checkpoints cannot be seen in its activity: it lost half of one.
  public var assumedCheckpointIntervalMin = 60.0
  /// Incidents over this long ago are forgotten.
  public var keepS = 400 * 86_400.0

  public init() {}
}

/// Every failure the fleet showed, gathered into incidents. `record` is the one way it
/// changes: the fleet at one moment, compared with the marks of the moment before.
public struct IncidentLog: Sendable, Hashable {
  public private(set) var incidents: [Incident]
  public private(set) var marks: IncidentMarks

  public init(_ incidents: [Incident] = [], marks: IncidentMarks = IncidentMarks()) {
    self.incidents = incidents
    self.marks = marks
  }

  /// The job activity (mean %, oldest first) the log reads checkpoints from.
  public typealias ActivityLookup = (JobID) -> [(time: Date, value: Double)]

  /// Applies the fleet as it is at `now`: nodes leaving or returning to service, new XIDs and
  /// double-bit ECC errors, flapping links, jobs that failed or were requeued or stopped under
  /// a failing node, and hit jobs running again. Incidents that are over get their end.
  public mutating func record(
    _ state: FleetState, at now: Date, prices: PriceBook, rules: IncidentRules = IncidentRules(),
    activity: ActivityLookup = { _ in [] }
  ) {
    // Prices and placements are looked up only when something needs them (a node newly out,
    // a job newly running): most polls change nothing, and at 131,072 GPUs the lookup is most
    // of a step's cost.
    var built: GPURates?
    func rates() -> GPURates {
      if let built { return built }
      let made = GPURates(state, prices: prices)
      built = made
      return made
    }
    if marks.recordedAt != nil {
      recordNodeEvents(state, at: now, rates: rates, rules: rules)
      recordJobsStopped(state, at: now, rules: rules, activity: activity)
      recordJobsEndedUnseen(state, at: now, rates: rates, rules: rules, activity: activity)
      recordPodsRestarted(state, at: now, rules: rules, activity: activity)
    } else {
      // The first step knows when a node left service, but not what came before it.
      for node in state.nodes where node.isOut {
        openOutage(node, at: now, rates: rates(), rules: rules)
      }
    }
    recordRestarts(state, at: now, rules: rules)
    closeIncidentsThatAreOver(at: now, rules: rules)
    incidents.removeAll { incident in
      incident.end.map { now.timeIntervalSince($0) >= rules.keepS } ?? false
    }
    marks = IncidentMarks(of: state, at: now, rates: rates, previous: marks)
  }

  // MARK: - Events

  private mutating func recordNodeEvents(
    _ state: FleetState, at now: Date, rates: () -> GPURates, rules: IncidentRules
  ) {
    for node in state.nodes where node.isOut && !marks.out.contains(node.id) {
      openOutage(node, at: now, rates: rates(), rules: rules)
    }
    for node in state.nodes where !node.isOut && marks.out.contains(node.id) {
      if let i = incidents.lastIndex(where: {
        $0.nodeID == node.id && $0.outage != nil && $0.outage?.end == nil
      }) {
        incidents[i].outage?.end = now
      }
    }
    // Each reading once, in whatever order the dictionary keeps; the events in GPU order.
    var gpuEvents: [(gpu: GPUID, event: IncidentEvent)] = []
    for (gpu, sample) in state.gpuSamples {
      gpuEvents += events(of: sample, on: gpu, at: now)
    }
    for (gpu, event) in gpuEvents.enumerated().sorted(by: {
      ($0.element.gpu, $0.offset) < ($1.element.gpu, $1.offset)
    }).map(\.element) {
      add(event, on: gpu.node, at: now, rules: rules)
    }
    for port in state.fabric where port.isFlapping {
      guard let node = port.nodeID else { continue }
      add(
        IncidentEvent(
          time: now, kind: .linkFlap, subject: port.name,
          detail: "link went down",
          action: "reseat or replace the cable or transceiver; check the switch port"),
        on: node, at: now, rules: rules)
    }
  }

  /// What one GPU's reading says that its marks did not: a new XID, more double-bit ECC
  /// errors, a failed row remap, rising NVLink errors. Most readings say nothing, cheaply.
  private func events(of sample: GPUSample, on gpu: GPUID, at now: Date)
    -> [(gpu: GPUID, event: IncidentEvent)]
  {
    guard
      sample.xidLast != nil || (sample.eccDoubleBit ?? 0) > 0 || sample.rowRemapFailure == true
        || sample.nvlinkErrors != nil
    else { return [] }
    var events: [IncidentEvent] = []
    let subject = "GPU \(gpu.index)"
    if let code = sample.xidLast {
      let before = marks.xids[gpu]
      if before?.code != code || (sample.xidCount ?? 0) > (before?.count ?? 0) {
        let meaning = XIDCatalog.meaning(of: code)
        events.append(
          IncidentEvent(
            time: now, kind: .xid, subject: subject,
            detail: "XID \(code): \(meaning.meaning)", action: meaning.action, xid: code))
      }
    }
    if let errors = sample.eccDoubleBit, errors > (marks.doubleBitECC[gpu] ?? 0) {
      events.append(
        IncidentEvent(
          time: now, kind: .eccDoubleBit, subject: subject,
          detail: errors == 1 ? "a double-bit ECC error" : "\(errors) double-bit ECC errors",
          action: "drain, reset the GPU; RMA if it recurs"))
    }
    if sample.rowRemapFailure == true, !marks.rowRemapFailed.contains(gpu) {
      events.append(
        IncidentEvent(
          time: now, kind: .rowRemapFailure, subject: subject, detail: "row remapping failed",
          action: "drain, reset the GPU; RMA candidate"))
    }
    // A total that fell is a counter reset (the driver reloaded), not news.
    if let errors = sample.nvlinkErrors, let before = marks.nvlinkErrors[gpu], errors > before {
      events.append(
        IncidentEvent(
          time: now, kind: .nvlinkErrors, subject: subject,
          detail: "NVLink errors (CRC, replay, recovery) are rising",
          action: "drain the node, reset its GPUs or reboot; service the NVLink if it recurs"))
    }
    return events.map { (gpu, $0) }
  }

  private mutating func openOutage(
    _ node: Node, at now: Date, rates: GPURates, rules: IncidentRules
  ) {
    // A state change has its own time; a step that missed it knows it is no later than now.
    let since = min(node.stateSince ?? now, now)
    let event = IncidentEvent(
      time: since, kind: .nodeOut, subject: node.name,
      detail: "\(node.state.rawValue): \(node.reason ?? "no reason given")",
      action: "repair or replace it and return it to service")
    let i = add(event, on: node.id, at: since, rules: rules, withoutOutage: true)
    let gpus = rates.gpusByNode[node.id] ?? []
    incidents[i].outage = NodeOutage(
      gpus: gpus.count, usdPerGPUHour: rates.mean(of: gpus), start: since)
  }

  /// Adds a node's event to its live incident, or to a job's incident whose job stopped on
  /// that node just before, or opens one. Returns the incident's index. An outage joins only an
  /// incident without one: a node that came back and went out again is out twice.
  @discardableResult
  private mutating func add(
    _ event: IncidentEvent, on node: NodeID, at now: Date, rules: IncidentRules,
    withoutOutage: Bool = false
  ) -> Int {
    if let i = incidents.lastIndex(where: {
      $0.nodeID == node && isLive($0, at: now, rules: rules)
        && !(withoutOutage && $0.outage != nil)
    }) {
      incidents[i].note(event)
      return i
    }
    if let i = incidents.lastIndex(where: { incident in
      incident.node == nil && incident.cluster == node.cluster && incident.end == nil
        && incident.jobs.contains {
          $0.nodes.contains(node.name) && now.timeIntervalSince($0.stopped) < rules.mergeWindowS
        }
    }) {
      incidents[i].node = node.name
      incidents[i].note(event)
      return i
    }
    incidents.append(
      Incident(
        id: "node \(node.cluster)/\(node.name) @\(Int(event.time.timeIntervalSince1970))",
        cluster: node.cluster,
        node: node.name, start: event.time, lastEvent: event.time, end: nil, events: [event],
        jobs: [], outage: nil))
    return incidents.count - 1
  }

  /// Jobs running at the step before and not now: failed, requeued, or gone while one of their
  /// nodes had an incident. A job that ended on its own is not an incident.
  private mutating func recordJobsStopped(
    _ state: FleetState, at now: Date, rules: IncidentRules, activity: ActivityLookup
  ) {
    guard let lastSeen = marks.recordedAt else { return }
    let jobs = Dictionary(state.jobs.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    for (key, was) in marks.running.sorted(by: { $0.key < $1.key }) {
      let job = jobs[key]
      if job?.state == .running { continue }
      let event: IncidentEvent?
      switch job?.state {
      case .failed, .nodeFail:
        event = IncidentEvent(
          time: now, kind: .jobFailed, subject: key.id,
          detail: "\(was.name) ended \(job!.state.rawValue.uppercased())")
      case .pending:
        event = IncidentEvent(
          time: now, kind: .jobRequeued, subject: key.id,
          detail: "\(was.name) went back to the queue")
      default:
        event = nil
      }
      let nodes = was.gpusByNode.keys.sorted().map { NodeID(cluster: key.cluster, name: $0) }
      let onNode = liveIncident(onAnyOf: nodes, since: lastSeen, rules: rules)
      guard onNode != nil || event != nil else { continue }
      let i = place(event, of: key, onNode: onNode)
      // It stopped between its last sighting and now: when accounting says it ended, else
      // when its node left service if that fell in between, else halfway.
      let start = incidents[i].start
      let ended = job?.end.flatMap { $0 > lastSeen && $0 <= now ? $0 : nil }
      let stopped =
        ended
        ?? (start > lastSeen && start < now
          ? start : lastSeen.addingTimeInterval(now.timeIntervalSince(lastSeen) / 2))
      let gpusOnNode = incidents[i].node.map { was.gpusByNode[$0] ?? 0 } ?? 0
      incidents[i].jobs.append(
        HitJob(
          job: key, name: was.name, team: was.team, gpus: was.gpus,
          nodes: was.gpusByNode.keys.sorted(), gpusOnNode: gpusOnNode,
          usdPerGPUHour: was.usdPerGPUHour, started: ended != nil ? job?.start : nil,
          stopped: stopped,
          lastCheckpoint: CheckpointCadence.lastCheckpoint(
            activity(key).filter { $0.time <= lastSeen }, before: stopped),
          requeued: job?.state == .pending))
    }
  }

  /// Where a job's event goes: into the incident of its node that hit it (`onNode`), or an
  /// incident of its own, which needs the event (a job its node's incident stopped may have
  /// none of its own to add).
  private mutating func place(_ event: IncidentEvent?, of job: JobID, onNode: Int?) -> Int {
    if let onNode {
      if let event { incidents[onNode].note(event) }
      return onNode
    }
    guard let event else { preconditionFailure("a job's own incident needs its event") }
    incidents.append(
      Incident(
        id: "job \(job.cluster)/\(job.id) @\(Int(event.time.timeIntervalSince1970))",
        cluster: job.cluster, node: nil, start: event.time, lastEvent: event.time, end: nil,
        events: [event], jobs: [], outage: nil))
    return incidents.count - 1
  }

  /// The live incident a job on `nodes` was hit by: one that has a node out, or began about
  /// when the job stopped (within the merge window of the step before).
  private func liveIncident(onAnyOf nodes: [NodeID], since lastSeen: Date, rules: IncidentRules)
    -> Int?
  {
    incidents.lastIndex { incident in
      guard incident.end == nil, let node = incident.nodeID, nodes.contains(node) else {
        return false
      }
      return (incident.outage != nil && incident.outage?.end == nil)
        || incident.start >= lastSeen.addingTimeInterval(-rules.mergeWindowS)
    }
  }

  /// Pods whose containers restarted in place since the step before, on a GPU error: their
  /// exit said one, or their node's GPUs showed one then (the restart joins that incident). A
  /// restart for anything else (host memory, the program's own exit) is not a GPU incident.
  /// The pod lost its work since its last checkpoint and waited until its container ran again.
  private mutating func recordPodsRestarted(
    _ state: FleetState, at now: Date, rules: IncidentRules, activity: ActivityLookup
  ) {
    guard let lastSeen = marks.recordedAt else { return }
    for job in state.jobs where job.state == .running {
      guard let restarts = job.restarts, let was = marks.running[job.key],
        let before = was.restarts, restarts.count > before
      else { continue }
      let nodes = was.gpusByNode.keys.sorted().map { NodeID(cluster: job.cluster, name: $0) }
      let onNode = liveIncident(onAnyOf: nodes, since: lastSeen, rules: rules)
      guard onNode != nil || restarts.lastExitNamesAGPUError else { continue }
      let stopped =
        restarts.lastExitAt.flatMap { $0 > lastSeen && $0 <= now ? $0 : nil }
        ?? lastSeen.addingTimeInterval(now.timeIntervalSince(lastSeen) / 2)
      let times = restarts.count - before
      let event = IncidentEvent(
        time: stopped, kind: .podRestarted, subject: job.id,
        detail: "\(was.name) restarted\(times > 1 ? " \(times) times" : ""): "
          + (restarts.lastExit ?? "no exit reason given"))
      let i = place(event, of: job.key, onNode: onNode)
      incidents[i].jobs.append(
        HitJob(
          job: job.key, name: was.name, team: was.team, gpus: was.gpus,
          nodes: was.gpusByNode.keys.sorted(),
          gpusOnNode: incidents[i].node.map { was.gpusByNode[$0] ?? 0 } ?? 0,
          usdPerGPUHour: was.usdPerGPUHour, stopped: stopped,
          lastCheckpoint: CheckpointCadence.lastCheckpoint(
            activity(job.key).filter { $0.time <= lastSeen }, before: stopped),
          requeued: true,
          ranAgain: restarts.runningSince.map { min(max($0, stopped), now) } ?? now))
    }
  }

  /// Jobs that failed since the step before without ever being seen running: they ran and
  /// failed between two polls, or while no poller ran at all (the scheduler's accounting
  /// still has them). Each joins an incident on one of its nodes about when it ended, or is
  /// its own; what it lost is priced from its accounting record.
  private mutating func recordJobsEndedUnseen(
    _ state: FleetState, at now: Date, rates: () -> GPURates, rules: IncidentRules,
    activity: ActivityLookup
  ) {
    guard let lastSeen = marks.recordedAt else { return }
    let recorded = Set(incidents.flatMap { $0.jobs.map(\.job) })
    for job in state.jobs.sorted(by: { ($0.end ?? now, $0.key) < ($1.end ?? now, $1.key) }) {
      guard job.state == .failed || job.state == .nodeFail, job.gpus > 0,
        let ended = job.end, ended > lastSeen, ended <= now,
        marks.running[job.key] == nil, !recorded.contains(job.key)
      else { continue }
      let event = IncidentEvent(
        time: ended, kind: .jobFailed, subject: job.id,
        detail: "\(job.name) ended \(job.state.rawValue.uppercased())")
      let onNode = incidents.lastIndex { incident in
        guard let node = incident.nodeID, job.nodeIDs.contains(node) else { return false }
        return abs(incident.start.timeIntervalSince(ended)) <= rules.mergeWindowS
          || (incident.outage.map { $0.start <= ended && ($0.end ?? now) >= ended } ?? false)
      }
      let i = place(event, of: job.key, onNode: onNode)
      // Its GPUs are no longer placed: priced at the mean of its nodes' GPUs, spread evenly.
      let gpusOnNodes = job.nodeIDs.flatMap { rates().gpusByNode[$0] ?? [] }
      let perNode = job.nodes.isEmpty ? 0 : job.gpus / job.nodes.count
      incidents[i].jobs.append(
        HitJob(
          job: job.key, name: job.name, team: job.team, gpus: job.gpus,
          nodes: job.nodes.sorted(),
          gpusOnNode: incidents[i].node.map { job.nodes.contains($0) ? perNode : 0 } ?? 0,
          usdPerGPUHour: rates().mean(of: gpusOnNodes), started: job.start, stopped: ended,
          lastCheckpoint: CheckpointCadence.lastCheckpoint(activity(job.key), before: ended),
          requeued: false))
    }
  }

  /// Hit jobs running again: the same job back from the queue, or a job of the same name and
  /// user started since it stopped.
  private mutating func recordRestarts(_ state: FleetState, at now: Date, rules: IncidentRules) {
    let running = state.jobs.filter { $0.state == .running }
    for i in incidents.indices where incidents[i].end == nil {
      for j in incidents[i].jobs.indices where incidents[i].jobs[j].isWaiting {
        let hit = incidents[i].jobs[j]
        let again = running.first { job in
          guard job.cluster == hit.job.cluster else { return false }
          let started = job.start ?? now
          return started >= hit.stopped
            && (job.key == hit.job || (job.name == hit.name && job.team == hit.team))
        }
        if let again {
          incidents[i].jobs[j].ranAgain = min(max(again.start ?? now, hit.stopped), now)
        } else if now.timeIntervalSince(hit.stopped) >= rules.restartWindowS {
          incidents[i].jobs[j].gaveUp = true
        }
      }
    }
  }

  private mutating func closeIncidentsThatAreOver(at now: Date, rules: IncidentRules) {
    for i in incidents.indices where incidents[i].end == nil {
      guard !isLive(incidents[i], at: now, rules: rules) else { continue }
      let incident = incidents[i]
      incidents[i].end =
        ([incident.lastEvent, incident.outage?.end].compactMap { $0 }
        + incident.jobs.map { $0.ranAgain ?? $0.stopped }).max()
    }
  }

  /// Still going: its node out, a hit job waiting, or an event within the merge window.
  private func isLive(_ incident: Incident, at now: Date, rules: IncidentRules) -> Bool {
    guard incident.end == nil else { return false }
    if let outage = incident.outage, outage.end == nil { return true }
    if incident.jobs.contains(where: \.isWaiting) { return true }
    return now.timeIntervalSince(incident.lastEvent) < rules.mergeWindowS
  }
}

extension Incident {
  /// Adds an event; one it already has (the same kind, subject and detail) is counted again.
  mutating func note(_ event: IncidentEvent) {
    if let k = events.firstIndex(where: {
      $0.kind == event.kind && $0.subject == event.subject && $0.detail == event.detail
    }) {
      events[k].repeats += 1
      events[k].lastTime = max(events[k].lastTime, event.time)
    } else {
      events.append(event)
    }
    lastEvent = max(lastEvent, event.time)
    start = min(start, event.time)
  }
}

extension Node {
  /// Out of service: down (or not responding) or drained. Draining still runs its jobs.
  var isOut: Bool { state == .down || state == .drained }
}
