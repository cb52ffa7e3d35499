import FleetModel
import Foundation

/// The snapshot contract (schema version 1): what `factop snapshot --format json` prints and
/// scripts rely on. Documented in docs/snapshot-schema.md and pinned by docs/snapshot-schema.json.
/// Keys carry units, unknown values are `null`, arrays keep the cache's stable order.
public struct Snapshot: Encodable, Sendable, Equatable {
  public static let schemaVersion = 1

  public let schemaVersion: Int
  /// The factop release that wrote it (`factop --version`).
  public let factopVersion: String
  public let generatedAt: Date
  public let sources: [Source]
  public let fleet: Fleet
  public let clusters: [ClusterEntry]
  public let nodes: [NodeEntry]
  public let gpus: [GPUEntry]
  public let jobs: [JobEntry]
  /// Spend per team (run-rate and month to date); idle capacity is the team `(unallocated)`.
  public let teams: [TeamEntry]
  /// The savings finder's ranked opportunities (as `factop savings` prints them).
  public let savings: [Opportunity]
  /// What the finder raised over time: open now, and found, realized and moved per month.
  public let ledger: LedgerSummary
  /// Failures as they happened, each priced with its assumptions; what they cost in the last
  /// day and week; the nodes to repair first; the failure rate the fleet showed.
  public let incidents: IncidentSummary
  /// Each running training job's ETTR over the last day beside the model's, and the GPU-hours
  /// and dollars each team and cluster lost to failures and stalls.
  public let goodput: GoodputSummary
  /// Imported bills (FOCUS) added up; null until one is imported.
  @Null public var billing: BillingSummary?
  /// What OpenCost says workloads cost (live or imported); null until it has said anything.
  @Null public var opencost: WorkloadCostSummary?
  /// The power chain: facility, IT, nodes, GPUs, what no node accounts for, and the PDUs.
  public let power: Power
  /// What the join of the sources could not match or had to choose between.
  public let joinFindings: [JoinFindingEntry]
  /// Every InfiniBand port node exporter reports, by node.
  public let fabric: [FabricEntry]

  enum CodingKeys: String, CodingKey {
    case schemaVersion = "schema_version"
    case factopVersion = "factop_version"
    case generatedAt = "generated_at"
    case sources, fleet, clusters, nodes, gpus, jobs, teams, savings, ledger, billing, power
    case opencost, fabric, incidents, goodput
    case joinFindings = "join_findings"
  }

  /// One InfiniBand port: its state, speed, traffic between the last two scrapes and its error
  /// counters (null where the port keeps none); `flapping` when its link went down since the
  /// scrape before.
  public struct FabricEntry: Encodable, Sendable, Equatable {
    /// The node's cluster, or null where its name matched no node or several.
    @Null public var cluster: String?
    public let node: String
    public let device: String
    public let port: String
    @Null public var state: String?
    @Null public var physicalState: String?
    @Null public var rateBytesPerS: Double?
    @Null public var receivedBytesPerS: Double?
    @Null public var transmittedBytesPerS: Double?
    @Null public var linkDownedTotal: Double?
    @Null public var linkDownedNew: Double?
    @Null public var receiveErrorsTotal: Double?
    @Null public var symbolErrorsTotal: Double?
    @Null public var linkErrorRecoveryTotal: Double?
    /// Receive, symbol and recovery errors per second between the last two scrapes.
    @Null public var errorsPerS: Double?
    public let flapping: Bool

    init(_ port: FabricPort) {
      cluster = port.nodeID?.cluster
      node = port.nodeID?.name ?? port.node
      device = port.device
      self.port = port.port
      state = port.state
      physicalState = port.physicalState
      rateBytesPerS = port.rateBytesPerS
      receivedBytesPerS = port.receivedBytesPerS.map { $0.rounded(toPlaces: 1) }
      transmittedBytesPerS = port.transmittedBytesPerS.map { $0.rounded(toPlaces: 1) }
      linkDownedTotal = port.linkDownedTotal
      linkDownedNew = port.linkDownedNew
      receiveErrorsTotal = port.receiveErrorsTotal
      symbolErrorsTotal = port.symbolErrorsTotal
      errorsPerS = port.errorsPerS.map { $0.rounded(toPlaces: 3) }
      linkErrorRecoveryTotal = port.linkErrorRecoveryTotal
      flapping = port.isFlapping
    }

    enum CodingKeys: String, CodingKey {
      case cluster, node, device, port, state, flapping
      case physicalState = "physical_state"
      case rateBytesPerS = "rate_bytes_per_s"
      case receivedBytesPerS = "received_bytes_per_s"
      case transmittedBytesPerS = "transmitted_bytes_per_s"
      case linkDownedTotal = "link_downed_total"
      case linkDownedNew = "link_downed_new"
      case receiveErrorsTotal = "receive_errors_total"
      case symbolErrorsTotal = "symbol_errors_total"
      case linkErrorRecoveryTotal = "link_error_recovery_total"
      case errorsPerS = "errors_per_s"
    }
  }

  /// One finding of the join: `unmatched_node`, `shared_uuid`, `unmatched_meter` or
  /// `ambiguous_meter`, in words.
  public struct JoinFindingEntry: Encodable, Sendable, Equatable {
    public let kind: String
    public let detail: String
  }

  /// The power chain added up (see `PowerRollup`); unknown is null.
  public struct Power: Encodable, Sendable, Equatable {
    public struct PDU: Encodable, Sendable, Equatable {
      public struct Outlet: Encodable, Sendable, Equatable {
        public let id: String
        public let powerW: Double
        enum CodingKeys: String, CodingKey {
          case id
          case powerW = "power_w"
        }
      }
      /// The rack it feeds, `CLUSTER/RACK`.
      public let name: String
      public let powerW: Double
      public let via: String
      public let outlets: [Outlet]
      enum CodingKeys: String, CodingKey {
        case name, via, outlets
        case powerW = "power_w"
      }
    }
    /// A meter source in use: what it measures and which resource answered.
    public struct MeterSource: Encodable, Sendable, Equatable {
      public let scope: String
      public let via: String
      public let readings: Int
    }

    @Null public var facilityW: Double?
    @Null public var itW: Double?
    /// What BMCs read for their nodes (whole nodes).
    @Null public var nodeW: Double?
    @Null public var gpuW: Double?
    /// PDU readings less the IT power of their racks' nodes.
    @Null public var unattributedW: Double?
    /// Facility ÷ IT power over the fleet.
    @Null public var pue: Double?
    public let nodesGPUAboveBMC: [String]
    /// Racks whose nodes add up to more than their PDU reads.
    public let racksNodesAbovePDU: [String]
    public let pdus: [PDU]
    public let sources: [MeterSource]

    enum CodingKeys: String, CodingKey {
      case pue, pdus, sources
      case facilityW = "facility_w"
      case itW = "it_w"
      case nodeW = "node_w"
      case gpuW = "gpu_w"
      case unattributedW = "unattributed_w"
      case nodesGPUAboveBMC = "nodes_gpu_above_bmc"
      case racksNodesAbovePDU = "racks_nodes_above_pdu"
    }
  }

  /// Figures only the cache's history can give.
  public struct Source: Encodable, Sendable, Equatable {
    public let name: String
    public let kind: String
    public let status: SourceStatus
    @Null public var ageS: Double?
    @Null public var error: String?
    /// `verified`, `unverified` (insecure_skip_verify), or null for a source without TLS.
    @Null public var tls: TLSVerification?

    enum CodingKeys: String, CodingKey {
      case name, kind, status, error, tls
      case ageS = "age_s"
    }
  }

  /// The fleet's figures. Its counts are null until a source has answered: before the first
  /// poll factop does not know the fleet has no GPUs, so it never says 0.
  public struct Fleet: Encodable, Sendable, Equatable {
    @Null public var clusters: Int?
    @Null public var nodesTotal: Int?
    @Null public var nodesByState: [String: Int]?
    @Null public var gpusTotal: Int?
    @Null public var gpusAllocated: Int?
    @Null public var gpusBusy: Int?
    @Null public var gpusIdleAllocated: Int?
    @Null public var capacity: Capacity?
    @Null public var utilMeanPct: Double?
    @Null public var utilSignal: String?
    @Null public var powerW: Double?
    @Null public var costUSDPerHour: Double?
    @Null public var spendMTDUSD: Double?
    /// The first hour month-to-date spend covers (factop only knows what it watched).
    @Null public var spendMTDSince: Date?
    /// GPU-hours held by jobs but idle over the last 24 hours.
    @Null public var idleAllocatedGPUHours24h: Double?

    enum CodingKeys: String, CodingKey {
      case spendMTDUSD = "spend_mtd_usd"
      case spendMTDSince = "spend_mtd_since"
      case idleAllocatedGPUHours24h = "gpu_hours_idle_allocated_24h"
      case clusters
      case nodesTotal = "nodes_total"
      case nodesByState = "nodes_by_state"
      case gpusTotal = "gpus_total"
      case gpusAllocated = "gpus_allocated"
      case gpusBusy = "gpus_busy"
      case gpusIdleAllocated = "gpus_idle_allocated"
      case capacity
      case utilMeanPct = "util_mean_pct"
      case utilSignal = "util_signal"
      case powerW = "power_w"
      case costUSDPerHour = "cost_usd_per_h"
    }
  }

  public struct ClusterEntry: Encodable, Sendable, Equatable {
    public let name: String
    public let scheduler: String
    public let site: String
    public let pricing: String
    public let nodesTotal: Int
    public let gpusTotal: Int
    public let gpusAllocated: Int
    public let gpusBusy: Int
    public let gpusIdleAllocated: Int
    public let capacity: Capacity
    @Null public var utilMeanPct: Double?
    @Null public var powerW: Double?
    @Null public var costUSDPerHour: Double?
    @Null public var spendMTDUSD: Double?

    enum CodingKeys: String, CodingKey {
      case spendMTDUSD = "spend_mtd_usd"
      case name, scheduler, site, pricing, capacity
      case nodesTotal = "nodes_total"
      case gpusTotal = "gpus_total"
      case gpusAllocated = "gpus_allocated"
      case gpusBusy = "gpus_busy"
      case gpusIdleAllocated = "gpus_idle_allocated"
      case utilMeanPct = "util_mean_pct"
      case powerW = "power_w"
      case costUSDPerHour = "cost_usd_per_h"
    }
  }

  /// Free capacity against waiting demand (see `CapacityAnalysis`).
  public struct Capacity: Encodable, Sendable, Equatable {
    public let gpusFree: Int
    public let gpusPending: Int
    public let gpusStranded: Int
    public let gpusFragmented: Int

    init(_ analysis: CapacityAnalysis) {
      gpusFree = analysis.gpusFree
      gpusPending = analysis.gpusPending
      gpusStranded = analysis.gpusStranded
      gpusFragmented = analysis.gpusFragmented
    }

    enum CodingKeys: String, CodingKey {
      case gpusFree = "gpus_free"
      case gpusPending = "gpus_pending"
      case gpusStranded = "gpus_stranded"
      case gpusFragmented = "gpus_fragmented"
    }
  }

  public struct NodeEntry: Encodable, Sendable, Equatable {
    public let name: String
    public let cluster: String
    public let rack: String
    public let state: NodeState
    @Null public var reason: String?
    public let gpusTotal: Int
    public let gpusAllocated: Int
    @Null public var powerW: Double?

    enum CodingKeys: String, CodingKey {
      case name, cluster, rack, state, reason
      case gpusTotal = "gpus_total"
      case gpusAllocated = "gpus_allocated"
      case powerW = "power_w"
    }
  }

  public struct GPUEntry: Encodable, Sendable, Equatable {
    /// Null for a GPU a scheduler counts that no telemetry has named.
    @Null public var uuid: String?
    public let cluster: String
    public let node: String
    /// The NVML index (a scheduler's device index where only a scheduler sees the GPU).
    public let index: Int
    @Null public var pciBusID: String?
    public let model: String
    @Null public var job: String?
    @Null public var utilPct: Double?
    @Null public var smActivePct: Double?
    @Null public var memUsedMiB: Double?
    public let memTotalMiB: Int
    @Null public var powerW: Double?
    @Null public var tempC: Double?
    /// NVLink CRC, replay and recovery errors per second over the last 5 minutes; null where
    /// the exporter does not export the counters.
    @Null public var nvlinkErrorsPerS: Double?

    enum CodingKeys: String, CodingKey {
      case uuid, cluster, node, index, model, job
      case pciBusID = "pci_bus_id"
      case utilPct = "util_pct"
      case smActivePct = "sm_active_pct"
      case memUsedMiB = "mem_used_mib"
      case memTotalMiB = "mem_total_mib"
      case powerW = "power_w"
      case tempC = "temp_c"
      case nvlinkErrorsPerS = "nvlink_errors_per_s"
    }
  }

  public struct JobEntry: Encodable, Sendable, Equatable {
    public let id: String
    public let cluster: String
    public let name: String
    public let user: String
    public let team: String
    public let kind: JobKind
    public let state: JobState
    public let gpus: Int
    public let nodes: [String]
    @Null public var start: Date?
    @Null public var costUSDPerHour: Double?
    /// Run-rate × hours since start: what the job has cost, at today's prices.
    @Null public var costSoFarUSD: Double?
    /// The same, counted from the start of the month.
    @Null public var spendMTDUSD: Double?
    /// The run time it asked for, and when the scheduler will end it at the latest.
    @Null public var timeLimitS: Double?
    @Null public var endsBy: Date?
    /// When a finished job ended, as the scheduler's accounting says.
    @Null public var ended: Date?
    /// A pod's container restarts, and how the last restarted one ended.
    @Null public var restarts: Int?
    @Null public var lastExit: String?
    /// Run-rate × time limit: what it will have cost if it runs to its limit.
    @Null public var costAtLimitUSD: Double?
    /// Its nodes' InfiniBand traffic (summed, between the last two polls), and why it looks
    /// held back by the fabric: null where its nodes report no ports, or it does not.
    @Null public var fabricReceivedBytesPerS: Double?
    @Null public var fabricTransmittedBytesPerS: Double?
    @Null public var networkBound: String?

    enum CodingKeys: String, CodingKey {
      case id, cluster, name, user, team, kind, state, gpus, nodes, start
      case costUSDPerHour = "cost_usd_per_h"
      case costSoFarUSD = "cost_so_far_usd"
      case spendMTDUSD = "spend_mtd_usd"
      case timeLimitS = "time_limit_s"
      case endsBy = "ends_by"
      case ended, restarts
      case lastExit = "last_exit"
      case costAtLimitUSD = "cost_at_limit_usd"
      case fabricReceivedBytesPerS = "fabric_received_bytes_per_s"
      case fabricTransmittedBytesPerS = "fabric_transmitted_bytes_per_s"
      case networkBound = "network_bound"
    }
  }

  public struct TeamEntry: Encodable, Sendable, Equatable {
    public let name: String
    public let costUSDPerHour: Double
    @Null public var spendMTDUSD: Double?

    enum CodingKeys: String, CodingKey {
      case name
      case costUSDPerHour = "cost_usd_per_h"
      case spendMTDUSD = "spend_mtd_usd"
    }
  }
}
