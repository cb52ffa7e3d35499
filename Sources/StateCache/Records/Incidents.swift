import FleetModel
import Foundation
import GRDB

private func date(_ row: Row, _ column: Column) -> Date? {
  (row[column] as Double?).map(Date.init(timeIntervalSince1970:))
}

/// A row of `incidents`: one incident, without its events and hit jobs (their own tables).
struct IncidentRecord: CacheRecord {
  static let databaseTableName = "incidents"
  enum Columns {
    static let id = Column("id")
    static let cluster = Column("cluster")
    static let node = Column("node")
    static let start = Column("start")
    static let lastEvent = Column("last_event")
    static let end = Column("end_t")
    static let outageGPUs = Column("outage_gpus")
    static let outageRate = Column("outage_usd_per_gpu_hour")
    static let outageStart = Column("outage_start")
    static let outageEnd = Column("outage_end")
  }

  var incident: Incident

  init(_ incident: Incident) {
    self.incident = incident
  }

  init(row: Row) {
    let outage: NodeOutage? = (row[Columns.outageGPUs] as Int?).flatMap { gpus in
      date(row, Columns.outageStart).map {
        NodeOutage(
          gpus: gpus, usdPerGPUHour: row[Columns.outageRate], start: $0,
          end: date(row, Columns.outageEnd))
      }
    }
    incident = Incident(
      id: row[Columns.id], cluster: row[Columns.cluster], node: row[Columns.node],
      start: date(row, Columns.start)!, lastEvent: date(row, Columns.lastEvent)!,
      end: date(row, Columns.end), events: [], jobs: [], outage: outage)
  }

  static let columns = [
    Columns.id, Columns.cluster, Columns.node, Columns.start, Columns.lastEvent, Columns.end,
    Columns.outageGPUs, Columns.outageRate, Columns.outageStart, Columns.outageEnd,
  ]

  var values: [(any DatabaseValueConvertible)?] {
    [
      incident.id, incident.cluster, incident.node, incident.start.timeIntervalSince1970,
      incident.lastEvent.timeIntervalSince1970, incident.end?.timeIntervalSince1970,
      incident.outage?.gpus, incident.outage?.usdPerGPUHour,
      incident.outage?.start.timeIntervalSince1970, incident.outage?.end?.timeIntervalSince1970,
    ]
  }
}

/// A row of `incident_events`: one event of an incident, in the order it was added.
struct IncidentEventRecord: CacheRecord {
  static let databaseTableName = "incident_events"
  enum Columns {
    static let incident = Column("incident")
    static let ord = Column("ord")
    static let time = Column("t")
    static let kind = Column("kind")
    static let subject = Column("subject")
    static let detail = Column("detail")
    static let action = Column("action")
    static let xid = Column("xid")
    static let repeats = Column("repeats")
    static let lastTime = Column("last_t")
  }

  var incident: String
  var ord: Int
  /// Nil for a kind this factop does not know (a newer one wrote it): skipped when read.
  var event: IncidentEvent?

  init(_ event: IncidentEvent, incident: String, ord: Int) {
    self.incident = incident
    self.ord = ord
    self.event = event
  }

  init(row: Row) {
    incident = row[Columns.incident]
    ord = row[Columns.ord]
    event = IncidentEvent.Kind(rawValue: row[Columns.kind]).map {
      var event = IncidentEvent(
        time: date(row, Columns.time)!, kind: $0, subject: row[Columns.subject],
        detail: row[Columns.detail], action: row[Columns.action], xid: row[Columns.xid])
      event.repeats = row[Columns.repeats]
      event.lastTime = date(row, Columns.lastTime)!
      return event
    }
  }

  static let columns = [
    Columns.incident, Columns.ord, Columns.time, Columns.kind, Columns.subject, Columns.detail,
    Columns.action, Columns.xid, Columns.repeats, Columns.lastTime,
  ]

  var values: [(any DatabaseValueConvertible)?] {
    [
      incident, ord, event?.time.timeIntervalSince1970, event?.kind.rawValue, event?.subject,
      event?.detail, event?.action, event?.xid, event?.repeats,
      event?.lastTime.timeIntervalSince1970,
    ]
  }
}

/// A row of `incident_jobs`: a job an incident stopped. Its nodes are in `incident_job_nodes`.
struct HitJobRecord: CacheRecord {
  static let databaseTableName = "incident_jobs"
  enum Columns {
    static let incident = Column("incident")
    static let ord = Column("ord")
    static let cluster = Column("cluster")
    static let jobID = Column("job_id")
    static let name = Column("name")
    static let team = Column("team")
    static let gpus = Column("gpus")
    static let gpusOnNode = Column("gpus_on_node")
    static let rate = Column("usd_per_gpu_hour")
    static let started = Column("started")
    static let stopped = Column("stopped")
    static let lastCheckpoint = Column("last_checkpoint")
    static let requeued = Column("requeued")
    static let ranAgain = Column("ran_again")
    static let gaveUp = Column("gave_up")
  }

  var incident: String
  var ord: Int
  var job: HitJob

  init(_ job: HitJob, incident: String, ord: Int) {
    self.incident = incident
    self.ord = ord
    self.job = job
  }

  /// Read without its nodes, which the caller adds from their table.
  init(row: Row) {
    incident = row[Columns.incident]
    ord = row[Columns.ord]
    job = HitJob(
      job: JobID(cluster: row[Columns.cluster], id: row[Columns.jobID]), name: row[Columns.name],
      team: row[Columns.team], gpus: row[Columns.gpus], nodes: [],
      gpusOnNode: row[Columns.gpusOnNode], usdPerGPUHour: row[Columns.rate],
      started: date(row, Columns.started), stopped: date(row, Columns.stopped)!,
      lastCheckpoint: date(row, Columns.lastCheckpoint),
      requeued: row[Columns.requeued], ranAgain: date(row, Columns.ranAgain),
      gaveUp: row[Columns.gaveUp])
  }

  static let columns = [
    Columns.incident, Columns.ord, Columns.cluster, Columns.jobID, Columns.name, Columns.team,
    Columns.gpus, Columns.gpusOnNode, Columns.rate, Columns.stopped, Columns.lastCheckpoint,
    Columns.requeued, Columns.ranAgain, Columns.gaveUp, Columns.started,
  ]

  var values: [(any DatabaseValueConvertible)?] {
    [
      incident, ord, job.job.cluster, job.job.id, job.name, job.team, job.gpus, job.gpusOnNode,
      job.usdPerGPUHour, job.stopped.timeIntervalSince1970,
      job.lastCheckpoint?.timeIntervalSince1970, job.requeued, job.ranAgain?.timeIntervalSince1970,
      job.gaveUp, job.started?.timeIntervalSince1970,
    ]
  }
}

/// A row of `incident_job_nodes`: one node a hit job ran on.
struct HitJobNodeRecord: CacheRecord {
  static let databaseTableName = "incident_job_nodes"
  enum Columns {
    static let incident = Column("incident")
    static let job = Column("job_ord")
    static let ord = Column("ord")
    static let node = Column("node")
  }

  var incident: String
  var job: Int
  var ord: Int
  var node: String

  init(incident: String, job: Int, ord: Int, node: String) {
    self.incident = incident
    self.job = job
    self.ord = ord
    self.node = node
  }

  init(row: Row) {
    incident = row[Columns.incident]
    job = row[Columns.job]
    ord = row[Columns.ord]
    node = row[Columns.node]
  }

  static let columns = [Columns.incident, Columns.job, Columns.ord, Columns.node]
  var values: [(any DatabaseValueConvertible)?] { [incident, job, ord, node] }
}

/// A row of `incident_gpu_marks`: a GPU's last XID and double-bit ECC count, for the next step.
struct GPUMarkRecord: CacheRecord {
  static let databaseTableName = "incident_gpu_marks"
  enum Columns {
    static let cluster = Column("cluster")
    static let node = Column("node")
    static let index = Column("idx")
    static let xid = Column("xid")
    static let xidCount = Column("xid_count")
    static let doubleBitECC = Column("ecc_double_bit")
    static let rowRemapFailure = Column("row_remap_failure")
    static let nvlinkErrors = Column("nvlink_errors")
  }

  var gpu: GPUID
  var xid: IncidentMarks.XIDMark?
  var doubleBitECC: Int?
  var rowRemapFailure: Bool
  var nvlinkErrors: Double?

  init(gpu: GPUID, marks: IncidentMarks) {
    self.gpu = gpu
    xid = marks.xids[gpu]
    doubleBitECC = marks.doubleBitECC[gpu]
    rowRemapFailure = marks.rowRemapFailed.contains(gpu)
    nvlinkErrors = marks.nvlinkErrors[gpu]
  }

  init(row: Row) {
    gpu = GPUID(
      node: NodeID(cluster: row[Columns.cluster], name: row[Columns.node]),
      index: row[Columns.index])
    xid = (row[Columns.xid] as Int?).map {
      IncidentMarks.XIDMark(code: $0, count: row[Columns.xidCount])
    }
    doubleBitECC = row[Columns.doubleBitECC]
    rowRemapFailure = row[Columns.rowRemapFailure] ?? false
    nvlinkErrors = row[Columns.nvlinkErrors]
  }

  /// Whether this GPU's marks differ from `other`'s.
  func differs(from other: GPUMarkRecord) -> Bool {
    xid != other.xid || doubleBitECC != other.doubleBitECC
      || rowRemapFailure != other.rowRemapFailure || nvlinkErrors != other.nvlinkErrors
  }

  static let columns = [
    Columns.cluster, Columns.node, Columns.index, Columns.xid, Columns.xidCount,
    Columns.doubleBitECC, Columns.rowRemapFailure, Columns.nvlinkErrors,
  ]

  var values: [(any DatabaseValueConvertible)?] {
    [
      gpu.node.cluster, gpu.node.name, gpu.index, xid?.code, xid?.count, doubleBitECC,
      rowRemapFailure, nvlinkErrors,
    ]
  }
}

/// A row of `incident_running_jobs`: a job running at the last step. Its nodes are in
/// `incident_running_job_nodes`.
struct RunningJobRecord: CacheRecord {
  static let databaseTableName = "incident_running_jobs"
  enum Columns {
    static let cluster = Column("cluster")
    static let id = Column("id")
    static let name = Column("name")
    static let user = Column("user")
    static let team = Column("team")
    static let gpus = Column("gpus")
    static let rate = Column("usd_per_gpu_hour")
    static let restarts = Column("restarts")
  }

  var key: JobID
  var job: IncidentMarks.RunningJob

  init(_ key: JobID, _ job: IncidentMarks.RunningJob) {
    self.key = key
    self.job = job
  }

  /// Read without its nodes, which the caller adds from their table.
  init(row: Row) {
    key = JobID(cluster: row[Columns.cluster], id: row[Columns.id])
    job = IncidentMarks.RunningJob(
      name: row[Columns.name], user: row[Columns.user], team: row[Columns.team],
      gpus: row[Columns.gpus], gpusByNode: [:], usdPerGPUHour: row[Columns.rate],
      restarts: row[Columns.restarts])
  }

  static let columns = [
    Columns.cluster, Columns.id, Columns.name, Columns.user, Columns.team, Columns.gpus,
    Columns.rate, Columns.restarts,
  ]

  var values: [(any DatabaseValueConvertible)?] {
    [key.cluster, key.id, job.name, job.user, job.team, job.gpus, job.usdPerGPUHour, job.restarts]
  }
}

/// A row of `incident_running_job_nodes`: how many GPUs a running job holds on one node.
struct RunningJobNodeRecord: CacheRecord {
  static let databaseTableName = "incident_running_job_nodes"
  enum Columns {
    static let cluster = Column("cluster")
    static let job = Column("job_id")
    static let node = Column("node")
    static let gpus = Column("gpus")
  }

  var key: JobID
  var node: String
  var gpus: Int

  init(_ key: JobID, node: String, gpus: Int) {
    self.key = key
    self.node = node
    self.gpus = gpus
  }

  init(row: Row) {
    key = JobID(cluster: row[Columns.cluster], id: row[Columns.job])
    node = row[Columns.node]
    gpus = row[Columns.gpus]
  }

  static let columns = [Columns.cluster, Columns.job, Columns.node, Columns.gpus]
  var values: [(any DatabaseValueConvertible)?] { [key.cluster, key.id, node, gpus] }
}

/// A row of `incident_out_nodes`: a node out of service at the last step.
struct OutNodeRecord: CacheRecord {
  static let databaseTableName = "incident_out_nodes"
  enum Columns {
    static let cluster = Column("cluster")
    static let name = Column("name")
  }

  var node: NodeID

  init(_ node: NodeID) {
    self.node = node
  }

  init(row: Row) {
    node = NodeID(cluster: row[Columns.cluster], name: row[Columns.name])
  }

  static let columns = [Columns.cluster, Columns.name]
  var values: [(any DatabaseValueConvertible)?] { [node.cluster, node.name] }
}
