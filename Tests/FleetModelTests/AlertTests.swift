import FleetModel
import Foundation
import Testing

@Suite struct AlertTests {
  let now = Date(timeIntervalSince1970: 1_795_010_400)  // 2026-11-18 14:00 UTC

  func inputs(idle: [Double], idleNow: Int = 20, down: Int = 0, powerW: Double = 900)
    -> AlertInputs
  {
    var fleet = FleetTotals()
    fleet.gpusTotal = 400
    fleet.gpusIdleAllocated = idleNow
    fleet.nodesByState[.down] = down
    fleet.costUSDPerHour = 100
    let t = now.addingTimeInterval(-60)
    let state = FleetState(
      clusters: [Cluster(name: "c", scheduler: .slurm, site: "s", pricing: .owned)],
      nodes: [Node(name: "n", cluster: "c", rack: "r", state: .allocated)],
      nodeSamples: [NodeID(cluster: "c", name: "n"): NodeSample(time: t, powerW: powerW)])
    return AlertInputs(
      fleet: fleet,
      power: PowerRollup(
        state, pueBySite: [:], budgets: PowerBudgets(siteW: ["s": 1_000], rackW: ["s": 800])),
      sources: [
        SourceHealth(name: "prom", kind: "prometheus", intervalS: 10, lastSuccess: now - 100)
      ],
      idleAllocatedByMinute: idle.enumerated().map {
        (now.addingTimeInterval(Double($0.offset - idle.count) * 60), $0.element)
      }, spendMonthToDateUSD: 10_000, now: now)
  }

  @Test func idleGPUsBreachOnlyWhenIdleForTheWholeWindow() {
    var rules = AlertRules()
    rules.idleAllocatedGPUs = 16
    rules.idleMinutes = 5
    #expect(
      rules.check(inputs(idle: [30, 30, 30, 30, 30, 30])).map(\.alert) == ["idle_allocated_gpus"])
    #expect(rules.check(inputs(idle: [30, 30, 12, 30, 30, 30])).isEmpty)
    // Not enough history yet to say it lasted five minutes.
    #expect(rules.check(inputs(idle: [30, 30])).isEmpty)
  }

  @Test func powerAboveABudgetNamesTheSiteOrRack() {
    var rules = AlertRules()
    rules.powerOverBudget = true
    #expect(rules.check(inputs(idle: [], powerW: 900)).map(\.scope) == ["rack/r"])
    #expect(rules.check(inputs(idle: [], powerW: 1_100)).map(\.scope) == ["site/s", "rack/r"])
    #expect(rules.check(inputs(idle: [], powerW: 700)).isEmpty)
  }

  @Test func downNodesStaleSourcesAndTheMonthsSpend() {
    var rules = AlertRules()
    rules.nodesDown = 0
    rules.staleSource = true
    rules.spendUSDPerMonth = 20_000
    let breaches = rules.check(inputs(idle: [], down: 2))
    #expect(breaches.map(\.alert) == ["nodes_down", "stale_source", "spend_over_budget"])
    // $10,000 so far plus $100/h for the 298 hours left in November 2026.
    #expect(breaches.last?.value == 39_800)
  }

  /// The default idle rule is a share of the fleet: 5 % of 400 GPUs is 20.
  @Test func theDefaultIdleLimitIsAShareOfTheFleet() {
    var rules = AlertRules.defaults
    rules.staleSource = false
    rules.linksFlapping = false
    rules.idleMinutes = 5
    let over = rules.check(inputs(idle: Array(repeating: 21, count: 6), idleNow: 21))
    #expect(over.map(\.alert) == ["idle_allocated_gpus"])
    #expect(over.first?.threshold == 20)
    #expect(rules.check(inputs(idle: Array(repeating: 20, count: 6), idleNow: 20)).isEmpty)
    // A count set beside the share: the lower limit holds.
    rules.idleAllocatedGPUs = 10
    #expect(rules.check(inputs(idle: Array(repeating: 12, count: 6), idleNow: 12)).count == 1)
    #expect(rules.rules.map(\.key) == ["idle_allocated_gpus", "idle_allocated_pct", "nodes_down"])
  }

  @Test func aLinkThatWentDownSinceThePollBeforeIsFlapping() {
    var fabric = inputs(idle: [])
    fabric.fabric = [
      FabricPort(
        node: "n", device: "mlx5_0", port: "1", linkDownedTotal: 9, linkDownedNew: 2, time: now),
      FabricPort(
        node: "n", device: "mlx5_1", port: "1", linkDownedTotal: 4, linkDownedNew: 0, time: now),
      // A first scrape says nothing about since.
      FabricPort(node: "m", device: "mlx5_0", port: "1", linkDownedTotal: 7, time: now),
    ]
    let breaches = AlertRules.defaults.check(fabric).filter { $0.alert == "links_flapping" }
    #expect(breaches.map(\.scope) == ["port/n/mlx5_0/1"])
    #expect(breaches.first?.message == "n mlx5_0/1: the link went down 2× since the poll before")
    #expect(AlertRules.defaults.rules.map(\.key).contains("links_flapping"))
    var off = AlertRules.defaults
    off.linksFlapping = false
    #expect(!off.check(fabric).contains { $0.alert == "links_flapping" })
  }

  @Test func noRulesNoBreaches() {
    #expect(AlertRules().isEmpty)
    #expect(AlertRules().check(inputs(idle: [99, 99], down: 9)).isEmpty)
  }
}
