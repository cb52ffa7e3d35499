import FleetModel
import FleetSim
import Foundation
import Testing

/// The incident log against the failures the demo factory plants, drawn from the Llama 3
/// mix: each becomes one incident on its node (or its job, when the failure shows nowhere
/// else), hitting its job, priced within ±5 % of what it cost; nothing else hits a job.
@Suite struct IncidentGroundTruthTests {
  let fleet = try! DemoFleet(gpus: 256, seed: 1)
  let prices = PriceBook.demo
  let stepS = 60.0

  @Test func plantedFailuresBecomeIncidentsPricedWithinFivePercent() throws {
    let from = Date(timeIntervalSince1970: 1_795_000_000)
    let to = from.addingTimeInterval(2 * 86_400)
    let planted = fleet.plantedIncidents(from: from.addingTimeInterval(6 * 3_600), to: to)
      .filter { $0.time.addingTimeInterval($0.restartS + 1_800) < to }
    #expect(planted.count >= 3)
    // A poll a minute, checkpoints read from the minute activity the steps saw.
    let log = fleet.incidentLog(from: from, through: to, stepS: stepS, prices: prices)
    let hitting = log.incidents.filter { !$0.jobs.isEmpty }
    #expect(
      hitting.count == planted.count,
      "\(hitting.map { "\($0.id): \($0.jobs.map(\.name))" })")
    let rate = prices.price(model: GPUModel.h100SXM.name, pricing: .reserved3y)
    for truth in planted {
      let incident = try #require(
        hitting.first {
          $0.jobs.contains {
            $0.job == truth.jobID && abs($0.stopped.timeIntervalSince(truth.time)) <= stepS
          }
        },
        "\(truth.component) at \(truth.time) on \(truth.node) found no incident")
      let showsOnNode = truth.xid != nil || truth.linkDown || truth.nodeOut != nil
      #expect(incident.node == (showsOnNode ? truth.node : nil), "\(truth.component)")
      #expect(incident.end != nil, "\(truth.component): still open")
      let cost = incident.cost(at: to, rules: IncidentRules())
      #expect(
        abs(cost.gpuHours - truth.gpuHours) <= truth.gpuHours * 0.05,
        "\(truth.component): \(cost.gpuHours) GPU-h, planted \(truth.gpuHours)")
      #expect(cost.assumptions.isEmpty, "\(truth.component): \(cost.assumptions)")
      if let rate, let usd = cost.usd, incident.jobs.allSatisfy({ $0.gpus == truth.jobGPUs }) {
        // The training cluster mixes H100 and H200 nodes: bound by the cheaper.
        #expect(usd >= truth.gpuHours * rate.usdPerGPUHour * 0.95, "\(truth.component)")
      }
      if let xid = truth.xid {
        #expect(incident.events.contains { $0.kind == .xid && $0.detail.hasPrefix("XID \(xid)") })
      }
    }
  }

  @Test func theFailureMixIsLlama3s() {
    // Over a long run, the planted causes follow Table 5's counts: GPUs about two thirds.
    let planted = fleet.plantedIncidents(
      from: Date(timeIntervalSince1970: 1_700_000_000),
      to: Date(timeIntervalSince1970: 1_700_000_000 + 400 * 86_400))
    let gpuShare =
      Double(
        planted.filter {
          $0.component.hasPrefix("GPU")
            || ["Faulty GPU", "Silent data corruption"].contains($0.component)
        }.count)
      / Double(planted.count)
    #expect(planted.count > 600)
    #expect(abs(gpuShare - 268.0 / 419) < 0.06, "GPU share \(gpuShare)")
  }
}

/// Goodput against the demo's truth: a job a planted failure hit over the last day lost the
/// work since its checkpoint and its wait (within ±5 %), and its ETTR is that and its hourly
/// checkpoint stalls (within 0.01).
@Suite struct GoodputGroundTruthTests {
  let fleet = try! DemoFleet(gpus: 256, seed: 1)

  @Test func jobsHitByPlantedFailuresLoseWhatTheyCost() throws {
    let now = Date(timeIntervalSince1970: 1_795_100_000)
    let windowStart = now.addingTimeInterval(-GoodputSummary.windowS)
    let (log, activity) = fleet.replay(
      from: windowStart.addingTimeInterval(-6 * 3_600), through: now, stepS: 60, prices: .demo)
    let state = fleet.state(at: now)
    let goodput = GoodputSummary(
      state: state, incidents: log.incidents, jobActivity: activity, prices: .demo,
      savings: SavingsRules(), rules: IncidentRules(), now: now)
    let planted = fleet.plantedIncidents(from: windowStart, to: now)
      .filter { $0.time.addingTimeInterval($0.restartS) < now }
    var checked = 0
    for (job, truths) in Dictionary(grouping: planted, by: \.jobID) {
      let measured = try #require(goodput.jobs.first { $0.job == job }, "\(job) not measured")
      // Only jobs that ran the whole day: their wall time is the window.
      guard abs(measured.wallHours - 24) < 0.05 else { continue }
      let lost = truths.reduce(0) { $0 + $1.lostWorkS + $1.restartS } / 3_600
      #expect(
        abs(measured.lostToFailuresHours - lost) <= lost * 0.05,
        "\(job): \(measured.lostToFailuresHours) h lost, planted \(lost)")
      // Three minutes of every running hour write its checkpoint at ~5.5 % activity.
      let values = try #require(activity[job]?.map(\.value).sorted())
      let median = values[values.count / 2]
      let running = 24 - truths.reduce(0) { $0 + $1.restartS } / 3_600
      let stalls = running * 180 / 3_600 * (1 - 5.5 / median)
      let ettr = 1 - (lost + stalls) / 24
      #expect(abs(measured.ettr - ettr) <= 0.01, "\(job): ETTR \(measured.ettr), truth \(ettr)")
      #expect(measured.expectedETTR > 0.9 && measured.expectedETTR < 1)
      checked += 1
    }
    #expect(checked >= 1)
    // Teams and clusters add up their jobs.
    let lost = goodput.jobs.reduce(0) { $0 + $1.lostGPUHours }
    #expect(abs(goodput.clusters.reduce(0) { $0 + $1.lostGPUHours } - lost) < 1e-6)
    #expect(abs(goodput.teams.reduce(0) { $0 + $1.lostGPUHours } - lost) < 1e-6)
  }
}
