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
      try insertWorkloadCosts(state.workloadCosts, source: source, db)
      try insertClusters(state.clusters, source: source, db)
      try insertNodes(state, source: source, db)
      try insertGPUs(state, source: source, db)
      try insertPlacements(state.allocations, source: source, db)
      try insertJobs(state.jobs, source: source, db)
      if let pollStarted {
        health.pollDurationS = (ContinuousClock.now - pollStarted) / .seconds(1)
      }
      try upsert(health, db)
      try bumpGeneration(db)
    }
  }

  /// Removes all `source` said (a source no longer configured) and its poll record; with
  /// `history`, the fleet's series too (a simulated fleet's, which describe no real one).
  public func forget(source: String, history: Bool = false) throws {
    try write { db in
      try deleteRows(of: source, db)
      try db.execute(sql: "DELETE FROM sources WHERE name = ?", arguments: [source])
      if history {
        for table in SeriesResolution.allCases.map(\.table) {
          try db.execute(sql: "DELETE FROM \(table)")
        }
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
    try db.execute(
      sql: """
        INSERT INTO sources (name, kind, interval_s, last_attempt, last_success, last_error,
                             poll_duration_s, tls)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, interval_s = excluded.interval_s,
          last_attempt = excluded.last_attempt, last_success = excluded.last_success,
          last_error = excluded.last_error, poll_duration_s = excluded.poll_duration_s,
          tls = excluded.tls
        """,
      arguments: [
        health.name, health.kind, health.intervalS, health.lastAttempt?.timeIntervalSince1970,
        health.lastSuccess?.timeIntervalSince1970, health.lastError, health.pollDurationS,
        health.tls?.rawValue,
      ])
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
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .secondsSince1970
    for (i, cost) in costs.enumerated() {
      try db.execute(
        sql: "INSERT INTO workload_costs (source, ord, cost) VALUES (?, ?, ?)",
        arguments: [source, i, String(decoding: try encoder.encode(cost), as: UTF8.self)])
    }
  }

  func insertMeters(_ meters: [MeterReading], source: String, _ db: Database) throws {
    let insert = try db.cachedStatement(
      sql:
        "INSERT OR REPLACE INTO meters (source, scope, target, watts, via, t) VALUES (?, ?, ?, ?, ?, ?)"
    )
    for meter in meters {
      try insert.execute(arguments: [
        source, meter.scope.rawValue, meter.target, meter.watts, meter.via,
        meter.time.timeIntervalSince1970,
      ])
    }
  }

  /// Every row `source` wrote, in every table keyed by source.
  private func deleteRows(of source: String, _ db: Database) throws {
    for table in ["clusters", "nodes", "gpus", "placements", "jobs", "meters", "workload_costs"] {
      try db.execute(sql: "DELETE FROM \(table) WHERE source = ?", arguments: [source])
    }
  }

  private func bumpGeneration(_ db: Database) throws {
    try db.execute(sql: "UPDATE meta SET value = value + 1 WHERE key = 'generation'")
  }

  private func insertClusters(_ clusters: [Cluster], source: String, _ db: Database) throws {
    let statement = try db.cachedStatement(
      sql: """
        INSERT OR REPLACE INTO clusters (source, name, ord, scheduler, site, pricing)
        VALUES (?, ?, ?, ?, ?, ?)
        """)
    for (ord, cluster) in clusters.enumerated() {
      try statement.execute(arguments: [
        source, cluster.name, ord, cluster.scheduler.rawValue, cluster.site,
        cluster.pricing.rawValue,
      ])
    }
  }

  private func insertNodes(_ state: FleetState, source: String, _ db: Database) throws {
    let statement = try db.cachedStatement(
      sql: """
        INSERT OR REPLACE INTO nodes (source, cluster, name, ord, rack, state, reason,
                                      state_since, power_w, sampled_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    for (ord, node) in state.nodes.enumerated() {
      let sample = state.nodeSamples[node.id]
      try statement.execute(arguments: [
        source, node.cluster, node.name, ord, node.rack, node.state.rawValue, node.reason,
        node.stateSince?.timeIntervalSince1970, sample?.powerW,
        sample?.time.timeIntervalSince1970,
      ])
    }
  }

  private func insertGPUs(_ state: FleetState, source: String, _ db: Database) throws {
    let statement = try db.cachedStatement(
      sql: """
        INSERT OR REPLACE INTO gpus (source, cluster, node, idx, ord, uuid, pci_bus_id,
          minor_number, model, vendor, tdp_w, idle_w, mem_total_mib, sampled_at, util_pct,
          sm_active_pct, mem_used_mib, power_w, temp_c, sm_clock_mhz, mem_clock_mhz, xid_last,
          xid_count, ecc_sbe, ecc_dbe)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    for (ord, gpu) in state.gpus.enumerated() {
      let s = state.gpuSamples[gpu.id]
      let values: [(any DatabaseValueConvertible)?] = [
        source, gpu.node.cluster, gpu.node.name, gpu.index, ord, gpu.uuid, gpu.pciBusID,
        gpu.minorNumber, gpu.model.name, gpu.model.vendor, gpu.model.tdpW, gpu.model.idleW,
        gpu.model.memoryMiB, s?.time.timeIntervalSince1970,
        s?.utilPct, s?.smActivePct, s?.memUsedMiB, s?.powerW, s?.tempC, s?.smClockMHz,
        s?.memClockMHz, s?.xidLast, s?.xidCount, s?.eccSingleBit, s?.eccDoubleBit,
      ]
      try statement.execute(arguments: StatementArguments(values))
    }
  }

  /// Which job holds which GPU, by place; a job holds GPUs of its own cluster only.
  private func insertPlacements(_ allocations: [GPUID: JobID], source: String, _ db: Database)
    throws
  {
    let statement = try db.cachedStatement(
      sql: """
        INSERT OR REPLACE INTO placements (source, cluster, node, idx, job_id)
        VALUES (?, ?, ?, ?, ?)
        """)
    for (gpu, job) in allocations.sorted(by: { $0.key < $1.key })
    where job.cluster == gpu.node.cluster {
      try statement.execute(arguments: [
        source, gpu.node.cluster, gpu.node.name, gpu.index, job.id,
      ])
    }
  }

  private func insertJobs(_ jobs: [Job], source: String, _ db: Database) throws {
    let statement = try db.cachedStatement(
      sql: """
        INSERT OR REPLACE INTO jobs (source, cluster, id, ord, name, user, team, kind, state,
                                     gpus, nodes, start)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    let encoder = JSONEncoder()
    for (ord, job) in jobs.enumerated() {
      let nodes = String(decoding: try encoder.encode(job.nodes), as: UTF8.self)
      try statement.execute(arguments: [
        source, job.cluster, job.id, ord, job.name, job.user, job.team, job.kind.rawValue,
        job.state.rawValue, job.gpus, nodes, job.start?.timeIntervalSince1970,
      ])
    }
  }
}
