import FleetModel
import Foundation
import Testing

@Suite struct SpendTests {
  let t = Date(timeIntervalSince1970: 1_795_000_000)

  let node = NodeID(cluster: "c", name: "n")
  let job1 = JobID(cluster: "c", id: "1")
  let job2 = JobID(cluster: "c", id: "2")

  func state() -> FleetState {
    FleetState(
      clusters: [Cluster(name: "c", scheduler: .slurm, site: "s", pricing: .onDemand)],
      nodes: [Node(name: "n", cluster: "c", rack: "r", state: .mixed)],
      gpus: (0..<4).map { GPU(uuid: "g\($0)", node: node, index: $0, model: .h100SXM) },
      jobs: [
        Job(
          id: "1", cluster: "c", name: "a", user: "u", team: "red", kind: .training,
          state: .running, gpus: 2, nodes: ["n"], start: t),
        Job(
          id: "2", cluster: "c", name: "b", user: "v", team: "blue", kind: .training,
          state: .running, gpus: 1, nodes: ["n"], start: t),
      ],
      allocations: [
        GPUID(node: node, index: 0): job1, GPUID(node: node, index: 1): job1,
        GPUID(node: node, index: 2): job2,
      ])
  }

  @Test func teamsAndUnallocatedAddUpToTheClusterCost() throws {
    let price = try #require(PriceBook.demo.price(model: "H100-SXM5-80GB", pricing: .onDemand))
      .usdPerGPUHour
    let spend = SpendBreakdown(state(), prices: .demo)
    #expect(spend.jobs == [job1: 2 * price, job2: price])
    // Ties are broken by name, so the order is stable.
    #expect(spend.teams.map(\.name) == ["red", SpendBreakdown.unallocated, "blue"])
    let total = spend.teams.reduce(0) { $0 + $1.usdPerHour }
    #expect(abs(total - (FleetSummary(state(), prices: .demo).fleet.costUSDPerHour ?? 0)) < 1e-9)
  }

  @Test func monthToDateCountsEachHourOnceAndTheCurrentHourInPart() {
    // 2026-11-01 00:00 UTC, then three full hours and the current one half over.
    let month = MonthToDate.monthStart(of: Date(timeIntervalSince1970: 1_793_500_000))
    #expect(month == Date(timeIntervalSince1970: 1_793_491_200))
    let points = (0..<4).map {
      (time: month.addingTimeInterval(Double($0) * 3_600), usdPerHour: 100.0)
    }
    let before = (time: month.addingTimeInterval(-3_600), usdPerHour: 999.0)  // last month
    let now = month.addingTimeInterval(3.5 * 3_600)
    let result = MonthToDate.usd(hourly: [before] + points, now: now)
    #expect(result.usd == 350)
    #expect(result.since == month)
  }

  @Test func noHistoryNoMonthToDate() {
    let result = MonthToDate.usd(hourly: [], now: t)
    #expect(result.usd == 0 && result.since == nil)
  }
}
