/// How often a large synchronous job is interrupted, and what that costs in progress.
///
/// A job spanning `nodes` nodes fails when any of them does, so its mean time to failure is
/// 1 / (nodes × r_f) with r_f the per-node failure rate (Kokolis et al., HPCA 2025). Every
/// interruption loses, on average, half a checkpoint interval of work plus the restart time, so
/// the effective training time ratio (ETTR) is, to first order, 1 − (interval / 2 + restart) / MTTF.
/// The checkpoint interval that balances lost work against checkpoint cost δ is Young/Daly's
/// τ ≈ √(2 · δ · MTTF).
public struct ReliabilityScenario: Sendable, Hashable {
  public var gpus: Int
  public var gpusPerNode: Int
  /// Node failures per 1,000 node-days (Meta RSC-1: 6.5; RSC-2: 2.34; Llama 3: 3.79).
  public var failuresPer1000NodeDays: Double
  public var days: Double
  public var checkpointIntervalMin: Double
  public var restartMin: Double
  /// Time a checkpoint stalls training; small for asynchronous (non-blocking) checkpoints.
  public var checkpointCostMin: Double

  public init(
    gpus: Int, gpusPerNode: Int = 8, failuresPer1000NodeDays: Double, days: Double = 30,
    checkpointIntervalMin: Double = 60, restartMin: Double = 5, checkpointCostMin: Double = 1
  ) {
    self.gpus = gpus
    self.gpusPerNode = gpusPerNode
    self.failuresPer1000NodeDays = failuresPer1000NodeDays
    self.days = days
    self.checkpointIntervalMin = checkpointIntervalMin
    self.restartMin = restartMin
    self.checkpointCostMin = checkpointCostMin
  }

  /// Nodes the job spans (a partly used node still fails the job).
  public var nodes: Int { (gpus + gpusPerNode - 1) / gpusPerNode }

  /// Interruptions per day across the job's nodes.
  public var failuresPerDay: Double { Double(nodes) * failuresPer1000NodeDays / 1_000 }

  /// ETTR at a checkpoint interval, counting the checkpoints' own stall as well as the work lost
  /// to failures: 1 − δ/τ − (τ/2 + restart)/MTTF. Young/Daly's τ maximizes it.
  public func ettr(checkpointIntervalMin tau: Double) -> Double {
    let mttfMin = 24 / failuresPerDay * 60
    return max(0, 1 - checkpointCostMin / tau - (tau / 2 + restartMin) / mttfMin)
  }

  public var report: ReliabilityReport {
    let mttfH = 24 / failuresPerDay
    let lostPerFailureH = (checkpointIntervalMin / 2 + restartMin) / 60
    return ReliabilityReport(
      mttfH: mttfH, expectedInterruptions: failuresPerDay * days,
      ettr: max(0, 1 - lostPerFailureH / mttfH),
      optimalCheckpointMin: (2 * checkpointCostMin * mttfH * 60).squareRoot())
  }
}

/// The answer of `factop model reliability`.
public struct ReliabilityReport: Sendable, Hashable, Encodable {
  public let mttfH: Double
  public let expectedInterruptions: Double
  /// Share of wall time that moves training forward (0…1).
  public let ettr: Double
  public let optimalCheckpointMin: Double

  enum CodingKeys: String, CodingKey {
    case mttfH = "mttf_h"
    case expectedInterruptions = "expected_interruptions"
    case ettr
    case optimalCheckpointMin = "optimal_checkpoint_min"
  }
}
