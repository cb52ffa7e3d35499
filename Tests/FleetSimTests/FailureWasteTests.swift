import FleetModel
import FleetSim
import Foundation
import Testing

@Suite struct FailureWasteTests {
  /// Four hours of minute activity with a 3-minute checkpoint dip at the top of every hour.
  let hourlyCheckpoints: [(time: Date, value: Double)] = (0..<240).map {
    (Date(timeIntervalSince1970: 1_794_985_600 + Double($0) * 60), $0 % 60 < 3 ? 5 : 92)
  }

  static let job = JobID(cluster: "big", id: "42")

  /// One 16,384-GPU job on 2,048 nodes (the scale of guide row R2), owning the whole cluster.
  func hugeJob(at now: Date) -> FleetState {
    let nodes = (0..<2_048).map {
      Node(name: "n\($0)", cluster: "big", rack: "r\($0 / 4)", state: .allocated)
    }
    let gpus = nodes.flatMap { node in
      (0..<8).map { GPU(uuid: "\(node.name)-\($0)", node: node.id, index: $0, model: .h100SXM) }
    }
    return FleetState(
      clusters: [Cluster(name: "big", scheduler: .slurm, site: "dc-east", pricing: .reserved3y)],
      nodes: nodes, gpus: gpus,
      jobs: [
        Job(
          id: "42", cluster: "big", name: "frontier-pretrain", user: "u", team: "t",
          kind: .training,
          state: .running, gpus: 16_384, nodes: nodes.map(\.name),
          start: now.addingTimeInterval(-86_400))
      ],
      allocations: Dictionary(uniqueKeysWithValues: gpus.map { ($0.id, Self.job) }))
  }

  @Test func aFrontierJobCheckpointingHourlyLosesASixthOfItsTime() throws {
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    let context = SavingsContext(
      state: hugeJob(at: now), prices: .demo, now: now, jobActivity: [Self.job: hourlyCheckpoints],
      historyHours: 3)
    let found = try #require(
      SavingsFinder.find(context).opportunities.first { $0.kind == .failureWaste })

    // MTTF 1.8 h (row R1); from 60 min to Young/Daly's √(2 · 1 min · MTTF) ≈ 15 min.
    let scenario = ReliabilityScenario(
      gpus: 16_384, failuresPer1000NodeDays: 6.5, restartMin: 5, checkpointCostMin: 1)
    let best = scenario.report.optimalCheckpointMin
    let gain = scenario.ettr(checkpointIntervalMin: best) - scenario.ettr(checkpointIntervalMin: 60)
    #expect(gain > 0.15 && gain < 0.17)
    let jobCost =
      16_384 * PriceBook.demo.price(model: "H100-SXM5-80GB", pricing: .reserved3y)!.usdPerGPUHour
      * 730
    #expect(abs(found.usdPerMonth - jobCost * gain) < 1e-6 * jobCost)
    #expect(found.confidence == 0.7)
    #expect(found.evidence.contains { $0.detail.contains("checkpoint dips every 60 min") })
    #expect(found.title.contains("every \(Int(best.rounded())) min"))
  }

  @Test func withoutVisibleCheckpointsItAssumesAnHourAndSaysSo() throws {
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    let context = SavingsContext(state: hugeJob(at: now), prices: .demo, now: now)
    let found = try #require(
      SavingsFinder.find(context).opportunities.first { $0.kind == .failureWaste })
    #expect(found.confidence == 0.4)
    #expect(found.evidence.contains { $0.detail.contains("60 min assumed") })
  }

  @Test func aCheckpointingDemoJobIsNearItsOptimum() throws {
    // The demo's pretraining job spans 256 nodes at 16,384 GPUs: MTTF 14 h makes an hourly
    // checkpoint nearly optimal, so nothing is raised.
    let fleet = try DemoFleet(gpus: 16_384, seed: 1)
    let now = Date(timeIntervalSince1970: 1_795_000_000 / 3_600 * 3_600 + 1_800)
    let state = fleet.state(at: now)
    let job = try #require(state.jobs.first { $0.name == fleet.groundTruth.stragglerJob })
    let context = SavingsContext(
      state: state, prices: .demo, now: now, jobActivity: [job.key: hourlyCheckpoints],
      historyHours: 3)
    #expect(!SavingsFinder.find(context).opportunities.contains { $0.kind == .failureWaste })
  }

  @Test func smallJobsAreNotWorthIt() throws {
    // The 1,024-GPU demo's largest job spans 16 nodes: failures are rare enough.
    let fleet = try DemoFleet(gpus: 1_024, seed: 1)
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    let state = fleet.state(at: now)
    let activity = Dictionary(uniqueKeysWithValues: state.jobs.map { ($0.key, hourlyCheckpoints) })
    let context = SavingsContext(
      state: state, prices: .demo, now: now, jobActivity: activity, historyHours: 3)
    #expect(!SavingsFinder.find(context).opportunities.contains { $0.kind == .failureWaste })
  }

  @Test func coarseSamplesHideCheckpoints() {
    // The same job seen every 5 minutes (a backfilled day): a 3-minute dip may fall between.
    let coarse = hourlyCheckpoints.enumerated().filter { $0.offset % 5 == 0 }.map(\.element)
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    let context = SavingsContext(
      state: hugeJob(at: now), prices: .demo, now: now, jobActivity: [Self.job: coarse])
    let found = SavingsFinder.find(context).opportunities.first { $0.kind == .failureWaste }
    #expect(found?.confidence == 0.4)  // cadence not claimed; 60 min assumed
  }

  @Test func youngDalyMaximizesETTR() {
    let scenario = ReliabilityScenario(
      gpus: 16_384, failuresPer1000NodeDays: 6.5, checkpointCostMin: 2)
    let best = scenario.report.optimalCheckpointMin
    for other in [best * 0.5, best * 0.8, best * 1.25, best * 2] {
      #expect(
        scenario.ettr(checkpointIntervalMin: best) >= scenario.ettr(checkpointIntervalMin: other))
    }
  }
}
