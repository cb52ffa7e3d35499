import Foundation
import Testing

@Suite struct ModelCommandTests {
  func json(_ arguments: [String]) throws -> [String: Any] {
    let result = try run(try factopBinary(), ["model"] + arguments)
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
  }

  @Test func reliabilityAnswersWithTheContractKeys() throws {
    let answer = try json([
      "reliability", "--gpus", "16384", "--failure-rate", "3.79", "--days", "54", "--format",
      "json",
    ])
    #expect(
      Set(answer.keys) == ["mttf_h", "expected_interruptions", "ettr", "optimal_checkpoint_min"])
    let interruptions = try #require(answer["expected_interruptions"] as? Double)
    #expect(abs(interruptions - 419) < 42)
  }

  @Test func pricingAnswersBreakEvenAndOwnedCost() throws {
    let breakEven = try json([
      "pricing", "--on-demand-usd-per-h", "98.32", "--reserved-usd-per-h", "57.63",
    ])
    #expect(Set(breakEven.keys) == ["breakeven_utilization_pct"])
    let owned = try json([
      "pricing", "--capex-usd", "50000", "--years", "5", "--node-kw", "8.4", "--gpus-per-node", "8",
      "--pue", "1.56", "--usd-per-kwh", "0.08",
    ])
    #expect(
      Set(owned.keys).isSuperset(of: [
        "capex_usd_per_gpu_h", "energy_usd_per_gpu_h", "tco_usd_per_gpu_h",
      ]))
  }

  @Test func occupancyReadsTheNamedColumns() throws {
    let file = temporaryFolder().appendingPathComponent("series.csv")
    try "when,used,all,waiting\na,80,100,0\nb,40,100,50\n".write(
      to: file, atomically: true, encoding: .utf8)
    let answer = try json([
      "occupancy", file.path, "--time", "when", "--allocated", "used", "--total", "all",
      "--pending", "waiting",
    ])
    #expect(answer["allocation_pct"] as? Double == 60)
    #expect(answer["stranded_pct"] as? Double == 25)
    #expect(answer["samples"] as? Int == 2)
    #expect(answer["start"] as? String == "a" && answer["end"] as? String == "b")
  }

  @Test(arguments: [
    ("when,used,all\na,80,100\nb,forty,100\n", "line 3 column used: \"forty\" is not a number"),
    ("when,used\na,80\n", "line 1 column all: no such column"),
    ("", "empty file"),
  ])
  func badInputExitsTwoNamingFileLineAndColumn(content: String, message: String) throws {
    let file = temporaryFolder().appendingPathComponent("series.csv")
    try content.write(to: file, atomically: true, encoding: .utf8)
    let result = try run(
      try factopBinary(),
      ["model", "occupancy", file.path, "--time", "when", "--allocated", "used", "--total", "all"])
    #expect(result.status == 2)
    #expect(
      result.stderr.contains(file.path) && result.stderr.contains(message), "\(result.stderr)")
  }

  @Test func powercapNeedsAReadableSweep() throws {
    let result = try run(
      try factopBinary(), ["model", "powercap", "--sweep", "/nonexistent/sweep.csv"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("/nonexistent/sweep.csv: cannot read it"))
  }

  @Test func pricingSaysWhatIsMissing() throws {
    let result = try run(try factopBinary(), ["model", "pricing", "--capex-usd", "5"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("also give --node-kw, --pue, --usd-per-kwh, --years"))
  }
}
