import FleetModel
import Foundation
import GRDB

extension StateCache {
  /// Bumped by every write; a reader reloads only when it changed.
  public func generation() throws -> Int {
    try read { db in
      guard try hasSchema(db) else { return 0 }
      return try Int.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'generation'") ?? 0
    }
  }

  /// Everything the cache knows, joined over all sources, in one consistent read.
  public func fleetState() throws -> FleetState {
    FleetState(joining: try sourceStates())
  }

  /// What each source said, whole and apart, by source name: the join's input.
  public func sourceStates() throws -> [String: FleetState] {
    try read { db in
      guard try hasSchema(db) else { return [:] }
      var states: [String: FleetState] = [:]
      try readClusters(into: &states, db)
      try readNodes(into: &states, db)
      try readGPUs(into: &states, db)
      try readPlacements(into: &states, db)
      try readJobs(into: &states, db)
      try readMeters(into: &states, db)
      try readWorkloadCosts(into: &states, db)
      return states
    }
  }

  /// Every source's poll record, by name.
  public func sourceHealth() throws -> [SourceHealth] {
    try read { db in
      guard try hasSchema(db) else { return [] }
      return try Row.fetchAll(db, sql: "SELECT * FROM sources ORDER BY name").map { row in
        SourceHealth(
          name: row["name"], kind: row["kind"], intervalS: row["interval_s"],
          lastAttempt: date(row["last_attempt"]), lastSuccess: date(row["last_success"]),
          lastError: row["last_error"], pollDurationS: row["poll_duration_s"],
          tls: (row["tls"] as String?).flatMap(TLSVerification.init(rawValue:)))
      }
    }
  }

  /// One series at one resolution from `since` on, oldest first.
  public func series(
    entity: String, metric: String, resolution: SeriesResolution, since: Date
  ) throws -> [SeriesPoint] {
    try read { db in
      guard try hasSchema(db) else { return [] }
      return try Row.fetchAll(
        db,
        sql: """
          SELECT t, mean, min, max FROM \(resolution.table)
          WHERE entity = ? AND metric = ? AND t >= ? ORDER BY t
          """, arguments: [entity, metric, Int(since.timeIntervalSince1970)]
      ).map { row in
        SeriesPoint(
          entity: entity, metric: metric,
          time: Date(timeIntervalSince1970: TimeInterval(row["t"] as Int)),
          mean: row["mean"], min: row["min"], max: row["max"])
      }
    }
  }

  private func date(_ seconds: Double?) -> Date? {
    seconds.map(Date.init(timeIntervalSince1970:))
  }

  private func readClusters(into states: inout [String: FleetState], _ db: Database) throws {
    for row in try Row.fetchAll(db, sql: "SELECT * FROM clusters ORDER BY source, ord") {
      let scheduler: String = row["scheduler"]
      let pricing: String = row["pricing"]
      guard let schedulerKind = SchedulerKind(rawValue: scheduler),
        let pricingKind = PricingKind(rawValue: pricing)
      else {
        throw CacheError.unusable(
          path: path,
          reason: "cluster \(row["name"] as String) has scheduler \(scheduler) "
            + "and pricing \(pricing), which this factop does not know")
      }
      states[row["source"], default: FleetState()].clusters.append(
        Cluster(
          name: row["name"], scheduler: schedulerKind, site: row["site"], pricing: pricingKind))
    }
  }

  private func readNodes(into states: inout [String: FleetState], _ db: Database) throws {
    let rows = try Row.fetchCursor(db, sql: "SELECT * FROM nodes ORDER BY source, ord")
    while let row = try rows.next() {
      let node = Node(
        name: row["name"], cluster: row["cluster"], rack: row["rack"],
        state: NodeState(rawValue: row["state"]) ?? .unknown, reason: row["reason"],
        stateSince: date(row["state_since"]))
      let source: String = row["source"]
      states[source, default: FleetState()].nodes.append(node)
      if let time = date(row["sampled_at"]) {
        states[source]!.nodeSamples[node.id] = NodeSample(time: time, powerW: row["power_w"])
      }
    }
  }

  private func readGPUs(into states: inout [String: FleetState], _ db: Database) throws {
    var models: [String: GPUModel] = [:]
    let rows = try Row.fetchCursor(db, sql: "SELECT * FROM gpus ORDER BY source, ord")
    while let row = try rows.next() {
      let modelName: String = row["model"]
      let model =
        models[modelName]
        ?? GPUModel(
          name: modelName, vendor: row["vendor"], tdpW: row["tdp_w"], idleW: row["idle_w"],
          memoryMiB: row["mem_total_mib"])
      models[modelName] = model
      let node = NodeID(cluster: row["cluster"], name: row["node"])
      let gpu = GPU(
        uuid: row["uuid"], node: node, index: row["idx"], model: model,
        pciBusID: row["pci_bus_id"], minorNumber: row["minor_number"])
      let source: String = row["source"]
      states[source, default: FleetState()].gpus.append(gpu)
      if let time = date(row["sampled_at"]) {
        states[source]!.gpuSamples[gpu.id] = GPUSample(
          time: time, utilPct: row["util_pct"], smActivePct: row["sm_active_pct"],
          memUsedMiB: row["mem_used_mib"], powerW: row["power_w"], tempC: row["temp_c"],
          smClockMHz: row["sm_clock_mhz"], memClockMHz: row["mem_clock_mhz"],
          xidLast: row["xid_last"], xidCount: row["xid_count"], eccSingleBit: row["ecc_sbe"],
          eccDoubleBit: row["ecc_dbe"])
      }
    }
  }

  private func readPlacements(into states: inout [String: FleetState], _ db: Database) throws {
    let rows = try Row.fetchCursor(db, sql: "SELECT * FROM placements")
    while let row = try rows.next() {
      let node = NodeID(cluster: row["cluster"], name: row["node"])
      states[row["source"], default: FleetState()].allocations[
        GPUID(node: node, index: row["idx"])] =
        JobID(cluster: node.cluster, id: row["job_id"])
    }
  }

  private func readJobs(into states: inout [String: FleetState], _ db: Database) throws {
    let decoder = JSONDecoder()
    for row in try Row.fetchAll(db, sql: "SELECT * FROM jobs ORDER BY source, ord") {
      let nodes = (row["nodes"] as String).data(using: .utf8) ?? Data()
      let job = Job(
        id: row["id"], cluster: row["cluster"], name: row["name"], user: row["user"],
        team: row["team"], kind: JobKind(rawValue: row["kind"]) ?? .training,
        state: JobState(rawValue: row["state"]) ?? .unknown, gpus: row["gpus"],
        nodes: (try? decoder.decode([String].self, from: nodes)) ?? [],
        start: date(row["start"]))
      states[row["source"], default: FleetState()].jobs.append(job)
    }
  }
}

extension StateCache {
  /// Power meters; a node's BMC reading becomes its power.
  func readMeters(into states: inout [String: FleetState], _ db: Database) throws {
    guard try db.tableExists("meters") else { return }
    let rows = try Row.fetchAll(db, sql: "SELECT * FROM meters ORDER BY scope, target, t DESC")
    for row in rows {
      guard let scope = MeterReading.Scope(rawValue: row["scope"]) else { continue }
      states[row["source"], default: FleetState()].meters.append(
        MeterReading(
          scope: scope, target: row["target"], watts: row["watts"], via: row["via"],
          time: Date(timeIntervalSince1970: row["t"])))
    }
  }
}

extension StateCache {
  func readWorkloadCosts(into states: inout [String: FleetState], _ db: Database) throws {
    guard try db.tableExists("workload_costs") else { return }
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .secondsSince1970
    for row in try Row.fetchAll(
      db, sql: "SELECT source, cost FROM workload_costs ORDER BY source, ord")
    {
      if let cost = try? decoder.decode(WorkloadCost.self, from: Data((row["cost"] as String).utf8))
      {
        states[row["source"], default: FleetState()].workloadCosts.append(cost)
      }
    }
  }
}
