import FleetModel
import Foundation
import GRDB

/// A row of `jobs`; the nodes a job runs on are rows of `job_nodes`, in the scheduler's order.
struct JobRecord: CacheRecord {
  static let databaseTableName = "jobs"
  enum Columns {
    static let source = Column("source")
    static let cluster = Column("cluster")
    static let id = Column("id")
    static let ord = Column("ord")
    static let name = Column("name")
    static let user = Column("user")
    static let team = Column("team")
    static let kind = Column("kind")
    static let state = Column("state")
    static let gpus = Column("gpus")
    static let start = Column("start")
    static let timeLimitS = Column("time_limit_s")
    static let end = Column("ended")
    static let restarts = Column("restarts")
    static let lastExit = Column("last_exit")
    static let lastExitAt = Column("last_exit_at")
    static let runningSince = Column("running_since")
  }

  var source: String
  var ord: Int
  /// The job without its nodes, which `job_nodes` holds.
  var job: Job

  init(_ job: Job, source: String, ord: Int) {
    self.source = source
    self.ord = ord
    self.job = job
  }

  init(row: Row) {
    source = row[Columns.source]
    ord = row[Columns.ord]
    job = Job(
      id: row[Columns.id], cluster: row[Columns.cluster], name: row[Columns.name],
      user: row[Columns.user], team: row[Columns.team],
      kind: JobKind(rawValue: row[Columns.kind]) ?? .training,
      state: JobState(rawValue: row[Columns.state]) ?? .unknown, gpus: row[Columns.gpus],
      nodes: [], start: Date(seconds: row[Columns.start]), timeLimitS: row[Columns.timeLimitS],
      end: Date(seconds: row[Columns.end]),
      restarts: (row[Columns.restarts] as Int?).map {
        ContainerRestarts(
          count: $0, lastExit: row[Columns.lastExit],
          lastExitAt: Date(seconds: row[Columns.lastExitAt]),
          runningSince: Date(seconds: row[Columns.runningSince]))
      })
  }

  static let columns = [
    Columns.source, Columns.cluster, Columns.id, Columns.ord, Columns.name, Columns.user,
    Columns.team, Columns.kind, Columns.state, Columns.gpus, Columns.start, Columns.timeLimitS,
    Columns.end, Columns.restarts, Columns.lastExit, Columns.lastExitAt, Columns.runningSince,
  ]

  var values: [(any DatabaseValueConvertible)?] {
    [
      source,
      job.cluster,
      job.id,
      ord,
      job.name,
      job.user,
      job.team,
      job.kind.rawValue,
      job.state.rawValue,
      job.gpus,
      job.start?.timeIntervalSince1970,
      job.timeLimitS,
      job.end?.timeIntervalSince1970,
      job.restarts?.count,
      job.restarts?.lastExit,
      job.restarts?.lastExitAt?.timeIntervalSince1970,
      job.restarts?.runningSince?.timeIntervalSince1970,
    ]
  }

  /// The job's nodes as `source` listed them, one record each.
  static func nodes(of job: Job, source: String) -> [JobNodeRecord] {
    job.nodes.enumerated().map {
      JobNodeRecord(source: source, job: job.key, ord: $0.offset, node: $0.element)
    }
  }
}

/// A row of `job_nodes`: one node a job runs on, `ord` its place in the scheduler's list.
struct JobNodeRecord: CacheRecord {
  static let databaseTableName = "job_nodes"
  enum Columns {
    static let source = Column("source")
    static let cluster = Column("cluster")
    static let jobID = Column("job_id")
    static let ord = Column("ord")
    static let node = Column("node")
  }

  var source: String
  var job: JobID
  var ord: Int
  var node: String

  init(source: String, job: JobID, ord: Int, node: String) {
    self.source = source
    self.job = job
    self.ord = ord
    self.node = node
  }

  init(row: Row) {
    source = row[Columns.source]
    job = JobID(cluster: row[Columns.cluster], id: row[Columns.jobID])
    ord = row[Columns.ord]
    node = row[Columns.node]
  }

  static let columns = [
    Columns.source, Columns.cluster, Columns.jobID, Columns.ord, Columns.node,
  ]

  var values: [(any DatabaseValueConvertible)?] {
    [
      source,
      job.cluster,
      job.id,
      ord,
      node,
    ]
  }
}
