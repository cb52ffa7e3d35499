import FleetModel
import Foundation
import Testing

/// The incident log's rules on small fleets: what is news and what is not, how events gather,
/// and what a failure costs.
@Suite struct IncidentLogTests {
  let cluster = Cluster(name: "c", scheduler: .slurm, site: "s", pricing: .onDemand)
  let t0 = Date(timeIntervalSince1970: 1_800_000_000)

  func fleet(
    _ sample: (Int) -> GPUSample?, jobRunning: Bool = true, nodeState: NodeState = .allocated
  ) -> FleetState {
    let node = Node(name: "n1", cluster: "c", rack: "r", state: nodeState)
    let gpus = (0..<8).map {
      GPU(uuid: "GPU-\($0)", node: node.id, index: $0, model: .h100SXM)
    }
    var state = FleetState(
      clusters: [cluster], nodes: [node], gpus: gpus,
      jobs: [
        Job(
          id: "7", cluster: "c", name: "train", user: "u", team: "t", kind: .training,
          state: jobRunning ? .running : .failed, gpus: 8, nodes: ["n1"], start: t0)
      ])
    for gpu in gpus {
      if let s = sample(gpu.index) { state.gpuSamples[gpu.id] = s }
      if jobRunning { state.allocations[gpu.id] = JobID(cluster: "c", id: "7") }
    }
    return state
  }

  @Test func whatWasThereWhenTheLogBeganIsNotNewsButWhatRisesIs() {
    var log = IncidentLog()
    let prices = PriceBook.demo
    // An XID, ECC and NVLink errors already there at the first step: the marks only.
    log.record(
      fleet { _ in GPUSample(time: self.t0, xidLast: 13, eccDoubleBit: 1, nvlinkErrors: 5) },
      at: t0, prices: prices)
    #expect(log.incidents.isEmpty)
    // The NVLink errors rise on GPU 2 and its row remap fails: one incident on the node.
    let t1 = t0.addingTimeInterval(10)
    log.record(
      fleet {
        GPUSample(
          time: t1, xidLast: 13, eccDoubleBit: 1, rowRemapFailure: $0 == 2,
          nvlinkErrors: $0 == 2 ? 9 : 5)
      }, at: t1, prices: prices)
    #expect(log.incidents.count == 1)
    let incident = log.incidents[0]
    #expect(incident.node == "n1")
    #expect(Set(incident.events.map(\.kind)) == [.nvlinkErrors, .rowRemapFailure])
    #expect(incident.cause.kind == .rowRemapFailure)
    // A counter that falls (the driver reloaded) is a reset, not news.
    let t2 = t1.addingTimeInterval(10)
    log.record(
      fleet { GPUSample(time: t2, rowRemapFailure: $0 == 2, nvlinkErrors: 0) }, at: t2,
      prices: prices)
    #expect(log.incidents[0].events.count == 2)
  }

  @Test func aJobThatFailsAfterItsNodesFaultIsHitAndPricedOnTheStatedAssumption() throws {
    var log = IncidentLog()
    let prices = PriceBook.demo
    log.record(fleet { _ in GPUSample(time: self.t0) }, at: t0, prices: prices)
    let t1 = t0.addingTimeInterval(60)
    log.record(
      fleet({ GPUSample(time: t1, xidLast: $0 == 3 ? 79 : nil, xidCount: 1) }, jobRunning: false),
      at: t1, prices: prices)
    let incident = try #require(log.incidents.first)
    #expect(incident.events.map(\.kind) == [.xid, .jobFailed])
    #expect(
      incident.events[0].xid == 79 && incident.events[0].action?.contains("power-cycle") == true)
    let job = try #require(incident.jobs.first)
    #expect(job.gpus == 8 && job.gpusOnNode == 8 && !job.requeued)
    // Half an hour of eight GPUs' work lost, assumed and said; no wait until it is resubmitted.
    let cost = incident.cost(at: t1.addingTimeInterval(3_600), rules: IncidentRules())
    #expect(cost.lostWorkGPUHours == 4 && cost.waitGPUHours == 0)
    let rate = try #require(prices.price(model: GPUModel.h100SXM.name, pricing: .onDemand))
    #expect(abs((cost.usd ?? 0) - 4 * rate.usdPerGPUHour) < 1e-9)
    #expect(cost.assumptions.contains { $0.contains("assumed 30 min") })
    #expect(cost.assumptions.contains { $0.contains("not run again yet") })
  }
}

extension IncidentLogTests {
  /// Three outages of the one node over eight days watched: 375 failures per 1,000 node-days,
  /// enough to judge by, so the savings finder's rates become the fleet's own.
  /// The poller stopped for a night; in it a job ran for 20 min and failed. Accounting still
  /// has it when the poller comes back: an incident at its end, its whole run lost (it ran less
  /// than the assumed half interval), said so. The next step does not count it again.
  @Test func aJobThatFailedWhileNoPollerRanIsFoundInTheSchedulersAccounting() throws {
    var log = IncidentLog()
    let prices = PriceBook.demo
    log.record(fleet({ _ in nil }, jobRunning: false), at: t0, prices: prices)
    #expect(log.incidents.isEmpty)
    let started = t0.addingTimeInterval(6 * 3_600)
    let ended = started.addingTimeInterval(20 * 60)
    var morning = fleet({ _ in nil }, jobRunning: false)
    morning.jobs = [
      Job(
        id: "8", cluster: "c", name: "sweep", user: "u", team: "t", kind: .training,
        state: .nodeFail, gpus: 4, nodes: ["n1"], start: started, end: ended),
      // Failed before the last step: already the past the log had seen.
      Job(
        id: "6", cluster: "c", name: "old", user: "u", team: "t", kind: .training,
        state: .failed, gpus: 4, nodes: ["n1"], start: t0.addingTimeInterval(-600),
        end: t0.addingTimeInterval(-60)),
    ]
    let t1 = t0.addingTimeInterval(12 * 3_600)
    log.record(morning, at: t1, prices: prices)
    let incident = try #require(log.incidents.first)
    #expect(log.incidents.count == 1)
    #expect(incident.start == ended && incident.cause.kind == .jobFailed)
    #expect(incident.events.first?.detail == "sweep ended NODE_FAIL")
    let job = try #require(incident.jobs.first)
    #expect(job.job.id == "8" && job.stopped == ended && job.started == started)
    let cost = incident.cost(at: t1, rules: IncidentRules())
    #expect(abs(cost.lostWorkGPUHours - 4 * 20.0 / 60) < 1e-9)
    let rate = try #require(prices.price(model: GPUModel.h100SXM.name, pricing: .onDemand))
    #expect(abs((cost.usd ?? 0) - 4 * 20.0 / 60 * rate.usdPerGPUHour) < 1e-9)
    #expect(cost.assumptions.contains { $0.contains("ran 20 min") })
    log.record(morning, at: t1.addingTimeInterval(60), prices: prices)
    #expect(log.incidents.count == 1 && log.incidents[0].jobs.count == 1)
  }

  /// The parts to replace: GPU 3 failed twice, once alone ($16) and once with GPU 5 ($8,
  /// split evenly); a link flapped once ($4); a node outage with no part named is not a part's.
  @Test func theRepairRankingNamesTheGPUOrLinkWhoseIncidentsCostMost() throws {
    func incident(_ k: Int, node: String, _ events: [(IncidentEvent.Kind, String)], usd: Double)
      -> Incident
    {
      let start = t0.addingTimeInterval(-Double(k) * 86_400)
      return Incident(
        id: "node c/\(node) @\(k)", cluster: "c", node: node, start: start, lastEvent: start,
        end: start.addingTimeInterval(3_600),
        events: events.map {
          IncidentEvent(time: start, kind: $0.0, subject: $0.1, detail: "\($0.0)", action: "fix")
        }, jobs: [],
        outage: NodeOutage(
          gpus: 8, usdPerGPUHour: usd / 8, start: start, end: start.addingTimeInterval(3_600)))
    }
    let incidents = [
      incident(1, node: "n1", [(.xid, "GPU 3")], usd: 16),
      incident(
        2, node: "n1", [(.eccDoubleBit, "GPU 3"), (.xid, "GPU 5"), (.nodeOut, "n1")], usd: 8),
      incident(3, node: "n2", [(.linkFlap, "mlx5_0/1")], usd: 4),
      incident(4, node: "n2", [(.nodeOut, "n2")], usd: 32),
    ]
    let summary = IncidentSummary(
      incidents, state: fleet { _ in nil }, totals: IncidentTotals(), now: t0,
      rules: IncidentRules())
    let parts = summary.repairFirstParts.map {
      "\($0.node) \($0.part ?? "-") \($0.incidents) \($0.usd)"
    }
    #expect(parts == ["n1 GPU 3 2 20.0", "n1 GPU 5 1 4.0", "n2 mlx5_0/1 1 4.0"])
    // The node ranking still counts the outage no part is named in.
    #expect(summary.repairFirst.map(\.node) == ["n2", "n1"])
  }

  /// A pod that restarts as its node shows an XID joins the node's incident, whatever its exit
  /// said; one that restarts for host memory with no sign from its node is no incident.
  @Test func aPodRestartJoinsItsNodesIncidentOrIsNoneWithoutAGPUSign() throws {
    func pod(_ state: FleetState, restarts: Int, exit: String? = nil) -> FleetState {
      var state = state
      state.jobs[0].restarts = ContainerRestarts(
        count: restarts, lastExit: exit,
        lastExitAt: exit.map { _ in self.t0.addingTimeInterval(50) })
      return state
    }
    var log = IncidentLog()
    log.record(pod(fleet { _ in GPUSample(time: self.t0) }, restarts: 0), at: t0, prices: .demo)
    let t1 = t0.addingTimeInterval(60)
    log.record(
      pod(fleet { _ in GPUSample(time: t1) }, restarts: 1, exit: "OOMKilled, exit 137"), at: t1,
      prices: .demo)
    #expect(log.incidents.isEmpty)
    let t2 = t1.addingTimeInterval(60)
    log.record(
      pod(
        fleet { GPUSample(time: t2, xidLast: $0 == 3 ? 79 : nil, xidCount: 1) }, restarts: 2,
        exit: "Error, exit 1"), at: t2, prices: .demo)
    let incident = try #require(log.incidents.first)
    #expect(log.incidents.count == 1 && incident.node == "n1")
    #expect(incident.events.map(\.kind) == [.xid, .podRestarted])
    #expect(incident.jobs.map(\.gpusOnNode) == [8])
  }

  @Test func theFleetsOwnFailureRateReplacesTheAssumptionOnceThereIsEnough() throws {
    let state = fleet { _ in GPUSample(time: self.t0, smActivePct: 90) }
    let node = try #require(state.nodes.first)
    let incidents = (1...3).map { k -> Incident in
      let start = t0.addingTimeInterval(-Double(k) * 2 * 86_400)
      let end = start.addingTimeInterval(3_600)
      return Incident(
        id: "node c/n1 @\(k)", cluster: "c", node: "n1", start: start, lastEvent: start, end: end,
        events: [IncidentEvent(time: start, kind: .nodeOut, subject: "n1", detail: "down")],
        jobs: [], outage: NodeOutage(gpus: 8, usdPerGPUHour: 2, start: start, end: end))
    }
    let summary = IncidentSummary(
      incidents, state: state,
      totals: IncidentTotals(watchedSince: t0.addingTimeInterval(-8 * 86_400)), now: t0,
      rules: IncidentRules())
    let rate = try #require(summary.observedRate)
    #expect(rate.failures == 3 && rate.isEnough && abs(rate.failuresPer1000NodeDays - 375) < 1e-9)
    #expect(rate.byModel == [GPUModel.h100SXM.name: rate.failuresPer1000NodeDays])
    let observed = try #require(summary.observedFailures)
    #expect(abs((observed.perNodePerMonth[node.id] ?? 0) - 3 * 30 / 8) < 1e-9)
    // Each outage cost its node's eight GPUs an hour at $2.
    #expect(abs((summary.repairFirst.first?.usd ?? 0) - 3 * 8 * 2) < 1e-9)
    // Two days watched is not enough: the finder keeps its assumptions.
    let young = IncidentSummary(
      incidents, state: state,
      totals: IncidentTotals(watchedSince: t0.addingTimeInterval(-2 * 86_400)), now: t0,
      rules: IncidentRules())
    #expect(young.observedFailures == nil)
  }
}
