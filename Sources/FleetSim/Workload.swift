import FleetModel

/// When a recurring piece of work runs: instance `k` starts at `phase + k × period` and runs for
/// `duration`. Work whose duration equals its period never stops; it only restarts.
struct Lifecycle: Sendable {
  let periodS: Double
  let durationS: Double
  let phaseS: Double

  static func always(restartEveryS period: Double, phaseS: Double) -> Lifecycle {
    Lifecycle(periodS: period, durationS: period, phaseS: phaseS)
  }

  /// The instance current at `t`, and whether it is running (false while between instances).
  func instance(at t: Double) -> (number: Int, startS: Double, running: Bool) {
    let k = ((t - phaseS) / periodS).rounded(.down)
    let start = phaseS + k * periodS
    return (Int(k), start, t - start < durationS)
  }
}

/// How busy a workload keeps its GPUs over time.
enum ActivityProfile: Sendable {
  /// Data-parallel training at `level`, dipping while it writes its hourly checkpoint.
  case training(level: Double)
  /// Holding GPUs and doing nothing (a stuck data loader, a forgotten `sleep infinity`).
  case idle
  /// Serving traffic that follows the day, reaching `peak` at the busiest hour.
  case inference(peak: Double)
  /// A person at a notebook: short bursts, long pauses.
  case notebook
}

/// A recurring job or a long-lived deployment holding fixed GPUs of fixed nodes.
struct WorkloadSlot: Sendable {
  let number: Int
  let cluster: String
  let name: String
  let user: String
  let team: String
  let kind: JobKind
  /// Global node index → GPU indices held on that node.
  let placement: [(node: Int, gpus: [Int])]
  let lifecycle: Lifecycle
  let profile: ActivityProfile
  /// Kubernetes workloads keep one id (`namespace/name`) across rollouts; Slurm jobs get a new
  /// numeric id per instance.
  let stableID: String?

  var gpuCount: Int { placement.reduce(0) { $0 + $1.gpus.count } }

  /// The time limit its Slurm jobs ask for: their run time rounded up to the hour (a job that
  /// only restarts asks for its whole period). Kubernetes deployments have none.
  var timeLimitS: Double? {
    kind == .inference ? nil : max(1, (lifecycle.durationS / 3_600).rounded(.up)) * 3_600
  }

  func jobID(instance: Int) -> String {
    stableID ?? String(1_000_000 + instance * 10_000 + number)
  }
}

/// A job waiting for GPUs; it never gets them in the demo, which is what stranded capacity is.
struct PendingSlot: Sendable {
  let number: Int
  let cluster: String
  let name: String
  let user: String
  let team: String
  let gpus: Int
}
