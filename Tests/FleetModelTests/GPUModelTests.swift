import FleetModel
import Testing

@Suite struct GPUModelTests {
  @Test func catalogHasTheSixModelsWithTheirTDP() {
    let tdp = Dictionary(uniqueKeysWithValues: GPUModel.catalog.map { ($0.name, $0.tdpW) })
    #expect(tdp["A100-SXM4-80GB"] == 400)
    #expect(tdp["H100-SXM5-80GB"] == 700)
    #expect(tdp["H200-SXM-141GB"] == 700)
    #expect(tdp["B200-SXM-192GB"] == 1_000)
    #expect(tdp["L40S-48GB"] == 350)
    #expect(tdp["MI300X-192GB"] == 750)
  }

  @Test(arguments: GPUModel.catalog)
  func idlePowerIsTenToSixteenPercentOfTDP(model: GPUModel) {
    let share = model.idleW / model.tdpW
    #expect(share >= 0.10 && share <= 0.16, "\(model.name) idles at \(share)")
  }

  @Test func powerFollowsTheLinearLawAndIsClamped() {
    let h100 = GPUModel.h100SXM
    #expect(h100.powerW(atActivity: 0) == 75)
    #expect(h100.powerW(atActivity: 1) == 700)
    #expect(h100.powerW(atActivity: 0.5) == 75 + 625 * 0.5)
    #expect(h100.powerW(atActivity: 3) == 700)
    #expect(h100.powerW(atActivity: -1) == 75)
  }

  @Test func lookupByName() {
    #expect(GPUModel.named("L40S-48GB") == .l40s)
    #expect(GPUModel.named("RTX 4000") == nil)
  }
}
