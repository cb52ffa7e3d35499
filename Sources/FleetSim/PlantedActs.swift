import FleetModel
import Foundation

/// Something the demo factory's people do about waste the simulator planted, and when: the
/// ground truth the savings ledger is checked against.
public struct PlantedAct: Sendable, Hashable {
  public enum Outcome: Sendable, Hashable {
    /// The waste stops: the GPUs are released, the node repaired.
    case realized
    /// The same waste goes on under another name: the job restarted with a new id.
    case moved
  }

  /// When the waste stops or moves.
  public let time: Date
  public let kind: Opportunity.Kind
  /// The node, or the job's name, the finding is about.
  public let subject: String
  public let outcome: Outcome
}

extension DemoFleet {
  /// The acts that fall in `from..<to`, in time order: the down node repaired after 40 hours
  /// (its out-of-service finding starts after 24), the forgotten sweep released, and the idle
  /// sweep restarted as a new job every week.
  public func acts(from: Date, to: Date) -> [PlantedAct] {
    let start = from.timeIntervalSince1970
    let end = to.timeIntervalSince1970
    func times(period: Double, offset: Double) -> [Double] {
      let first = ((start - offset) / period).rounded(.up)
      return stride(from: first * period + offset, to: end, by: period).map { $0 }
    }
    var acts: [PlantedAct] = []
    for t in times(
      period: Self.downNodePeriodS, offset: Self.downNodeFailsAtS + Self.downNodeOutS)
    {
      acts.append(
        PlantedAct(
          time: Date(timeIntervalSince1970: t), kind: .drainedCapacity,
          subject: nodes[downNode].name, outcome: .realized))
    }
    for slot in slots {
      let outcome: PlantedAct.Outcome
      switch slot.name {
      case groundTruth.releasedJob: outcome = .realized
      case groundTruth.idleAllocationJob: outcome = .moved
      default: continue
      }
      let life = slot.lifecycle
      for t in times(period: life.periodS, offset: life.phaseS + life.durationS) {
        acts.append(
          PlantedAct(
            time: Date(timeIntervalSince1970: t), kind: .idleAllocation, subject: slot.name,
            outcome: outcome))
      }
    }
    return acts.sorted { $0.time < $1.time }
  }
}

extension DemoFleet {
  /// The savings ledger as the finder's verdicts every ledger step from `from` to `through`
  /// would leave it, judging each moment without history (the detectors of the present only):
  /// what the ledger's ground-truth tests, golden screens and exports show.
  public func ledger(
    from: Date, through: Date, prices: PriceBook, rules: LedgerRules = LedgerRules()
  ) -> SavingsLedger {
    var ledger = SavingsLedger()
    var time = from
    while time <= through {
      let found = SavingsFinder.find(
        SavingsContext(state: state(at: time), prices: prices, now: time))
      ledger.record(found.opportunities, at: time, rules: rules)
      time = time.addingTimeInterval(rules.stepS)
    }
    return ledger
  }
}
