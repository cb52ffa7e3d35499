/// When a source is asked again: every interval while it answers; after failures, backing off
/// (twice the wait per failure in a row, at most `maxBackoffS`) so a broken source is not
/// hammered and a recovered one is noticed soon; always with jitter, so sources (and the
/// pollers of many factops) that started together do not stay in step.
public struct PollSchedule: Sendable, Equatable {
  public let intervalS: Double
  public let maxBackoffS: Double
  /// The wait varies by up to this fraction either way.
  public let jitter: Double

  public init(intervalS: Double, maxBackoffS: Double = 300, jitter: Double = 0.1) {
    self.intervalS = intervalS
    self.maxBackoffS = max(maxBackoffS, intervalS)
    self.jitter = jitter
  }

  /// Seconds until the next poll after `failures` failures in a row (0 after a success);
  /// `random` is uniform in 0..<1.
  public func delayS(afterFailures failures: Int, random: Double) -> Double {
    let base = failures == 0 ? intervalS : min(maxBackoffS, intervalS * pow2(min(failures, 30)))
    return base * (1 + jitter * (2 * random - 1))
  }

  private func pow2(_ n: Int) -> Double { Double(1 << n) }
}
