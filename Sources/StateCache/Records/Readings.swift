import FleetModel
import Foundation
import GRDB

/// A row of `meters`: a BMC's or a PDU's reading, by the source that read it.
struct MeterRecord: CacheRecord {
  static let databaseTableName = "meters"
  enum Columns {
    static let source = Column("source")
    static let scope = Column("scope")
    static let target = Column("target")
    static let watts = Column("watts")
    static let via = Column("via")
    static let time = Column("t")
  }

  var source: String
  /// Nil for a scope this factop does not know (a newer one wrote it): skipped when read.
  var meter: MeterReading?

  init(_ meter: MeterReading, source: String) {
    self.source = source
    self.meter = meter
  }

  init(row: Row) {
    source = row[Columns.source]
    meter = MeterReading.Scope(rawValue: row[Columns.scope]).map {
      MeterReading(
        scope: $0, target: row[Columns.target], watts: row[Columns.watts], via: row[Columns.via],
        time: Date(timeIntervalSince1970: row[Columns.time]))
    }
  }

  static let columns = [
    Columns.source, Columns.scope, Columns.target, Columns.watts, Columns.via, Columns.time,
  ]

  var values: [(any DatabaseValueConvertible)?] {
    [
      source,
      meter?.scope.rawValue,
      meter?.target,
      meter?.watts,
      meter?.via,
      meter?.time.timeIntervalSince1970,
    ]
  }
}

/// A row of `workload_costs`: what OpenCost says one workload cost over a window.
struct WorkloadCostRecord: CacheRecord {
  static let databaseTableName = "workload_costs"
  enum Columns {
    static let source = Column("source")
    static let ord = Column("ord")
    static let name = Column("name")
    static let cluster = Column("cluster")
    static let namespace = Column("namespace")
    static let controller = Column("controller")
    static let pod = Column("pod")
    static let windowStart = Column("window_start")
    static let windowEnd = Column("window_end")
    static let gpuHours = Column("gpu_hours")
    static let gpuCost = Column("gpu_cost")
    static let totalCost = Column("total_cost")
  }

  var source: String
  var ord: Int
  var cost: WorkloadCost

  init(_ cost: WorkloadCost, source: String, ord: Int) {
    self.source = source
    self.ord = ord
    self.cost = cost
  }

  init(row: Row) {
    source = row[Columns.source]
    ord = row[Columns.ord]
    cost = WorkloadCost(
      name: row[Columns.name], cluster: row[Columns.cluster], namespace: row[Columns.namespace],
      controller: row[Columns.controller], pod: row[Columns.pod],
      start: Date(timeIntervalSince1970: row[Columns.windowStart]),
      end: Date(timeIntervalSince1970: row[Columns.windowEnd]), gpuHours: row[Columns.gpuHours],
      gpuCost: row[Columns.gpuCost], totalCost: row[Columns.totalCost])
  }

  static let columns = [
    Columns.source, Columns.ord, Columns.name, Columns.cluster, Columns.namespace,
    Columns.controller, Columns.pod, Columns.windowStart, Columns.windowEnd, Columns.gpuHours,
    Columns.gpuCost, Columns.totalCost,
  ]

  var values: [(any DatabaseValueConvertible)?] {
    [
      source,
      ord,
      cost.name,
      cost.cluster,
      cost.namespace,
      cost.controller,
      cost.pod,
      cost.start.timeIntervalSince1970,
      cost.end.timeIntervalSince1970,
      cost.gpuHours,
      cost.gpuCost,
      cost.totalCost,
    ]
  }
}

/// A row of `sources`: one source's poll record.
struct SourceRecord: CacheRecord {
  static let databaseTableName = "sources"
  enum Columns {
    static let name = Column("name")
    static let kind = Column("kind")
    static let intervalS = Column("interval_s")
    static let lastAttempt = Column("last_attempt")
    static let lastSuccess = Column("last_success")
    static let lastError = Column("last_error")
    static let pollDurationS = Column("poll_duration_s")
    static let tls = Column("tls")
  }

  var health: SourceHealth

  init(_ health: SourceHealth) { self.health = health }

  init(row: Row) {
    health = SourceHealth(
      name: row[Columns.name], kind: row[Columns.kind], intervalS: row[Columns.intervalS],
      lastAttempt: Date(seconds: row[Columns.lastAttempt]),
      lastSuccess: Date(seconds: row[Columns.lastSuccess]), lastError: row[Columns.lastError],
      pollDurationS: row[Columns.pollDurationS],
      tls: (row[Columns.tls] as String?).flatMap(TLSVerification.init(rawValue:)))
  }

  static let columns = [
    Columns.name, Columns.kind, Columns.intervalS, Columns.lastAttempt, Columns.lastSuccess,
    Columns.lastError, Columns.pollDurationS, Columns.tls,
  ]

  var values: [(any DatabaseValueConvertible)?] {
    [
      health.name,
      health.kind,
      health.intervalS,
      health.lastAttempt?.timeIntervalSince1970,
      health.lastSuccess?.timeIntervalSince1970,
      health.lastError,
      health.pollDurationS,
      health.tls?.rawValue,
    ]
  }
}

/// A row of `fabric_ports`: one InfiniBand port of a node, by the source that read it.
struct FabricPortRecord: CacheRecord {
  static let databaseTableName = "fabric_ports"
  enum Columns {
    static let source = Column("source")
    static let node = Column("node")
    static let cluster = Column("cluster")
    static let device = Column("device")
    static let port = Column("port")
    static let stateID = Column("state_id")
    static let physicalStateID = Column("physical_state_id")
    static let rate = Column("rate_bytes_per_s")
    static let received = Column("received_bytes_per_s")
    static let transmitted = Column("transmitted_bytes_per_s")
    static let linkDownedTotal = Column("link_downed_total")
    static let linkDownedNew = Column("link_downed_new")
    static let receiveErrors = Column("receive_errors_total")
    static let symbolErrors = Column("symbol_errors_total")
    static let linkErrorRecovery = Column("link_error_recovery_total")
    static let errorsPerS = Column("errors_per_s")
    static let time = Column("t")
  }

  var source: String
  var port: FabricPort

  init(_ port: FabricPort, source: String) {
    self.source = source
    self.port = port
  }

  init(row: Row) {
    source = row[Columns.source]
    port = FabricPort(
      node: row[Columns.node],
      nodeID: (row[Columns.cluster] as String?).map {
        NodeID(cluster: $0, name: row[Columns.node])
      },
      device: row[Columns.device], port: row[Columns.port],
      stateID: row[Columns.stateID], physicalStateID: row[Columns.physicalStateID],
      rateBytesPerS: row[Columns.rate], receivedBytesPerS: row[Columns.received],
      transmittedBytesPerS: row[Columns.transmitted], linkDownedTotal: row[Columns.linkDownedTotal],
      linkDownedNew: row[Columns.linkDownedNew], receiveErrorsTotal: row[Columns.receiveErrors],
      symbolErrorsTotal: row[Columns.symbolErrors],
      linkErrorRecoveryTotal: row[Columns.linkErrorRecovery], errorsPerS: row[Columns.errorsPerS],
      time: Date(timeIntervalSince1970: row[Columns.time]))
  }

  static let columns = [
    Columns.source, Columns.node, Columns.cluster, Columns.device, Columns.port, Columns.stateID,
    Columns.physicalStateID, Columns.rate, Columns.received, Columns.transmitted,
    Columns.linkDownedTotal, Columns.linkDownedNew, Columns.receiveErrors, Columns.symbolErrors,
    Columns.linkErrorRecovery, Columns.errorsPerS, Columns.time,
  ]

  var values: [(any DatabaseValueConvertible)?] {
    [
      source, port.node, port.nodeID?.cluster, port.device, port.port, port.stateID,
      port.physicalStateID,
      port.rateBytesPerS, port.receivedBytesPerS, port.transmittedBytesPerS,
      port.linkDownedTotal, port.linkDownedNew, port.receiveErrorsTotal, port.symbolErrorsTotal,
      port.linkErrorRecoveryTotal, port.errorsPerS, port.time.timeIntervalSince1970,
    ]
  }
}
