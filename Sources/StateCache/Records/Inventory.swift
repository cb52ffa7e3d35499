import FleetModel
import Foundation
import GRDB

// The inventory tables, one record type each. Every row is keyed by the source that said it, so
// sources never overwrite each other; `ord` keeps each source's own order.

/// A row of `clusters`.
struct ClusterRecord: CacheRecord {
  static let databaseTableName = "clusters"
  enum Columns {
    static let source = Column("source")
    static let name = Column("name")
    static let ord = Column("ord")
    static let scheduler = Column("scheduler")
    static let site = Column("site")
    static let pricing = Column("pricing")
  }

  var source: String
  var ord: Int
  var name: String
  /// Kept as written: a cluster of a kind this factop does not know is an error when read.
  var scheduler: String
  var site: String
  var pricing: String

  init(_ cluster: Cluster, source: String, ord: Int) {
    self.source = source
    self.ord = ord
    name = cluster.name
    scheduler = cluster.scheduler.rawValue
    site = cluster.site
    pricing = cluster.pricing.rawValue
  }

  init(row: Row) {
    source = row[Columns.source]
    ord = row[Columns.ord]
    name = row[Columns.name]
    scheduler = row[Columns.scheduler]
    site = row[Columns.site]
    pricing = row[Columns.pricing]
  }

  static let columns = [
    Columns.source, Columns.name, Columns.ord, Columns.scheduler, Columns.site, Columns.pricing,
  ]

  var values: [(any DatabaseValueConvertible)?] {
    [
      source,
      name,
      ord,
      scheduler,
      site,
      pricing,
    ]
  }

  /// The cluster, or nil when its scheduler or pricing is one this factop does not know.
  var cluster: Cluster? {
    guard let scheduler = SchedulerKind(rawValue: scheduler),
      let pricing = PricingKind(rawValue: pricing)
    else { return nil }
    return Cluster(name: name, scheduler: scheduler, site: site, pricing: pricing)
  }
}

/// A row of `nodes`: a node with its latest power reading.
struct NodeRecord: CacheRecord {
  static let databaseTableName = "nodes"
  enum Columns {
    static let source = Column("source")
    static let cluster = Column("cluster")
    static let name = Column("name")
    static let ord = Column("ord")
    static let rack = Column("rack")
    static let state = Column("state")
    static let reason = Column("reason")
    static let stateSince = Column("state_since")
    static let powerW = Column("power_w")
    static let sampledAt = Column("sampled_at")
  }

  var source: String
  var ord: Int
  var node: Node
  var sample: NodeSample?

  init(_ node: Node, sample: NodeSample?, source: String, ord: Int) {
    self.source = source
    self.ord = ord
    self.node = node
    self.sample = sample
  }

  init(row: Row) {
    source = row[Columns.source]
    ord = row[Columns.ord]
    node = Node(
      name: row[Columns.name], cluster: row[Columns.cluster], rack: row[Columns.rack],
      state: NodeState(rawValue: row[Columns.state]) ?? .unknown, reason: row[Columns.reason],
      stateSince: Date(seconds: row[Columns.stateSince]))
    sample = Date(seconds: row[Columns.sampledAt]).map {
      NodeSample(time: $0, powerW: row[Columns.powerW])
    }
  }

  static let columns = [
    Columns.source, Columns.cluster, Columns.name, Columns.ord, Columns.rack, Columns.state,
    Columns.reason, Columns.stateSince, Columns.powerW, Columns.sampledAt,
  ]

  var values: [(any DatabaseValueConvertible)?] {
    [
      source,
      node.cluster,
      node.name,
      ord,
      node.rack,
      node.state.rawValue,
      node.reason,
      node.stateSince?.timeIntervalSince1970,
      sample?.powerW,
      sample?.time.timeIntervalSince1970,
    ]
  }
}

/// A row of `gpus`: a GPU, found by its place (cluster, node, index), with its latest reading.
struct GPURecord: CacheRecord {
  static let databaseTableName = "gpus"
  enum Columns {
    static let source = Column("source")
    static let cluster = Column("cluster")
    static let node = Column("node")
    static let index = Column("idx")
    static let ord = Column("ord")
    static let uuid = Column("uuid")
    static let pciBusID = Column("pci_bus_id")
    static let minorNumber = Column("minor_number")
    static let model = Column("model")
    static let vendor = Column("vendor")
    static let tdpW = Column("tdp_w")
    static let idleW = Column("idle_w")
    static let memoryMiB = Column("mem_total_mib")
    static let sampledAt = Column("sampled_at")
    static let utilPct = Column("util_pct")
    static let smActivePct = Column("sm_active_pct")
    static let memUsedMiB = Column("mem_used_mib")
    static let powerW = Column("power_w")
    static let tempC = Column("temp_c")
    static let smClockMHz = Column("sm_clock_mhz")
    static let memClockMHz = Column("mem_clock_mhz")
    static let xidLast = Column("xid_last")
    static let xidCount = Column("xid_count")
    static let eccSingleBit = Column("ecc_sbe")
    static let eccDoubleBit = Column("ecc_dbe")
    static let rowRemapFailure = Column("row_remap_failure")
    static let nvlinkErrors = Column("nvlink_errors")
    static let nvlinkErrorsPerS = Column("nvlink_errors_per_s")
  }

  var source: String
  var ord: Int
  var gpu: GPU
  var sample: GPUSample?

  init(_ gpu: GPU, sample: GPUSample?, source: String, ord: Int) {
    self.source = source
    self.ord = ord
    self.gpu = gpu
    self.sample = sample
  }

  init(row: Row) {
    source = row[Columns.source]
    ord = row[Columns.ord]
    let model = GPUModel(
      name: row[Columns.model], vendor: row[Columns.vendor], tdpW: row[Columns.tdpW],
      idleW: row[Columns.idleW], memoryMiB: row[Columns.memoryMiB])
    gpu = GPU(
      uuid: row[Columns.uuid], node: NodeID(cluster: row[Columns.cluster], name: row[Columns.node]),
      index: row[Columns.index], model: model, pciBusID: row[Columns.pciBusID],
      minorNumber: row[Columns.minorNumber])
    sample = Date(seconds: row[Columns.sampledAt]).map {
      GPUSample(
        time: $0, utilPct: row[Columns.utilPct], smActivePct: row[Columns.smActivePct],
        memUsedMiB: row[Columns.memUsedMiB], powerW: row[Columns.powerW],
        tempC: row[Columns.tempC], smClockMHz: row[Columns.smClockMHz],
        memClockMHz: row[Columns.memClockMHz], xidLast: row[Columns.xidLast],
        xidCount: row[Columns.xidCount], eccSingleBit: row[Columns.eccSingleBit],
        eccDoubleBit: row[Columns.eccDoubleBit], rowRemapFailure: row[Columns.rowRemapFailure],
        nvlinkErrors: row[Columns.nvlinkErrors],
        nvlinkErrorsPerS: row[Columns.nvlinkErrorsPerS])
    }
  }

  static let columns = [
    Columns.source, Columns.cluster, Columns.node, Columns.index, Columns.ord, Columns.uuid,
    Columns.pciBusID, Columns.minorNumber, Columns.model, Columns.vendor, Columns.tdpW,
    Columns.idleW, Columns.memoryMiB, Columns.sampledAt, Columns.utilPct, Columns.smActivePct,
    Columns.memUsedMiB, Columns.powerW, Columns.tempC, Columns.smClockMHz, Columns.memClockMHz,
    Columns.xidLast, Columns.xidCount, Columns.eccSingleBit, Columns.eccDoubleBit,
    Columns.rowRemapFailure, Columns.nvlinkErrors, Columns.nvlinkErrorsPerS,
  ]

  var values: [(any DatabaseValueConvertible)?] {
    [
      source,
      gpu.node.cluster,
      gpu.node.name,
      gpu.index,
      ord,
      gpu.uuid,
      gpu.pciBusID,
      gpu.minorNumber,
      gpu.model.name,
      gpu.model.vendor,
      gpu.model.tdpW,
      gpu.model.idleW,
      gpu.model.memoryMiB,
      sample?.time.timeIntervalSince1970,
      sample?.utilPct,
      sample?.smActivePct,
      sample?.memUsedMiB,
      sample?.powerW,
      sample?.tempC,
      sample?.smClockMHz,
      sample?.memClockMHz,
      sample?.xidLast,
      sample?.xidCount,
      sample?.eccSingleBit,
      sample?.eccDoubleBit,
      sample?.rowRemapFailure,
      sample?.nvlinkErrors,
      sample?.nvlinkErrorsPerS,
    ]
  }
}

/// A row of `placements`: which job holds the GPU at a place. A job holds GPUs of its own
/// cluster only, so the job's cluster is the GPU's.
struct PlacementRecord: CacheRecord {
  static let databaseTableName = "placements"
  enum Columns {
    static let source = Column("source")
    static let cluster = Column("cluster")
    static let node = Column("node")
    static let index = Column("idx")
    static let jobID = Column("job_id")
  }

  var source: String
  var gpu: GPUID
  var jobID: String

  init(gpu: GPUID, job: String, source: String) {
    self.source = source
    self.gpu = gpu
    self.jobID = job
  }

  init(row: Row) {
    source = row[Columns.source]
    gpu = GPUID(
      node: NodeID(cluster: row[Columns.cluster], name: row[Columns.node]),
      index: row[Columns.index])
    jobID = row[Columns.jobID]
  }

  static let columns = [
    Columns.source, Columns.cluster, Columns.node, Columns.index, Columns.jobID,
  ]

  var values: [(any DatabaseValueConvertible)?] {
    [
      source,
      gpu.node.cluster,
      gpu.node.name,
      gpu.index,
      jobID,
    ]
  }

  var job: JobID { JobID(cluster: gpu.node.cluster, id: jobID) }
}

extension Date {
  /// A date stored as seconds since 1970 (every time in the cache is), or nil.
  init?(seconds: Double?) {
    guard let seconds else { return nil }
    self.init(timeIntervalSince1970: seconds)
  }
}
