import FleetModel
import Foundation
import GRDB

extension StateCache {
  /// Incidents newest first: all of them, or those still open or over since `since`.
  public func incidents(since: Date? = nil) throws -> [Incident] {
    try read { db in
      guard try hasSchema(db) else { return [] }
      var request = IncidentRecord.order(
        IncidentRecord.Columns.start.desc, IncidentRecord.Columns.id)
      if let since {
        request = request.filter(
          IncidentRecord.Columns.end == nil
            || IncidentRecord.Columns.end >= since.timeIntervalSince1970)
      }
      return try complete(request.fetchAll(db).map(\.incident), db)
    }
  }

  /// The log as its next step needs it: the incidents still open and the marks of the last
  /// step. Closed incidents never change again, so they stay on disk.
  public func incidentLog() throws -> IncidentLog {
    try read { db in
      guard try hasSchema(db) else { return IncidentLog() }
      let live = try IncidentRecord.filter(IncidentRecord.Columns.end == nil)
        .order(IncidentRecord.Columns.start, IncidentRecord.Columns.id).fetchAll(db)
      return IncidentLog(try complete(live.map(\.incident), db), marks: try marks(db))
    }
  }

  /// When the incident log last recorded, and when it first did; nil if it never did.
  public func incidentsRecorded() throws -> (first: Date, last: Date)? {
    try read { db in
      guard try hasSchema(db) else { return nil }
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT (SELECT value FROM meta WHERE key = 'incidents_since') AS first,
                 (SELECT value FROM meta WHERE key = 'incidents_recorded_at') AS last
          """)
      guard let first = row?["first"] as Int?, let last = row?["last"] as Int? else {
        return nil
      }
      return (Date(timeIntervalSince1970: Double(first)), Date(timeIntervalSince1970: Double(last)))
    }
  }

  /// Since when the log has recorded, and what its incidents have cost in all.
  public func incidentTotals() throws -> IncidentTotals {
    try read { db in
      guard try hasSchema(db) else { return IncidentTotals() }
      func value(_ key: String) throws -> Int? {
        try Int.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
      }
      return IncidentTotals(
        watchedSince: try value("incidents_since").map { Date(timeIntervalSince1970: Double($0)) },
        usd: Double(try value("incident_cost_cents_total") ?? 0) / 100,
        gpuHours: Double(try value("incident_gpu_seconds_total") ?? 0) / 3_600)
    }
  }

  /// Writes what the step from `before` to `after` changed: the incidents added or changed,
  /// the marks that moved, and `added` to the running totals; forgets incidents over for longer
  /// than `keepS`.
  public func saveIncidents(
    _ after: IncidentLog, replacing before: IncidentLog,
    adding added: (usd: Double, gpuHours: Double),
    at now: Date, keepS: Double
  ) throws {
    let old = Dictionary(before.incidents.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let changed = after.incidents.filter { old[$0.id] != $0 }
    try write { db in
      try save(changed, db)
      try saveMarks(after.marks, replacing: before.marks, db)
      try forgetIncidents(endedBefore: now.addingTimeInterval(-keepS), db)
      try stampIncidents(at: now, first: before.marks.recordedAt == nil, db)
      try addToTotals(added, db)
    }
  }

  /// Totals are kept in whole cents and GPU-seconds.
  private func addToTotals(_ added: (usd: Double, gpuHours: Double), _ db: Database) throws {
    for (key, value) in [
      ("incident_cost_cents_total", Int((added.usd * 100).rounded())),
      ("incident_gpu_seconds_total", Int((added.gpuHours * 3_600).rounded())),
    ] where value > 0 {
      try db.execute(
        sql: """
          INSERT INTO meta (key, value) VALUES (?, ?)
          ON CONFLICT (key) DO UPDATE SET value = value + excluded.value
          """, arguments: [key, value])
    }
  }

  /// Replaces every incident and mark with `log`'s, and the totals with what its incidents
  /// cost by `now`: a log replayed over backfilled history.
  public func replaceIncidents(
    _ log: IncidentLog, since first: Date, at now: Date, rules: IncidentRules
  ) throws {
    try write { db in
      try db.execute(
        sql: """
          DELETE FROM meta WHERE key IN ('incident_cost_cents_total', 'incident_gpu_seconds_total')
          """)
      try addToTotals(log.costAdded(since: IncidentLog(), at: now, rules: rules), db)
      for table in [
        "incidents", "incident_events", "incident_jobs", "incident_job_nodes",
        "incident_gpu_marks", "incident_out_nodes", "incident_running_jobs",
        "incident_running_job_nodes",
      ] {
        try db.execute(sql: "DELETE FROM \(table)")
      }
      try save(log.incidents, db)
      try saveMarks(log.marks, replacing: IncidentMarks(), db)
      try db.execute(
        sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('incidents_since', ?)",
        arguments: [Int(first.timeIntervalSince1970)])
      try stampIncidents(at: now, first: false, db)
    }
  }

  // MARK: - Rows

  private func complete(_ incidents: [Incident], _ db: Database) throws -> [Incident] {
    guard !incidents.isEmpty else { return [] }
    let ids = incidents.map(\.id)
    let events = Dictionary(
      grouping: try IncidentEventRecord.filter(ids.contains(IncidentEventRecord.Columns.incident))
        .order(IncidentEventRecord.Columns.incident, IncidentEventRecord.Columns.ord)
        .fetchAll(db), by: \.incident)
    let jobs = Dictionary(
      grouping: try HitJobRecord.filter(ids.contains(HitJobRecord.Columns.incident))
        .order(HitJobRecord.Columns.incident, HitJobRecord.Columns.ord).fetchAll(db),
      by: \.incident)
    let nodes = Dictionary(
      grouping: try HitJobNodeRecord.filter(ids.contains(HitJobNodeRecord.Columns.incident))
        .order(
          HitJobNodeRecord.Columns.incident, HitJobNodeRecord.Columns.job,
          HitJobNodeRecord.Columns.ord
        )
        .fetchAll(db), by: { "\($0.job) \($0.incident)" })
    return incidents.map { incident in
      var incident = incident
      incident.events = (events[incident.id] ?? []).compactMap(\.event)
      incident.jobs = (jobs[incident.id] ?? []).map { record in
        let job = record.job
        return HitJob(
          job: job.job, name: job.name, team: job.team, gpus: job.gpus,
          nodes: (nodes["\(record.ord) \(incident.id)"] ?? []).map(\.node),
          gpusOnNode: job.gpusOnNode, usdPerGPUHour: job.usdPerGPUHour, started: job.started,
          stopped: job.stopped,
          lastCheckpoint: job.lastCheckpoint, requeued: job.requeued, ranAgain: job.ranAgain,
          gaveUp: job.gaveUp)
      }
      return incident
    }
  }

  private func save(_ incidents: [Incident], _ db: Database) throws {
    for incident in incidents {
      for table in ["incident_events", "incident_jobs", "incident_job_nodes"] {
        try db.execute(sql: "DELETE FROM \(table) WHERE incident = ?", arguments: [incident.id])
      }
    }
    try IncidentRecord.insert(incidents.map(IncidentRecord.init), db)
    try IncidentEventRecord.insert(
      incidents.flatMap { incident in
        incident.events.enumerated().map {
          IncidentEventRecord($1, incident: incident.id, ord: $0)
        }
      }, db)
    try HitJobRecord.insert(
      incidents.flatMap { incident in
        incident.jobs.enumerated().map { HitJobRecord($1, incident: incident.id, ord: $0) }
      }, db)
    try HitJobNodeRecord.insert(
      incidents.flatMap { incident in
        incident.jobs.enumerated().flatMap { ord, job in
          job.nodes.enumerated().map {
            HitJobNodeRecord(incident: incident.id, job: ord, ord: $0, node: $1)
          }
        }
      }, db)
  }

  private func forgetIncidents(endedBefore cutoff: Date, _ db: Database) throws {
    let old = "SELECT id FROM incidents WHERE end_t < ?"
    let arguments: StatementArguments = [cutoff.timeIntervalSince1970]
    for table in ["incident_events", "incident_jobs", "incident_job_nodes"] {
      try db.execute(
        sql: "DELETE FROM \(table) WHERE incident IN (\(old))", arguments: arguments)
    }
    try db.execute(sql: "DELETE FROM incidents WHERE end_t < ?", arguments: arguments)
  }

  private func stampIncidents(at now: Date, first: Bool, _ db: Database) throws {
    let time = Int(now.timeIntervalSince1970)
    try db.execute(
      sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('incidents_recorded_at', ?)",
      arguments: [time])
    if first {
      try db.execute(
        sql: "INSERT OR IGNORE INTO meta (key, value) VALUES ('incidents_since', ?)",
        arguments: [time])
    }
    try db.execute(sql: "UPDATE meta SET value = value + 1 WHERE key = 'generation'")
  }

  // MARK: - Marks

  private func marks(_ db: Database) throws -> IncidentMarks {
    var marks = IncidentMarks()
    marks.recordedAt = try Int.fetchOne(
      db, sql: "SELECT value FROM meta WHERE key = 'incidents_recorded_at'"
    ).map { Date(timeIntervalSince1970: Double($0)) }
    for record in try GPUMarkRecord.fetchAll(db) {
      marks.xids[record.gpu] = record.xid
      marks.doubleBitECC[record.gpu] = record.doubleBitECC
      if record.rowRemapFailure { marks.rowRemapFailed.insert(record.gpu) }
      marks.nvlinkErrors[record.gpu] = record.nvlinkErrors
    }
    marks.out = Set(try OutNodeRecord.fetchAll(db).map(\.node))
    let nodes = Dictionary(grouping: try RunningJobNodeRecord.fetchAll(db), by: \.key)
    for record in try RunningJobRecord.fetchAll(db) {
      let job = record.job
      marks.running[record.key] = IncidentMarks.RunningJob(
        name: job.name, user: job.user, team: job.team, gpus: job.gpus,
        gpusByNode: Dictionary(
          (nodes[record.key] ?? []).map { ($0.node, $0.gpus) }, uniquingKeysWith: +),
        usdPerGPUHour: job.usdPerGPUHour, restarts: job.restarts)
    }
    return marks
  }

  /// Writes only the marks that moved: a step where nothing failed and no job started or
  /// stopped writes nothing, whatever the fleet's size.
  private func saveMarks(
    _ marks: IncidentMarks, replacing before: IncidentMarks, _ db: Database
  ) throws {
    func gpuMarks(_ marks: IncidentMarks) -> [GPUID: GPUMarkRecord] {
      var records: [GPUID: GPUMarkRecord] = [:]
      let gpus = Set(marks.xids.keys).union(marks.doubleBitECC.keys)
        .union(marks.rowRemapFailed).union(marks.nvlinkErrors.keys)
      for gpu in gpus { records[gpu] = GPUMarkRecord(gpu: gpu, marks: marks) }
      return records
    }
    let oldGPUs = gpuMarks(before)
    let newGPUs = gpuMarks(marks)
    for gpu in oldGPUs.keys where newGPUs[gpu] == nil {
      try db.execute(
        sql: "DELETE FROM incident_gpu_marks WHERE cluster = ? AND node = ? AND idx = ?",
        arguments: [gpu.node.cluster, gpu.node.name, gpu.index])
    }
    try GPUMarkRecord.insert(
      newGPUs.values.filter { new in oldGPUs[new.gpu].map(new.differs(from:)) ?? true }, db)

    for node in before.out.subtracting(marks.out) {
      try db.execute(
        sql: "DELETE FROM incident_out_nodes WHERE cluster = ? AND name = ?",
        arguments: [node.cluster, node.name])
    }
    try OutNodeRecord.insert(marks.out.subtracting(before.out).map(OutNodeRecord.init), db)

    for (key, job) in before.running where marks.running[key] != job {
      try db.execute(
        sql: "DELETE FROM incident_running_jobs WHERE cluster = ? AND id = ?",
        arguments: [key.cluster, key.id])
      try db.execute(
        sql: "DELETE FROM incident_running_job_nodes WHERE cluster = ? AND job_id = ?",
        arguments: [key.cluster, key.id])
    }
    let started = marks.running.filter { before.running[$0.key] != $0.value }
    try RunningJobRecord.insert(started.map { RunningJobRecord($0.key, $0.value) }, db)
    try RunningJobNodeRecord.insert(
      started.flatMap { key, job in
        job.gpusByNode.map { RunningJobNodeRecord(key, node: $0.key, gpus: $0.value) }
      }, db)
  }
}
