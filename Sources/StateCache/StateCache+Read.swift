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
      for record in try FabricPortRecord.order(FabricPortRecord.Columns.node).fetchAll(db) {
        states[record.source, default: FleetState()].fabric.append(record.port)
      }
      try readWorkloadCosts(into: &states, db)
      try readDeclared(into: &states, db)
      return states
    }
  }

  /// Every source's poll record, by name.
  public func sourceHealth() throws -> [SourceHealth] {
    try read { db in
      guard try hasSchema(db) else { return [] }
      return try SourceRecord.order(SourceRecord.Columns.name).fetchAll(db).map(\.health)
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

  /// Each source's rows of a table, in the order the source gave them.
  private func inOrder<Record: FetchableRecord & TableRecord>(_: Record.Type)
    -> QueryInterfaceRequest<Record>
  {
    Record.order(Column("source"), Column("ord"))
  }

  private func readClusters(into states: inout [String: FleetState], _ db: Database) throws {
    for record in try inOrder(ClusterRecord.self).fetchAll(db) {
      guard let cluster = record.cluster else {
        throw CacheError.unusable(
          path: path,
          reason: "cluster \(record.name) has scheduler \(record.scheduler) "
            + "and pricing \(record.pricing), which this factop does not know")
      }
      states[record.source, default: FleetState()].clusters.append(cluster)
    }
  }

  private func readNodes(into states: inout [String: FleetState], _ db: Database) throws {
    let records = try inOrder(NodeRecord.self).fetchCursor(db)
    while let record = try records.next() {
      states[record.source, default: FleetState()].nodes.append(record.node)
      if let sample = record.sample { states[record.source]!.nodeSamples[record.node.id] = sample }
    }
  }

  private func readGPUs(into states: inout [String: FleetState], _ db: Database) throws {
    let records = try inOrder(GPURecord.self).fetchCursor(db)
    while let record = try records.next() {
      states[record.source, default: FleetState()].gpus.append(record.gpu)
      if let sample = record.sample { states[record.source]!.gpuSamples[record.gpu.id] = sample }
    }
  }

  private func readPlacements(into states: inout [String: FleetState], _ db: Database) throws {
    let records = try PlacementRecord.fetchCursor(db)
    while let record = try records.next() {
      states[record.source, default: FleetState()].allocations[record.gpu] = record.job
    }
  }

  private func readJobs(into states: inout [String: FleetState], _ db: Database) throws {
    var nodes: [String: [JobID: [String]]] = [:]
    let order = [JobNodeRecord.Columns.source, JobNodeRecord.Columns.ord]
    for record in try JobNodeRecord.order(order).fetchAll(db) {
      nodes[record.source, default: [:]][record.job, default: []].append(record.node)
    }
    for record in try inOrder(JobRecord.self).fetchAll(db) {
      var job = record.job
      job.nodes = nodes[record.source]?[job.key] ?? []
      states[record.source, default: FleetState()].jobs.append(job)
    }
  }
}

extension StateCache {
  /// Power meters; a node's BMC reading becomes its power.
  func readMeters(into states: inout [String: FleetState], _ db: Database) throws {
    let columns = MeterRecord.Columns.self
    let request = MeterRecord.order(columns.scope, columns.target, columns.time.desc)
    for record in try request.fetchAll(db) {
      guard let meter = record.meter else { continue }
      states[record.source, default: FleetState()].meters.append(meter)
    }
  }

  func readWorkloadCosts(into states: inout [String: FleetState], _ db: Database) throws {
    for record in try inOrder(WorkloadCostRecord.self).fetchAll(db) {
      states[record.source, default: FleetState()].workloadCosts.append(record.cost)
    }
  }

  func readDeclared(into states: inout [String: FleetState], _ db: Database) throws {
    var names: [String: [Int: [String]]] = [:]
    let columns = DeclaredNameRecord.Columns.self
    for record in try DeclaredNameRecord.order(columns.source, columns.instance, columns.ord)
      .fetchAll(db)
    {
      names[record.source, default: [:]][record.instance, default: []].append(record.name)
    }
    for record in try inOrder(DeclaredInstanceRecord.self).fetchAll(db) {
      var instance = record.instance
      instance.names = names[record.source]?[record.ord] ?? []
      states[record.source, default: FleetState()].declaredInstances.append(instance)
    }
  }
}
