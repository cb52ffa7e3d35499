import FleetModel
import FleetSim
import Foundation
import Testing

/// The incident log against the failures the demo factory plants, drawn from the Llama 3
/// mix: each becomes one incident on its node (or its job, when the failure shows nowhere
/// else), hitting its job, priced within ±5 % of what it cost; nothing else hits a job.
@Suite struct IncidentGroundTruthTests {
  let fleet = try! DemoFleet(gpus: 1_024, seed: 1)
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
