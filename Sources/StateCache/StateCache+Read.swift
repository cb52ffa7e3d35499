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

  /// Everything the cache knows, merged over all sources, in one consistent read.
  public func fleetState() throws -> FleetState {
    try read { db in
      guard try hasSchema(db) else { return FleetState() }
      var state = FleetState()
      state.clusters = try readClusters(db)
      try readNodes(into: &state, db)
      try readGPUs(into: &state, db)
      state.jobs = try readJobs(db)
      try readMeters(into: &state, db)
      try readWorkloadCosts(into: &state, db)
      return state.reconciled()
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

  private func readClusters(_ db: Database) throws -> [Cluster] {
    try Row.fetchAll(db, sql: "SELECT * FROM clusters ORDER BY source, ord").map { row in
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
      return Cluster(
        name: row["name"], scheduler: schedulerKind, site: row["site"], pricing: pricingKind)
    }
  }

  private func readNodes(into state: inout FleetState, _ db: Database) throws {
    let rows = try Row.fetchCursor(db, sql: "SELECT * FROM nodes ORDER BY source, ord")
    while let row = try rows.next() {
      let name: String = row["name"]
      state.nodes.append(
        Node(
          name: name, cluster: row["cluster"], rack: row["rack"],
          state: NodeState(rawValue: row["state"]) ?? .unknown, reason: row["reason"],
          stateSince: date(row["state_since"])))
      if let time = date(row["sampled_at"]) {
        state.nodeSamples[name] = NodeSample(time: time, powerW: row["power_w"])
      }
    }
  }

  private func readGPUs(into state: inout FleetState, _ db: Database) throws {
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
      let uuid: String = row["uuid"]
      state.gpus.append(GPU(uuid: uuid, node: row["node"], index: row["idx"], model: model))
      if let job: String = row["job_id"] { state.allocations[uuid] = job }
      if let time = date(row["sampled_at"]) {
        state.gpuSamples[uuid] = GPUSample(
          time: time, utilPct: row["util_pct"], smActivePct: row["sm_active_pct"],
          memUsedMiB: row["mem_used_mib"], powerW: row["power_w"], tempC: row["temp_c"],
          smClockMHz: row["sm_clock_mhz"], memClockMHz: row["mem_clock_mhz"],
          xidLast: row["xid_last"], xidCount: row["xid_count"], eccSingleBit: row["ecc_sbe"],
          eccDoubleBit: row["ecc_dbe"])
      }
    }
  }

  private func readJobs(_ db: Database) throws -> [Job] {
    let decoder = JSONDecoder()
    return try Row.fetchAll(db, sql: "SELECT * FROM jobs ORDER BY source, ord").map { row in
      let nodes = (row["nodes"] as String).data(using: .utf8) ?? Data()
      return Job(
        id: row["id"], cluster: row["cluster"], name: row["name"], user: row["user"],
        team: row["team"], kind: JobKind(rawValue: row["kind"]) ?? .training,
        state: JobState(rawValue: row["state"]) ?? .unknown, gpus: row["gpus"],
        nodes: (try? decoder.decode([String].self, from: nodes)) ?? [],
        start: date(row["start"]))
    }
  }
}

extension StateCache {
  /// Power meters; a node's BMC reading becomes its power.
  func readMeters(into state: inout FleetState, _ db: Database) throws {
    guard try db.tableExists("meters") else { return }
    state.meters = try Row.fetchAll(db, sql: "SELECT * FROM meters ORDER BY scope, target, t DESC")
      .compactMap { row in
        guard let scope = MeterReading.Scope(rawValue: row["scope"]) else { return nil }
        return MeterReading(
          scope: scope, target: row["target"], watts: row["watts"], via: row["via"],
          time: Date(timeIntervalSince1970: row["t"]))
      }
    state.applyNodeMeters()
  }
}

extension StateCache {
  func readWorkloadCosts(into state: inout FleetState, _ db: Database) throws {
    guard try db.tableExists("workload_costs") else { return }
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .secondsSince1970
    state.workloadCosts = try String.fetchAll(
      db, sql: "SELECT cost FROM workload_costs ORDER BY source, ord"
    ).compactMap { try? decoder.decode(WorkloadCost.self, from: Data($0.utf8)) }
  }
}
