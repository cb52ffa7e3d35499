import FleetModel
import Foundation
import Testing

/// Changes the price book knows ahead: the projection adds them from their date, and once the
/// date has come the report prices the fleet as they say.
@Suite struct KnownAheadTests {
  /// 2026-11-18 14:00 UTC: the projection's first day is 2026-11-19.
  let now = Date(timeIntervalSince1970: 1_795_010_400)
  let midnight = Date(timeIntervalSince1970: 1_795_046_400)  // 2026-11-19 00:00 UTC

  /// One cluster of eight H100s on a one-year reservation.
  var state: FleetState {
    let node = Node(name: "n1", cluster: "c", rack: "r1", state: .allocated)
    return FleetState(
      clusters: [Cluster(name: "c", scheduler: .slurm, site: "s", pricing: .reserved1y)],
      nodes: [node],
      gpus: (0..<8).map {
        GPU(uuid: "GPU-\($0)", node: NodeID(cluster: "c", name: "n1"), index: $0, model: .h100SXM)
      })
  }

  /// Three days of the reserved run-rate, hourly: 8 × $2.80.
  var history: FleetHistory {
    let hours = (0..<72).map { (now.addingTimeInterval(-Double(72 - $0) * 3_600), 22.4) }
    return FleetHistory(fleetSpendHours: hours, fleetUtilHours: hours.map { ($0.0, 50.0) })
  }

  func report(_ prices: PriceBook, at time: Date? = nil) -> FleetReport {
    FleetReport(
      state: state, sources: [], history: history, rules: FleetRules(prices: prices),
      now: time ?? now)
  }

  func spend(_ report: FleetReport) -> [Double] {
    report.projection.days.compactMap { $0.spendUSD?.value }
  }

  @Test func aReservationEndingMidDayRaisesSpendFromThatHour() throws {
    var prices = PriceBook.demo
    prices.terms = [
      ReservationTerm(
        cluster: "c", ends: midnight.addingTimeInterval(86_400 + 12 * 3_600), then: .onDemand)
    ]
    let base = spend(report(.demo))
    let with = spend(report(prices))
    let change = try #require(report(prices).projection.knownChanges.first)
    // 8 GPUs × ($4.00 on demand − $2.80 reserved).
    #expect(abs(change.usdPerHour - 9.6) < 1e-9)
    #expect(change.reason.contains("c's reservation ends"))
    let shift = zip(with, base).map { $0 - $1 }
    #expect(abs(shift[0]) < 1e-9)
    #expect(abs(shift[1] - 9.6 * 12) < 1e-6)
    for day in shift.dropFirst(2) { #expect(abs(day - 9.6 * 24) < 1e-6) }
    // The band moves with the value.
    let day = try #require(report(prices).projection.days.last?.spendUSD)
    let plain = try #require(report(.demo).projection.days.last?.spendUSD)
    #expect(abs((day.high - day.low) - (plain.high - plain.low)) < 1e-6)
  }

  @Test func aScheduledPriceIsKnownAheadThenIsThePrice() throws {
    var prices = PriceBook.demo
    let cheaper = GPUHourPrice(usdPerGPUHour: 2.30, asOf: "2026-11-01", source: "renewal")
    prices.scheduled = [
      ScheduledPrice(
        key: PriceBook.Key(model: GPUModel.h100SXM.name, pricing: .reserved1y),
        from: midnight.addingTimeInterval(2 * 86_400), price: cheaper)
    ]
    let change = try #require(report(prices).projection.knownChanges.first)
    #expect(abs(change.usdPerHour - 8 * (2.30 - 2.80)) < 1e-9)
    #expect(change.reason.contains("renewal"))
    // A week later the price is the book's, and nothing is ahead any more.
    let later = report(prices, at: now.addingTimeInterval(7 * 86_400))
    #expect(later.projection.knownChanges.isEmpty)
    #expect(abs((later.summary.fleet.costUSDPerHour ?? 0) - 8 * 2.30) < 1e-9)
  }

  @Test func aClusterWhoseTermHasEndedPaysAsTheTermSays() {
    var prices = PriceBook.demo
    prices.terms = [
      ReservationTerm(cluster: "c", ends: now.addingTimeInterval(-3_600), then: .onDemand)
    ]
    let report = report(prices)
    #expect(report.state.clusters.first?.pricing == .onDemand)
    #expect(abs((report.summary.fleet.costUSDPerHour ?? 0) - 8 * 4.00) < 1e-9)
    #expect(report.projection.knownChanges.isEmpty)
  }

  @Test func aChangeToAPricingTheBookDoesNotPriceChangesNothing() {
    var prices = PriceBook.demo
    prices.prices[PriceBook.Key(model: GPUModel.h100SXM.name, pricing: .spot)] = nil
    prices.terms = [ReservationTerm(cluster: "c", ends: midnight, then: .spot)]
    #expect(report(prices).projection.knownChanges.isEmpty)
  }
}
