import Feeds
import FleetModel
import Foundation
import Testing

/// The real captures in ../shared/fixtures (never copied into the repo).
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("shared/fixtures")
let zeusSweep = fixtures.appendingPathComponent(
  "traces/zeus/summary_power_v100_cifar100_shufflenetv2.csv")

@Suite struct SweepFileTests {
  @Test(
    .enabled(
      if: FileManager.default.fileExists(atPath: zeusSweep.path), "shared/fixtures is absent"))
  func zeusV100SweepGivesThePublishedShape() throws {
    let text = try String(contentsOf: zeusSweep, encoding: .utf8)
    let samples = try SweepFile.parse(text, source: zeusSweep.lastPathComponent)
    #expect(samples.count == 140)
    let levels = PowerCapCalibration(samples: samples).levels
    // Medians over the 20 configurations, computed independently from the same file.
    let expected: [(Double, Double, Double)] = [
      (100, 26.76, 11.18), (125, 22.33, 8.26), (150, 16.63, 4.07), (175, 10.15, 3.13),
      (200, 6.70, 2.30), (225, 2.54, 1.20), (250, 0, 0),
    ]
    #expect(levels.count == expected.count)
    for (level, (limit, saved, slowdown)) in zip(levels, expected) {
      #expect(level.powerLimitW == limit)
      #expect(
        abs(level.energySavedPct - saved) < 0.01, "\(limit) W saves \(level.energySavedPct) %")
      #expect(abs(level.slowdownPct - slowdown) < 0.01, "\(limit) W slows \(level.slowdownPct) %")
      #expect(level.configs == 20)
    }
    // At 60–70 % of the 250 W maximum, double-digit savings for a few percent of slowdown.
    let knee = try #require(levels.first { $0.powerLimitW == 150 })
    #expect(knee.energySavedPct > 10 && knee.slowdownPct < 5)
  }

  @Test func badInputNamesTheLineAndTheColumn() {
    let header = "dataset,network,batch_size,optimizer,power_limit,time_per_epoch,average_power\n"
    #expect(
      throws: InputError(
        source: "s.csv", line: 3, column: "average_power", message: "\"fast\" is not a number")
    ) {
      try SweepFile.parse(header + "c,n,1,o,100,1,2\nc,n,1,o,125,1,fast\n", source: "s.csv")
    }
    #expect(throws: InputError(source: "s.csv", message: "empty file: expected a header row")) {
      try SweepFile.parse("", source: "s.csv")
    }
    #expect(throws: InputError(source: "s.csv", message: "no data rows")) {
      try SweepFile.parse(header, source: "s.csv")
    }
    #expect {
      try SweepFile.parse("a,b\n1,2\n", source: "s.csv")
    } throws: { error in
      (error as? InputError)?.column == "power_limit" && (error as? InputError)?.line == 1
    }
  }
}

@Suite struct OccupancyFileTests {
  let columns = OccupancyFile.Columns(
    time: "ts", allocated: "alloc", total: "cap", pending: "queue")

  @Test func readsTheNamedColumns() throws {
    let text = "ts,cap,alloc,queue\n2026-01-01T00:00Z,100,80,0\n2026-01-01T01:00Z,100,40,50\n"
    let report = OccupancyReport(
      samples: try OccupancyFile.parse(text, source: "o.csv", columns: columns))
    #expect(report.allocationPct == 60 && report.strandedPct == 25)
    #expect(report.start == "2026-01-01T00:00Z" && report.end == "2026-01-01T01:00Z")
  }

  @Test func aMissingColumnListsTheOnesThere() {
    #expect(
      throws: InputError(
        source: "o.csv", line: 1, column: "queue",
        message: "no such column (the file has: ts, cap, alloc)")
    ) {
      try OccupancyFile.parse("ts,cap,alloc\nx,1,1\n", source: "o.csv", columns: columns)
    }
  }

  @Test func aShortRowIsNamed() {
    #expect(
      throws: InputError(source: "o.csv", line: 2, column: "queue", message: "the row is too short")
    ) {
      try OccupancyFile.parse("ts,cap,alloc,queue\nx,1,1\n", source: "o.csv", columns: columns)
    }
  }
}
