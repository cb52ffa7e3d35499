import Foundation

/// What the log remembers of the poll before, to tell what changed since: each GPU's last XID
/// and double-bit ECC count, the nodes out of service, the jobs running.
public struct IncidentMarks: Sendable, Hashable {
  public struct XIDMark: Sendable, Hashable {
    public let code: Int
    public let count: Int?

    public init(code: Int, count: Int?) {
      self.code = code
      self.count = count
    }
  }

  /// A running job as last seen (at `recordedAt`): enough to price it and to know it again.
  public struct RunningJob: Sendable, Hashable {
    public let name: String
    public let user: String
    public let team: String
    public let gpus: Int
    public let gpusByNode: [String: Int]
    public let usdPerGPUHour: Double?
    /// Its pod's container restarts, where it is a pod.
    public var restarts: Int?

    public init(
      name: String, user: String, team: String, gpus: Int, gpusByNode: [String: Int],
      usdPerGPUHour: Double?, restarts: Int? = nil
    ) {
      self.name = name
      self.user = user
      self.team = team
      self.gpus = gpus
      self.gpusByNode = gpusByNode
      self.usdPerGPUHour = usdPerGPUHour
      self.restarts = restarts
    }
  }

  /// When the log last recorded; nil before its first step, which only sets the marks (an XID
  /// already there when factop started is not news).
  public var recordedAt: Date?
  public var xids: [GPUID: XIDMark] = [:]
  public var doubleBitECC: [GPUID: Int] = [:]
  /// GPUs whose row remapping had failed.
  public var rowRemapFailed: Set<GPUID> = []
  /// NVLink error totals of GPUs that reported any.
  public var nvlinkErrors: [GPUID: Double] = [:]
  public var out: Set<NodeID> = []
  public var running: [JobID: RunningJob] = [:]

  public init() {}
}

extension IncidentMarks {
  /// The marks `state` leaves at `now`; `previous` says what GPUs that did not answer last
  /// said, and keeps the looked-up price of jobs that have not changed.
  init(of state: FleetState, at now: Date, rates: () -> GPURates, previous: IncidentMarks) {
    var marks = IncidentMarks()
    marks.recordedAt = now
    for (gpu, sample) in state.gpuSamples {
      if let code = sample.xidLast {
        marks.xids[gpu] = IncidentMarks.XIDMark(code: code, count: sample.xidCount)
      }
      if let errors = sample.eccDoubleBit, errors > 0 { marks.doubleBitECC[gpu] = errors }
      if sample.rowRemapFailure == true { marks.rowRemapFailed.insert(gpu) }
      if let errors = sample.nvlinkErrors { marks.nvlinkErrors[gpu] = errors }
    }
    // A GPU that did not answer keeps what it last said: its silence is not a reset.
    for (gpu, mark) in previous.xids where state.gpuSamples[gpu] == nil { marks.xids[gpu] = mark }
    for (gpu, errors) in previous.doubleBitECC where state.gpuSamples[gpu] == nil {
      marks.doubleBitECC[gpu] = errors
    }
    for gpu in previous.rowRemapFailed where state.gpuSamples[gpu] == nil {
      marks.rowRemapFailed.insert(gpu)
    }
    for (gpu, errors) in previous.nvlinkErrors where state.gpuSamples[gpu] == nil {
      marks.nvlinkErrors[gpu] = errors
    }
    marks.out = Set(state.nodes.filter(\.isOut).map(\.id))
    for job in state.jobs where job.state == .running {
      // A job that keeps its id, size and nodes keeps its mark: only a new one is looked up.
      if let kept = previous.running[job.key], kept.gpus >= job.gpus,
        kept.gpusByNode.isEmpty || Set(kept.gpusByNode.keys) == Set(job.nodes)
      {
        var kept = kept
        kept.restarts = job.restarts?.count
        marks.running[job.key] = kept
        continue
      }
      let rates = rates()
      let gpus = rates.gpusByJob[job.key] ?? []
      marks.running[job.key] = IncidentMarks.RunningJob(
        name: job.name, user: job.user, team: job.team, gpus: max(job.gpus, gpus.count),
        gpusByNode: Dictionary(grouping: gpus, by: \.node.name).mapValues(\.count),
        usdPerGPUHour: rates.mean(of: gpus), restarts: job.restarts?.count)
    }
    self = marks
  }
}
