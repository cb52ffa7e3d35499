import FleetModel
import Foundation
import GRDB

extension StateCache {
  /// Replaces everything `health.name` said before with `state` and marks the poll a success,
  /// in one transaction: readers see the old data or the new, never a mix. With `pollStarted`,
  /// the poll's duration is stamped last, so it counts this write too.
  public func record(
    _ state: FleetState, from health: SourceHealth, pollStarted: ContinuousClock.Instant? = nil
  ) throws {
    try write { db in
      var health = health
      let source = health.name
      try deleteRows(of: source, db)
      try insertMeters(state.meters, source: source, db)
      try FabricPortRecord.insert(
        state.fabric.lazy.map { FabricPortRecord($0, source: source) }, db)
      try insertWorkloadCosts(state.workloadCosts, source: source, db)
      try insertClusters(state.clusters, source: source, db)
      try insertNodes(state, source: source, db)
      try insertGPUs(state, source: source, db)
      try insertPlacements(state.allocations, source: source, db)
      try insertJobs(state.jobs, source: source, db)
      try insertDeclared(state.declaredInstances, source: source, db)
      if let pollStarted {
        health.pollDurationS = (ContinuousClock.now - pollStarted) / .seconds(1)
      }
      try upsert(health, db)
      try bumpGeneration(db)
    }
  }

  /// Removes all `source` said (a source no longer configured) and its poll record; with
  /// `history`, the fleet's series too (a simulated fleet's, which describe no real one), and
  /// the savings ledger and incidents made from them.
  public func forget(source: String, history: Bool = false) throws {
    try write { db in
      try deleteRows(of: source, db)
      try db.execute(sql: "DELETE FROM sources WHERE name = ?", arguments: [source])
      if history {
        // What was made from that history goes with it: the findings the ledger followed and
        // the failures the incident log recorded happened to the simulated fleet.
        let derived = [
          "savings_ledger", "incidents", "incident_events", "incident_jobs", "incident_job_nodes",
          "incident_gpu_marks", "incident_out_nodes", "incident_running_jobs",
          "incident_running_job_nodes",
        ]
        for table in SeriesResolution.allCases.map(\.table) + derived {
          try db.execute(sql: "DELETE FROM \(table)")
        }
        try db.execute(
          sql: """
            DELETE FROM meta WHERE key IN ('ledger_recorded_at', 'incidents_recorded_at',
              'incidents_since', 'incident_cost_cents_total', 'incident_gpu_seconds_total')
            """)
      }
      try bumpGeneration(db)
    }
  }

  /// Replaces the meter readings `source` gave before (an import, which has no poll record).
  public func replaceMeters(_ meters: [MeterReading], from source: String) throws {
    try write { db in
      try db.execute(sql: "DELETE FROM meters WHERE source = ?", arguments: [source])
      try insertMeters(meters, source: source, db)
      try bumpGeneration(db)
    }
  }

  /// Records a poll that failed: the source's last good data stays untouched.
  public func recordFailure(_ health: SourceHealth) throws {
    try write { db in
      try upsert(health, db)
      try bumpGeneration(db)
    }
  }

  /// Appends raw points, refreshes the minute and hour rollups they fall into, and drops what is
  /// older than the retention allows.
  public func append(_ points: [SeriesPoint], now: Date, retention: Retention = .standard) throws {
    guard let earliest = points.map(\.time).min() else { return }
    try write { db in
      let insert = try db.cachedStatement(
        sql: """
          INSERT OR REPLACE INTO series_raw (entity, metric, t, mean, min, max, n)
          VALUES (?, ?, ?, ?, ?, ?, 1)
          """)
      for point in points {
        try insert.execute(arguments: [
          point.entity, point.metric, Int(point.time.timeIntervalSince1970),
          point.mean, point.min, point.max,
        ])
      }
      let since = Int(earliest.timeIntervalSince1970)
      try rollUp(from: .raw, into: .minute, since: since, db)
      try rollUp(from: .minute, into: .hour, since: since, db)
      for resolution in SeriesResolution.allCases {
        let cutoff = now.timeIntervalSince1970 - retention.seconds(for: resolution)
        try db.execute(sql: "DELETE FROM \(resolution.table) WHERE t < ?", arguments: [Int(cutoff)])
      }
      try bumpGeneration(db)
    }
  }

  /// Recomputes the `target` buckets touched since `since` from the finer `source` rows.
  private func rollUp(
    from source: SeriesResolution, into target: SeriesResolution, since: Int, _ db: Database
  ) throws {
    let width = target.bucketS
    let bucketStart = since / width * width
    try db.execute(
      sql: """
        INSERT INTO \(target.table) (entity, metric, t, mean, min, max, n)
        SELECT entity, metric, (t / \(width)) * \(width) AS bucket,
               SUM(mean * n) / SUM(n), MIN(min), MAX(max), SUM(n)
        FROM \(source.table) WHERE t >= ? GROUP BY entity, metric, bucket
        ON CONFLICT (entity, metric, t) DO UPDATE SET
          mean = excluded.mean, min = excluded.min, max = excluded.max, n = excluded.n
        """, arguments: [bucketStart])
  }

  private func upsert(_ health: SourceHealth, _ db: Database) throws {
    try SourceRecord(health).upsert(db)
  }

  /// Replaces what `source` said workloads cost (an import, which has no poll record).
  public func replaceWorkloadCosts(_ costs: [WorkloadCost], from source: String) throws {
    try write { db in
      try db.execute(sql: "DELETE FROM workload_costs WHERE source = ?", arguments: [source])
      try insertWorkloadCosts(costs, source: source, db)
      try bumpGeneration(db)
    }
  }

  func insertWorkloadCosts(_ costs: [WorkloadCost], source: String, _ db: Database) throws {
    try WorkloadCostRecord.insert(
      costs.enumerated().map { WorkloadCostRecord($0.element, source: source, ord: $0.offset) }, db)
  }

  func insertMeters(_ meters: [MeterReading], source: String, _ db: Database) throws {
    try MeterRecord.insert(meters.lazy.map { MeterRecord($0, source: source) }, db)
  }

  /// Every row `source` wrote, in every table keyed by source.
  private func deleteRows(of source: String, _ db: Database) throws {
    let tables = [
      "clusters", "nodes", "gpus", "placements", "jobs", "job_nodes", "meters", "fabric_ports",
      "workload_costs", "declared_instances", "declared_names",
    ]
    for table in tables {
      try db.execute(sql: "DELETE FROM \(table) WHERE source = ?", arguments: [source])
    }
  }

  private func bumpGeneration(_ db: Database) throws {
    try db.execute(sql: "UPDATE meta SET value = value + 1 WHERE key = 'generation'")
  }

  private func insertClusters(_ clusters: [Cluster], source: String, _ db: Database) throws {
    try ClusterRecord.insert(
      clusters.enumerated().lazy.map { ClusterRecord($0.element, source: source, ord: $0.offset) },
      db)
  }

  private func insertNodes(_ state: FleetState, source: String, _ db: Database) throws {
    try NodeRecord.insert(
      state.nodes.enumerated().lazy.map { ord, node in
        NodeRecord(node, sample: state.nodeSamples[node.id], source: source, ord: ord)
      }, db)
  }

  private func insertGPUs(_ state: FleetState, source: String, _ db: Database) throws {
    try GPURecord.insert(
      state.gpus.enumerated().lazy.map { ord, gpu in
        GPURecord(gpu, sample: state.gpuSamples[gpu.id], source: source, ord: ord)
      }, db)
  }

  /// Which job holds which GPU, by place; a job holds GPUs of its own cluster only.
  private func insertPlacements(_ allocations: [GPUID: JobID], source: String, _ db: Database)
    throws
  {
    try PlacementRecord.insert(
      allocations.sorted(by: { $0.key < $1.key }).lazy
        .filter { gpu, job in job.cluster == gpu.node.cluster }
        .map { gpu, job in PlacementRecord(gpu: gpu, job: job.id, source: source) }, db)
  }

  private func insertJobs(_ jobs: [Job], source: String, _ db: Database) throws {
    try JobRecord.insert(
      jobs.enumerated().lazy.map { JobRecord($0.element, source: source, ord: $0.offset) }, db)
    try JobNodeRecord.insert(jobs.lazy.flatMap { JobRecord.nodes(of: $0, source: source) }, db)
  }

  private func insertDeclared(_ instances: [DeclaredInstance], source: String, _ db: Database)
    throws
  {
    let records = instances.enumerated().map {
      DeclaredInstanceRecord($0.element, source: source, ord: $0.offset)
    }
    try DeclaredInstanceRecord.insert(records, db)
    try DeclaredNameRecord.insert(records.lazy.flatMap(\.names), db)
  }
}
