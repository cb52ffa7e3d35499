import Foundation

/// What a job is for; detectors judge idleness differently for each.
public enum JobKind: String, Sendable, Hashable, Codable, CaseIterable {
  case training, inference, interactive
}

/// One vocabulary for job state across Slurm and Kubernetes.
public enum JobState: String, Sendable, Hashable, Codable, CaseIterable {
  case running, pending, completed, failed, cancelled, timeout, preempted
  case nodeFail = "node_fail"
  case unknown
}

extension JobState {
  /// Finished, one way or another: the scheduler's end time is the job's end.
  public var hasEnded: Bool {
    switch self {
    case .completed, .failed, .cancelled, .timeout, .preempted, .nodeFail: true
    case .running, .pending, .unknown: false
    }
  }
}

/// How often a pod's containers restarted in place, and how the last run ended.
public struct ContainerRestarts: Sendable, Hashable, Codable {
  /// Summed over the pod's containers.
  public var count: Int
  /// How the last run ended, as the container runtime says: its reason, exit code and
  /// termination message (`Error, exit 1: CUDA error: uncorrectable ECC error encountered`).
  public var lastExit: String?
  public var lastExitAt: Date?
  /// When the container that restarted started running again.
  public var runningSince: Date?

  public init(
    count: Int, lastExit: String? = nil, lastExitAt: Date? = nil, runningSince: Date? = nil
  ) {
    self.count = count
    self.lastExit = lastExit
    self.lastExitAt = lastExitAt
    self.runningSince = runningSince
  }

  /// Whether the last exit names a GPU fault: a CUDA or NVML error, an XID, an ECC error, an
  /// NCCL failure, a GPU fallen off the bus. A container killed for host memory (OOMKilled)
  /// or one that exited on its own does not.
  public var lastExitNamesAGPUError: Bool { lastExit.map(Self.namesAGPUError) ?? false }

  /// Whether `text` (an exit reason, a line of a termination message) names a GPU fault.
  public static func namesAGPUError(_ text: String) -> Bool {
    let text = text.lowercased()
    return gpuErrorWords.contains { text.contains($0) }
  }

  static let gpuErrorWords = [
    "cuda error", "cudaerror", "cuda_error", "cuda failure", "nvml", "xid", "ecc error",
    "uncorrectable ecc", "nccl", "fallen off the bus", "fell off the bus", "gpu is lost",
    "cublas_status", "cudnn_status",
  ]
}

/// A unit of work holding GPUs: a Slurm job or a Kubernetes workload.
public struct Job: Sendable, Hashable, Codable {
  /// The scheduler's own id (`4242`, `namespace/pod`); unique only within its cluster.
  public let id: String
  public let cluster: String
  public let name: String
  public let user: String
  public let team: String
  public let kind: JobKind
  public var state: JobState
  /// GPUs the job holds (running) or asks for (pending).
  public let gpus: Int
  /// Nodes the job runs on, in scheduler order; empty while pending.
  public var nodes: [String]
  public let start: Date?
  /// The run time it asked for (Slurm's time limit), in seconds; nil when unlimited or unknown.
  public var timeLimitS: Double?
  /// When a finished job ended, as the scheduler's accounting says; nil while it runs or
  /// where nothing says.
  public var end: Date?
  /// A Kubernetes pod's containers restarting in place; nil where the scheduler has no such
  /// thing (Slurm requeues instead) or says nothing.
  public var restarts: ContainerRestarts?

  public init(
    id: String, cluster: String, name: String, user: String, team: String, kind: JobKind,
    state: JobState, gpus: Int, nodes: [String], start: Date?, timeLimitS: Double? = nil,
    end: Date? = nil, restarts: ContainerRestarts? = nil
  ) {
    self.id = id
    self.cluster = cluster
    self.name = name
    self.user = user
    self.team = team
    self.kind = kind
    self.state = state
    self.gpus = gpus
    self.nodes = nodes
    self.start = start
    self.timeLimitS = timeLimitS
    self.end = end
    self.restarts = restarts
  }

  /// What it will have cost by its time limit at `usdPerHour`; nil without either.
  public func costAtLimitUSD(atRate usdPerHour: Double?) -> Double? {
    guard let usdPerHour, let timeLimitS else { return nil }
    return usdPerHour * timeLimitS / 3_600
  }

  /// When the scheduler will end it at the latest: its start plus its time limit.
  public var endsBy: Date? {
    guard let start, let timeLimitS else { return nil }
    return start.addingTimeInterval(timeLimitS)
  }

  /// The job's identity: its id within its cluster.
  public var key: JobID { JobID(cluster: cluster, id: id) }

  /// The nodes it runs on, as identities.
  public var nodeIDs: [NodeID] { nodes.map { NodeID(cluster: cluster, name: $0) } }
}
