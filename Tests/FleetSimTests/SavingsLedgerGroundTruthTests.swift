import FleetModel
import FleetSim
import Foundation
import Testing

/// The ledger against what the demo factory's people do about its planted waste: the down node
/// repaired (realized), the forgotten sweep released (realized) and the idle sweep restarted
/// as a new job (moved). Each act must close its finding as the ground truth says, at the time
/// it happened (within one ledger step) and with its dollars within ±5 %.
@Suite struct SavingsLedgerGroundTruthTests {
  let fleet = try! DemoFleet(gpus: 1_024, seed: 1)
  let prices = PriceBook.demo
  let rules = LedgerRules()

  /// What the finder should say the waste an act ends costs a month.
  func dollars(of act: PlantedAct, at time: Date) -> Double {
    let state = fleet.state(at: time)
    let gpus: [GPU] =
      act.kind == .drainedCapacity
      ? state.gpus.filter { $0.node.name == act.subject }
      : state.gpus.filter { gpu in
        state.allocations[gpu.id].map { id in
          state.jobs.contains { $0.key == id && $0.name == act.subject }
        } ?? false
      }
    return gpus.reduce(0) {
      $0 + prices.price(model: $1.model.name, pricing: .reserved3y)!.usdPerGPUHour * 730
    }
  }

  @Test(arguments: [PlantedAct.Outcome.realized, .moved])
  func everyPlantedActClosesItsFindingAsItHappened(outcome: PlantedAct.Outcome) throws {
    let from = Date(timeIntervalSince1970: 1_795_000_000)
    let acts = fleet.acts(from: from, to: from.addingTimeInterval(8 * 86_400))
      .filter { $0.outcome == outcome }
    let kinds = Set(acts.map { "\($0.kind)/\($0.subject)" })
    #expect(kinds.count == (outcome == .realized ? 2 : 1))
    for kind in kinds {
      let act = try #require(acts.first { "\($0.kind)/\($0.subject)" == kind })
      // From before the finding opened (an out-of-service node counts after a day) to after
      // the ledger has had time to call it gone.
      let lead = act.kind == .drainedCapacity ? 18 * 3_600.0 : 3 * 3_600.0
      let ledger = fleet.ledger(
        from: act.time.addingTimeInterval(-lead),
        through: act.time.addingTimeInterval(rules.goneS + rules.stepS), prices: prices,
        rules: rules)
      let closed = ledger.entries.filter {
        $0.kind == act.kind && $0.status != .open && $0.status != .pending
          && ($0.scope.contains(act.subject) || $0.title.contains(act.subject))
      }
      let entry = try #require(closed.first, "\(kind): no closed entry")
      #expect(closed.count == 1, "\(kind): \(closed.map(\.id))")
      #expect(entry.status == (outcome == .realized ? .realized : .moved), "\(kind)")
      let when = try #require(entry.closed)
      #expect(
        when <= act.time && when >= act.time.addingTimeInterval(-rules.stepS),
        "\(kind): closed at \(when), the act was at \(act.time)")
      let truth = dollars(of: act, at: act.time.addingTimeInterval(-rules.stepS))
      #expect(
        abs(entry.usdPerMonthLast - truth) <= truth * 0.05,
        "\(kind): \(entry.usdPerMonthLast) USD/month, ground truth \(truth)")
      if outcome == .moved {
        let next = try #require(ledger.entries.first { $0.id == entry.movedTo })
        #expect(next.movedFrom == entry.id && next.status == .open)
        #expect(next.title.contains(act.subject))
      }
      // Found once, before it closed, and counted in its month.
      let month = try #require(LedgerSummary(ledger).months.first)
      #expect(month.realized + month.moved >= 1)
    }
  }

  @Test func theDownNodeIsDownOrBackAsItsCycleSays() throws {
    let truth = fleet.groundTruth
    let repair = try #require(
      fleet.acts(
        from: Date(timeIntervalSince1970: 1_795_000_000),
        to: Date(timeIntervalSince1970: 1_795_000_000 + 4 * 86_400)
      ).first { $0.subject == truth.downNode })
    let before = fleet.state(at: repair.time.addingTimeInterval(-60))
    let after = fleet.state(at: repair.time.addingTimeInterval(60))
    #expect(before.nodes.first { $0.name == truth.downNode }?.state == .down)
    let back = try #require(after.nodes.first { $0.name == truth.downNode })
    #expect(back.state == .idle)
    #expect(after.gpus.filter { $0.node == back.id }.allSatisfy { after.gpuSamples[$0.id] != nil })
  }
}
