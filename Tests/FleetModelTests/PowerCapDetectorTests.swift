import FleetModel
import Foundation
import Testing

@Suite struct PowerCapDetectorTests {
  let now = Date(timeIntervalSince1970: 1_795_000_000)

  /// Eight H100 at 680 W on owned hardware, in a site that pays dearly for power.
  func context(pricing: PricingKind = .owned, watts: Double = 680) -> SavingsContext {
    let gpus = (0..<8).map {
      GPU(uuid: "g\($0)", node: NodeID(cluster: "own", name: "n"), index: $0, model: .h100SXM)
    }
    let state = FleetState(
      clusters: [Cluster(name: "own", scheduler: .slurm, site: "s", pricing: pricing)],
      nodes: [Node(name: "n", cluster: "own", rack: "r", state: .allocated)],
      gpus: gpus,
      jobs: [
        Job(
          id: "7", cluster: "own", name: "train", user: "u", team: "t", kind: .training,
          state: .running, gpus: 8, nodes: ["n"], start: now)
      ],
      gpuSamples: Dictionary(
        uniqueKeysWithValues: gpus.map {
          ($0.id, GPUSample(time: now, smActivePct: 95, powerW: watts))
        }),
      allocations: Dictionary(
        uniqueKeysWithValues: gpus.map { ($0.id, JobID(cluster: "own", id: "7")) }))
    let prices = PriceBook(
      prices: [
        .init(model: "H100-SXM5-80GB", pricing: .owned): GPUHourPrice(
          usdPerGPUHour: 0.1, asOf: "2024-01-01", source: "po"),
        .init(model: "H100-SXM5-80GB", pricing: .onDemand): GPUHourPrice(
          usdPerGPUHour: 4, asOf: "2024-01-01", source: "list"),
      ],
      energy: EnergyTariff(usdPerKWh: 0.5, asOf: "2024-01-01", source: "utility"),
      pueBySite: ["s": 1.5])
    return SavingsContext(state: state, prices: prices, now: now)
  }

  @Test func picksTheCapWithTheBestNetSaving() throws {
    let found = try #require(
      SavingsFinder.find(context()).opportunities.first { $0.kind == .powerCap })
    let energy = 8 * 0.68 * 1.5 * 0.5 * 730  // USD/month of GPU energy
    let hardware = 8 * 0.1 * 730
    #expect(abs(found.usdPerMonth - (energy * 0.166 - hardware * 0.041)) < 1e-6)
    #expect(found.title.contains("420 W"))
  }

  @Test func cloudPricesIncludePowerSoThereIsNothingToSave() {
    #expect(
      !SavingsFinder.find(context(pricing: .onDemand)).opportunities.contains {
        $0.kind == .powerCap
      })
  }

  @Test func lightlyLoadedGPUsRarelyReachACap() {
    #expect(
      !SavingsFinder.find(context(watts: 300)).opportunities.contains { $0.kind == .powerCap })
  }

  @Test func noSweepMayClaimMoreThanTheCeiling() throws {
    let optimistic = PowerCapCurve(
      points: [.init(limitShare: 0.7, energySaved: 0.5, slowdown: 0)], source: "too good")
    #expect(optimistic.points[0].energySaved == PowerCapCurve.energySavedCeiling)
    var rules = SavingsRules()
    rules.powerCap = optimistic
    let found = try #require(
      SavingsFinder.find(context(), rules: rules).opportunities.first { $0.kind == .powerCap })
    #expect(abs(found.usdPerMonth - 8 * 0.68 * 1.5 * 0.5 * 730 * 0.30) < 1e-6)
  }

  @Test func aMeasuredSweepBecomesACurve() {
    let calibration = PowerCapCalibration(samples: [
      PowerSweepSample(
        configuration: ["a"], powerLimitW: 300, timePerEpochS: 10, averagePowerW: 300),
      PowerSweepSample(
        configuration: ["a"], powerLimitW: 200, timePerEpochS: 11, averagePowerW: 200),
    ])
    let curve = PowerCapCurve(calibration, source: "ours")
    #expect(curve.points.map(\.limitShare) == [200.0 / 300, 1])
    #expect(abs(curve.points[0].energySaved - (1 - 2_200.0 / 3_000)) < 1e-12)
    #expect(abs(curve.points[0].slowdown - 0.1) < 1e-12)
  }
}
