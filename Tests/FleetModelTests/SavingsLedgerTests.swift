import FleetModel
import Foundation
import Testing

/// The ledger's rules, one at a time, on opportunities made by hand.
@Suite struct SavingsLedgerTests {
  let start = Date(timeIntervalSince1970: 1_795_000_000)
  let rules = LedgerRules()

  func idle(_ job: String, team: String = "vision", usd: Double = 10_000) -> Opportunity {
    Opportunity(
      kind: .idleAllocation, title: "\(job) holds 16 GPUs and does nothing",
      scope: "job train-a/\(job)", owner: "team \(team)", usdPerMonth: usd, confidence: 0.9,
      rule: "r", evidence: [], action: "a")
  }

  func drained(_ node: String, usd: Double = 20_000) -> Opportunity {
    Opportunity(
      kind: .drainedCapacity, title: "\(node) down", scope: "node \(node)", usdPerMonth: usd,
      confidence: 0.9, rule: "r", evidence: [], action: "a")
  }

  /// Records `found(minute)` every ten minutes over `minutes`.
  func run(_ ledger: inout SavingsLedger, minutes: Range<Int>, _ found: (Int) -> [Opportunity]) {
    for minute in stride(from: minutes.lowerBound, to: minutes.upperBound, by: 10) {
      ledger.record(found(minute), at: start.addingTimeInterval(Double(minute) * 60), rules: rules)
    }
  }

  @Test func aFindingCountsOnlyOnceItHasLastedAnHour() throws {
    var ledger = SavingsLedger()
    run(&ledger, minutes: 0..<60) { _ in [idle("1")] }
    #expect(ledger.entries.map(\.status) == [.pending])
    #expect(LedgerSummary(ledger).entries.isEmpty)
    run(&ledger, minutes: 60..<70) { _ in [idle("1", usd: 12_000)] }
    let entry = try #require(ledger.entries.first)
    #expect(entry.status == .open)
    #expect(entry.confirmed == start.addingTimeInterval(3_600))
    #expect(entry.usdPerMonthFound == 12_000)
    #expect(entry.firstSeen == start)
  }

  @Test func aVerdictThatComesAndGoesIsForgottenNotRealized() {
    var ledger = SavingsLedger()
    run(&ledger, minutes: 0..<30) { _ in [idle("1")] }
    run(&ledger, minutes: 30..<120) { _ in [] }
    #expect(ledger.entries.isEmpty)
  }

  @Test func aFlickerWithinAnHourKeepsTheFindingOpen() {
    var ledger = SavingsLedger()
    run(&ledger, minutes: 0..<240) { minute in (100..<140).contains(minute) ? [] : [drained("n1")] }
    #expect(ledger.entries.count == 1)
    #expect(ledger.entries.first?.status == .open)
  }

  @Test func wasteThatStopsIsRealizedAtItsLastSighting() throws {
    var ledger = SavingsLedger()
    run(&ledger, minutes: 0..<300) { minute in minute < 180 ? [drained("n1", usd: 20_000)] : [] }
    let entry = try #require(ledger.entries.first)
    #expect(entry.status == .realized)
    #expect(entry.closed == start.addingTimeInterval(170 * 60))
    let summary = LedgerSummary(ledger)
    #expect(summary.open == 0)
    #expect(summary.months.map(\.realizedUSDPerMonth) == [20_000])
    #expect(summary.months.map(\.foundUSDPerMonth) == [20_000])
  }

  @Test func theSameWasteOfTheSameTeamElsewhereHasMovedAndIsNotFoundTwice() throws {
    var ledger = SavingsLedger()
    // Job 1 restarts as job 2 at minute 180; job 3 of another team ends at the same time.
    run(&ledger, minutes: 0..<400) { minute in
      minute < 180
        ? [idle("1"), idle("3", team: "speech", usd: 9_000)] : [idle("2", usd: 10_500)]
    }
    let byScope = Dictionary(uniqueKeysWithValues: ledger.entries.map { ($0.scope, $0) })
    let first = try #require(byScope["job train-a/1"])
    let second = try #require(byScope["job train-a/2"])
    #expect(first.status == .moved)
    #expect(first.movedTo == second.id)
    #expect(second.movedFrom == first.id)
    #expect(second.status == .open)
    #expect(byScope["job train-a/3"]?.status == .realized)
    let month = try #require(LedgerSummary(ledger).months.first)
    #expect(month.found == 2)
    #expect(month.foundUSDPerMonth == 19_000)
    #expect(month.moved == 1)
    #expect(month.realizedUSDPerMonth == 9_000)
    #expect(LedgerSummary(ledger).openUSDPerMonth == 10_500)
  }

  @Test func muchSmallerWasteOfTheSameTeamIsNotWhereItMoved() throws {
    var ledger = SavingsLedger()
    run(&ledger, minutes: 0..<400) { minute in
      minute < 180 ? [idle("1", usd: 10_000)] : [idle("2", usd: 2_000)]
    }
    #expect(ledger.entries.first { $0.scope == "job train-a/1" }?.status == .realized)
  }

  @Test func wasteThatReturnsLongAfterItStoppedIsANewFinding() {
    var ledger = SavingsLedger()
    run(&ledger, minutes: 0..<2_000) { minute in
      minute < 180 || minute >= 1_000 ? [drained("n1")] : []
    }
    #expect(ledger.entries.map(\.status) == [.realized, .open])
    #expect(Set(ledger.entries.map(\.id)).count == 2)
  }

  @Test func monthsAreCalendarMonthsInUTCNewestFirst() throws {
    var ledger = SavingsLedger()
    let december = try #require(ISO8601DateFormatter().date(from: "2026-11-30T22:00:00Z"))
    for minute in stride(from: 0, to: 600, by: 10) {
      // Found on 30 November, gone on 1 December.
      ledger.record(
        minute < 240 ? [drained("n1")] : [], at: december.addingTimeInterval(Double(minute) * 60))
    }
    let months = LedgerSummary(ledger).months
    #expect(months.map(\.month) == ["2026-12", "2026-11"])
    #expect(months.map(\.found) == [0, 1])
    #expect(months.map(\.realized) == [1, 0])
  }

  @Test func goneEntriesAreForgottenAfterTheKeepingPeriod() {
    var ledger = SavingsLedger()
    run(&ledger, minutes: 0..<300) { minute in minute < 120 ? [drained("n1")] : [] }
    #expect(ledger.entries.count == 1)
    ledger.record([], at: start.addingTimeInterval(rules.keepS + 7_200), rules: rules)
    #expect(ledger.entries.isEmpty)
  }
}
