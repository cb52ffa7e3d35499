import FleetModel
import Foundation

/// A job as Slurm reports it (squeue, slurmrestd, sacct, slurmdbd), in factop's vocabulary.
public struct SlurmJob: Sendable, Hashable {
  public var id: String
  public var name: String
  public var user: String
  public var account: String
  public var partition: String
  public var state: JobState
  /// GPUs held (running) or asked for (pending); nil when nothing says.
  public var gpus: Int?
  /// The nodes, expanded from the hostlist, in Slurm's order; empty while pending.
  public var nodes: [String]
  /// Which GPUs the job holds on each node (`gres_detail` `IDX`), when Slurm says.
  public var gpuIndices: [String: [Int]]
  public var start: Date?
  /// The time limit, in seconds; nil when unlimited or not said.
  public var timeLimitS: Double? = nil
  /// When a finished job ended (accounting's `time.end`, squeue's `end_time`); nil while it
  /// runs, when `end_time` is only when its limit runs out.
  public var end: Date? = nil
}

extension SlurmJob {
  /// A time limit in minutes as seconds: nil when unset, infinite, or not a whole positive
  /// number of minutes (Slurm's UNLIMITED, a job that gave none).
  static func seconds(_ minutes: SlurmNumber?) -> Double? {
    guard let minutes = minutes?.number, minutes > 0, minutes.isFinite, minutes < 1e9 else {
      return nil
    }
    return minutes * 60
  }
}

/// Job states in every spelling (a string, or an array whose first word is the base state).
public enum SlurmJobState {
  /// The accounting states of a job that ended badly, as `sacct --state` spells them.
  static let endedBadly = [
    "FAILED", "NODE_FAIL", "TIMEOUT", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE",
  ]

  public static func map(_ words: [String]) -> JobState {
    switch words.first?.uppercased() ?? "" {
    case "RUNNING", "CONFIGURING", "COMPLETING", "STAGE_OUT", "RESIZING", "SUSPENDED", "STOPPED",
      "SIGNALING":
      .running
    case "PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD":
      .pending
    case "COMPLETED": .completed
    case "FAILED", "OUT_OF_MEMORY", "BOOT_FAIL", "SPECIAL_EXIT": .failed
    case "CANCELLED", "REVOKED": .cancelled
    case "TIMEOUT", "DEADLINE": .timeout
    case "PREEMPTED": .preempted
    case "NODE_FAIL": .nodeFail
    default: .unknown
    }
  }
}

/// `squeue --json` and slurmrestd's `/slurm/v0.0.NN/jobs`, 21.08 to 25.11.
public enum SlurmJobs {
  public static func parse(_ data: Data, source: String) throws -> [SlurmJob] {
    var hostBudget = Hostlist.bytesPerAnswer
    return try JobsAnswer<Job>.jobs(data, source: source, what: "a Slurm job list")
      .map { $0.job(hostBudget: &hostBudget) }
  }

  struct Job: Decodable {
    let jobId: SlurmNumber
    let name: String?
    let userName: String?
    let account: String?
    let partition: String?
    let jobState: SlurmStates?
    let nodes: String?
    let gresDetail: [String]?
    let tresAllocStr: String?
    let tresPerJob: String?
    let tresPerNode: String?
    let tresPerTask: String?
    let nodeCount: SlurmNumber?
    let tasks: SlurmNumber?
    let startTime: SlurmNumber?
    /// For a running job, when its time limit runs out; for a finished one, its end.
    let endTime: SlurmNumber?
    /// Minutes.
    let timeLimit: SlurmNumber?

    func job(hostBudget: inout Int) -> SlurmJob {
      let state = SlurmJobState.map(jobState?.words ?? [])
      let hosts = state == .pending ? [] : Hostlist.expand(nodes ?? "", budget: &hostBudget)
      var indices: [String: [Int]] = [:]
      // gres_detail has one entry per node, in hostlist order.
      for (host, detail) in zip(hosts, gresDetail ?? []) {
        indices[host] = GresItem.parse(detail).filter { $0.name == "gpu" }.flatMap(\.indices)
      }
      return SlurmJob(
        id: jobId.number.flatMap { Int(exactly: $0) }.map(String.init) ?? "?", name: name ?? "",
        user: userName ?? "",
        account: account ?? "", partition: partition ?? "", state: state,
        gpus: gpus(nodes: hosts.count), nodes: hosts, gpuIndices: indices,
        start: state == .pending ? nil : startTime?.date, timeLimitS: SlurmJob.seconds(timeLimit),
        end: state.hasEnded ? endTime?.date : nil)
    }

    /// Held GPUs first (per-node detail, then the allocated TRES), then what was asked for.
    private func gpus(nodes: Int) -> Int? {
      if let detail = gresDetail, !detail.isEmpty {
        // A node whose detail names no GPU adds none; an unreadable count makes the total unknown.
        return Count.sum(detail.flatMap(GresItem.gpuCounts))
      }
      if let held = Tres.gpus(tresAllocStr) { return held }
      if let perJob = GresItem.gpus(tresPerJob) { return perJob }
      let nodeCount = max(nodes, Count.whole(nodeCount?.number) ?? 1)
      if let perNode = GresItem.gpus(tresPerNode) {
        return Count.product(perNode, max(1, nodeCount))
      }
      if let perTask = GresItem.gpus(tresPerTask) {
        return Count.product(perTask, max(1, Count.whole(tasks?.number) ?? 1))
      }
      return nil
    }
  }
}

/// `sacct --json` and slurmrestd's `/slurmdb/v0.0.NN/jobs`: finished jobs too.
public enum SlurmDBJobs {
  public static func parse(_ data: Data, source: String) throws -> [SlurmJob] {
    var hostBudget = Hostlist.bytesPerAnswer
    return try JobsAnswer<Job>.jobs(data, source: source, what: "a Slurm accounting job list")
      .map { $0.job(hostBudget: &hostBudget) }
  }

  struct Job: Decodable {
    struct State: Decodable { let current: SlurmStates? }
    struct TresEntry: Decodable {
      let type: String
      let name: String?
      let count: SlurmNumber?
    }
    struct Tres: Decodable {
      let allocated: [TresEntry]?
      let requested: [TresEntry]?
    }
    /// `limit` is in minutes.
    struct Times: Decodable {
      let start: SlurmNumber?
      let end: SlurmNumber?
      let limit: SlurmNumber?
    }

    let jobId: SlurmNumber
    let name: String?
    let user: String?
    let account: String?
    let partition: String?
    let state: State?
    let nodes: String?
    let tres: Tres?
    let time: Times?

    func job(hostBudget: inout Int) -> SlurmJob {
      let state = SlurmJobState.map(state?.current?.words ?? [])
      // Pending jobs say "None assigned".
      let hosts =
        state == .pending || nodes == "None assigned"
        ? [] : Hostlist.expand(nodes ?? "", budget: &hostBudget)
      return SlurmJob(
        id: jobId.number.flatMap { Int(exactly: $0) }.map(String.init) ?? "?", name: name ?? "",
        user: user ?? "",
        account: account ?? "", partition: partition ?? "", state: state,
        gpus: gpus(tres?.allocated) ?? gpus(tres?.requested), nodes: hosts, gpuIndices: [:],
        start: time?.start?.date, timeLimitS: SlurmJob.seconds(time?.limit),
        end: state.hasEnded ? time?.end?.date : nil)
    }

    /// `gres/gpu` is in the TRES only where the site accounts for it
    /// (`AccountingStorageTRES=gres/gpu`); the untyped entry counts, typed ones repeat it.
    private func gpus(_ entries: [TresEntry]?) -> Int? {
      let gpu = (entries ?? []).filter { $0.type == "gres" && ($0.name ?? "").hasPrefix("gpu") }
      if let untyped = gpu.first(where: { $0.name == "gpu" }) {
        return Count.whole(untyped.count?.number)
      }
      return gpu.isEmpty ? nil : Count.sum(gpu.map { Count.whole($0.count?.number) })
    }
  }
}

/// The `{jobs: [...], errors: [...]}` envelope every job answer shares.
private struct JobsAnswer<Job: Decodable>: Decodable {
  let jobs: [Job]?
  let errors: [SlurmMessage]?

  static func jobs(_ data: Data, source: String, what: String) throws -> [Job] {
    let answer = try JSONInput.decode(Self.self, from: data, source: source)
    try answer.errors.check(source: source)
    guard let jobs = answer.jobs else {
      throw InputError(source: source, message: "no jobs[]: not \(what)")
    }
    return jobs
  }
}
