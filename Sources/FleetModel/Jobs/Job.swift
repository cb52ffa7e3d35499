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

  public init(
    id: String, cluster: String, name: String, user: String, team: String, kind: JobKind,
    state: JobState, gpus: Int, nodes: [String], start: Date?, timeLimitS: Double? = nil,
    end: Date? = nil
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
