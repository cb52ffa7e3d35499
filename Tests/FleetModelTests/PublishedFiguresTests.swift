import FleetModel
import Testing

/// The rows of shared/guides/model-figures.md: scenarios from published measurements, and the
/// figures the model must reproduce within the stated tolerance.
@Suite struct PublishedFiguresTests {
  func within(_ value: Double, _ expected: Double, relative: Double) -> Bool {
    abs(value - expected) <= abs(expected) * relative
  }

  /// R1, Kokolis et al. (HPCA 2025): job MTTF = 1 / (nodes × r_f) at 6.5 failures per 1,000 node-days.
  @Test(arguments: [(16_384, 1.8), (131_072, 0.23)])
  func r1JobMTTFShrinksWithScale(gpus: Int, mttfH: Double) {
    let report = ReliabilityScenario(gpus: gpus, failuresPer1000NodeDays: 6.5).report
    #expect(within(report.mttfH, mttfH, relative: 0.05), "\(report.mttfH) h")
  }

  /// R2: a 16,384-GPU job, 5 min restarts; hourly checkpoints versus every 5 minutes.
  @Test(arguments: [(60.0, 0.70), (5.0, 0.93)])
  func r2CheckpointIntervalDecidesETTR(intervalMin: Double, ettr: Double) {
    let report = ReliabilityScenario(
      gpus: 16_384, failuresPer1000NodeDays: 6.5, checkpointIntervalMin: intervalMin, restartMin: 5
    ).report
    #expect(abs(report.ettr - ettr) <= 0.03, "ETTR \(report.ettr)")
  }

  /// R3, "The Llama 3 Herd of Models": 16,384 H100 for 54 days at 3.79 failures per 1,000 node-days.
  @Test func r3Llama3Interruptions() {
    let report = ReliabilityScenario(gpus: 16_384, failuresPer1000NodeDays: 3.79, days: 54).report
    #expect(
      within(report.expectedInterruptions, 419, relative: 0.10), "\(report.expectedInterruptions)")
    #expect(within(report.mttfH, 3.1, relative: 0.10), "\(report.mttfH) h")
  }

  @Test func youngDalyInterval() {
    // τ = √(2 δ MTTF): δ = 1 min, MTTF = 1.8 h = 108.2 min → ≈ 14.7 min.
    let report = ReliabilityScenario(
      gpus: 16_384, failuresPer1000NodeDays: 6.5, checkpointCostMin: 1
    ).report
    #expect(abs(report.optimalCheckpointMin - (2 * 1 * report.mttfH * 60).squareRoot()) < 1e-9)
    #expect(report.optimalCheckpointMin > 14 && report.optimalCheckpointMin < 15.5)
  }

  /// P1: AWS p5.48xlarge list prices (2023), on-demand $98.32/h against 1- and 3-year reservations.
  @Test(arguments: [(57.63, 58.6), (43.16, 43.9)])
  func p1ReservationBreakEven(reserved: Double, breakEvenPct: Double) {
    let answer = ReservationBreakEven(onDemandUSDPerHour: 98.32, reservedUSDPerHour: reserved)
    #expect(abs(answer.breakevenUtilizationPct - breakEvenPct) <= 0.5)
  }

  /// P2: an owned H100 at $50k over 5 years, 8.4 kW per 8-GPU node, PUE 1.56, $0.08/kWh.
  @Test func p2OwnedH100CostAndTheValueOfAnEnergyCut() {
    let cost = OwnedGPUCost(
      capexUSD: 50_000, years: 5, nodeKW: 8.4, gpusPerNode: 8, pue: 1.56, usdPerKWh: 0.08)
    #expect(within(cost.energyUSDPerGPUHour, 0.13, relative: 0.20))
    #expect(within(cost.capexUSDPerGPUHour, 1.14, relative: 0.20))
    #expect(cost.tcoUSDPerGPUHour == cost.capexUSDPerGPUHour + cost.energyUSDPerGPUHour)
    let saved = cost.savedShare(gpuEnergyCut: 0.15, gpuShareOfNodePower: 0.70)
    #expect(within(saved, 0.01, relative: 0.20), "\(saved)")
  }
}

@Suite struct CalibrationPropertyTests {
  @Test func moreFailuresNeverRaiseETTR() {
    var previous = 1.0
    for rate in stride(from: 0.5, through: 20, by: 0.5) {
      let ettr = ReliabilityScenario(gpus: 4_096, failuresPer1000NodeDays: rate).report.ettr
      #expect(ettr <= previous)
      previous = ettr
    }
  }

  @Test func aPartlyUsedNodeCountsAsANode() {
    #expect(ReliabilityScenario(gpus: 9, failuresPer1000NodeDays: 1).nodes == 2)
  }

  @Test func occupancyByHand() {
    // Two steps of 100 GPUs: 80 then 40 allocated; 50 GPUs waiting in the second step.
    // allocation = 120 / 200 = 60 %; stranded = (0 + min(60, 50)) / 200 = 25 %.
    let report = OccupancyReport(samples: [
      OccupancySample(time: "t0", allocated: 80, total: 100, pending: 0),
      OccupancySample(time: "t1", allocated: 40, total: 100, pending: 50),
    ])
    #expect(report.allocationPct == 60)
    #expect(report.idlePct == 40)
    #expect(report.strandedPct == 25)
    #expect(report.samples == 2 && report.start == "t0" && report.end == "t1")
  }

  @Test func occupancyWithoutDemandHasNoStrandedFigure() {
    let report = OccupancyReport(samples: [OccupancySample(time: "t", allocated: 1, total: 2)])
    #expect(report.strandedPct == nil)
    #expect(OccupancyReport(samples: []).allocationPct == nil)
  }

  @Test func powerCapAgainstEachConfigurationsOwnBaseline() {
    let samples = [
      PowerSweepSample(
        configuration: ["a"], powerLimitW: 300, timePerEpochS: 10, averagePowerW: 300),
      PowerSweepSample(
        configuration: ["a"], powerLimitW: 200, timePerEpochS: 11, averagePowerW: 200),
      PowerSweepSample(
        configuration: ["b"], powerLimitW: 300, timePerEpochS: 20, averagePowerW: 250),
      PowerSweepSample(
        configuration: ["b"], powerLimitW: 200, timePerEpochS: 24, averagePowerW: 180),
    ]
    let levels = PowerCapCalibration(samples: samples).levels
    #expect(levels.map(\.powerLimitW) == [200, 300])
    // a: 1 − 2200/3000 = 26.67 %; b: 1 − 4320/5000 = 13.6 %; median 20.13 %.
    #expect(abs(levels[0].energySavedPct - (26.666_666_7 + 13.6) / 2) < 1e-6)
    #expect(abs(levels[0].slowdownPct - 15) < 1e-9)  // 10 % and 20 %
    #expect(levels[1].energySavedPct == 0 && levels[1].configs == 2)
  }
}
