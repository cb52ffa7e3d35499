import Feeds
import FleetModel
import Foundation
import Testing

let focusSample = fixtures.appendingPathComponent("focus/focus_sample_head300.csv")

@Suite struct FocusFileTests {
  @Test(
    .enabled(
      if: FileManager.default.fileExists(atPath: focusSample.path), "shared/fixtures is absent"))
  func theFinOpsSampleSumsExactlyToAnIndependentSum() throws {
    let text = try String(contentsOf: focusSample, encoding: .utf8)
    let rows = try FocusFile.parse(text, source: "focus_sample_head300.csv")
    #expect(rows.count == 300)
    let summary = BillingSummary(rows)
    #expect(summary.currency == "USD")
    // The same sums by Python's csv and decimal modules: another parser, exact arithmetic.
    let script = """
      import csv, decimal, json, sys
      rows = list(csv.DictReader(open(sys.argv[1], newline="")))
      d = lambda v: decimal.Decimal(v) if v not in ("NULL", "") else decimal.Decimal(0)
      services = {}
      for r in rows:
          b, e = services.get(r["ServiceName"], (decimal.Decimal(0), decimal.Decimal(0)))
          services[r["ServiceName"]] = (b + d(r["BilledCost"]), e + d(r["EffectiveCost"]))
      print(json.dumps({
          "billed": str(sum(d(r["BilledCost"]) for r in rows)),
          "effective": str(sum(d(r["EffectiveCost"]) for r in rows)),
          "list": str(sum(d(r["ListCost"]) for r in rows)),
          "services": {k: [str(b), str(e)] for k, (b, e) in services.items()},
      }))
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, focusSample.path]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    func decimal(_ text: Any?) -> Decimal? { (text as? String).flatMap { Decimal(string: $0) } }
    #expect(summary.billedCost == decimal(expected["billed"]))
    #expect(summary.effectiveCost == decimal(expected["effective"]))
    #expect(summary.listCost == decimal(expected["list"]))
    let services = try #require(expected["services"] as? [String: [String]])
    #expect(summary.byService.count == services.count)
    for service in summary.byService {
      let sums = try #require(services[service.service])
      #expect(service.billedCost == Decimal(string: sums[0]), "\(service.service)")
      #expect(service.effectiveCost == Decimal(string: sums[1]), "\(service.service)")
    }
    // The period: September 2024, charges [start, end).
    #expect(summary.periodStart.map { $0 >= Date(timeIntervalSince1970: 1_725_148_800) } == true)
  }

  let header =
    "BilledCost,EffectiveCost,ListCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,ResourceId,Tags,x_custom\n"

  @Test func acceptsNullsEmptyCellsISOTimesAndCustomColumns() throws {
    let text =
      header
      + "0.10,0.08,0.12,USD,2024-09-18 22:00:00,2024-09-18 23:00:00,EC2,i-1,\"{\"\"cluster\"\": \"\"train-a\"\"}\",x\n"
      + "0.20,0.20,0.20,USD,2024-09-18T23:00:00Z,2024-09-19T00:00:00Z,EC2,NULL,,\n"
    let rows = try FocusFile.parse(text, source: "b.csv")
    #expect(rows.map(\.billedCost) == [Decimal(string: "0.10"), Decimal(string: "0.20")])
    #expect(rows[0].periodStart == Date(timeIntervalSince1970: 1_726_696_800))
    #expect(rows[1].periodStart == rows[0].periodEnd)
    #expect(rows[0].tags == ["cluster": "train-a"] && rows[1].tags.isEmpty)
    #expect(rows[1].resourceId == nil)
    // 0.1 + 0.2 is exactly 0.3 in decimal.
    #expect(BillingSummary(rows).billedCost == Decimal(string: "0.30"))
  }

  /// Money is read whole or refused: `Decimal(string:)` alone reads `12abc` as 12.
  @Test(
    arguments: [
      ("0.10", "0.1"), ("-3", "-3"), ("+.5", "0.5"), ("7.", "7"), ("1.5e3", "1500"),
      ("2E-2", "0.02"),
      ("12abc", nil), ("1,5", nil), (".", nil), ("1e", nil), ("e5", nil), ("--1", nil),
      ("1.2.3", nil),
      ("\u{0663}", nil), ("1 000", nil),
    ] as [(String, String?)])
  func aCostIsADecimalNumberOrRefused(cell: String, reads: String?) throws {
    let text =
      header + "\(cell),1,1,USD,2024-09-18 22:00:00,2024-09-18 23:00:00,S,,,\n"
    let billed = try? FocusFile.parse(text, source: "b.csv").first?.billedCost
    #expect(billed == reads.flatMap { Decimal(string: $0) })
  }

  @Test func badCellsNameTheLineAndTheColumn() {
    #expect(
      throws: InputError(
        source: "b.csv", line: 3, column: "EffectiveCost", message: "\"1,5\" is not a number")
    ) {
      try FocusFile.parse(
        header + "1,1,1,USD,2024-09-18 22:00:00,2024-09-18 23:00:00,S,,,\n"
          + "1,\"1,5\",1,USD,2024-09-18 22:00:00,2024-09-18 23:00:00,S,,,\n", source: "b.csv")
    }
    #expect(
      throws: InputError(
        source: "b.csv", line: 2, column: "ChargePeriodStart",
        message: "\"yesterday\" is not a time (expected 2024-09-18 22:00:00 or ISO-8601)")
    ) {
      try FocusFile.parse(
        header + "1,1,1,USD,yesterday,2024-09-18 23:00:00,S,,,\n", source: "b.csv")
    }
    #expect(
      throws: InputError(
        source: "b.csv", line: 2, column: "BilledCost", message: "a value is required here")
    ) {
      try FocusFile.parse(
        header + "NULL,1,1,USD,2024-09-18 22:00:00,2024-09-18 23:00:00,S,,,\n", source: "b.csv")
    }
  }

  @Test func chargesMapToClustersByTagOrByNode() throws {
    let state = FleetState(
      clusters: [
        Cluster(name: "train-a", scheduler: .slurm, site: "s", pricing: .onDemand),
        Cluster(name: "infer", scheduler: .kubernetes, site: "s", pricing: .onDemand),
      ],
      nodes: [Node(name: "i-0abc", cluster: "infer", rack: "r", state: .idle)])
    let text =
      header
      + "5,5,5,USD,2024-09-18 22:00:00,2024-09-18 23:00:00,EC2,arn:x,\"{\"\"cluster\"\": \"\"train-a\"\"}\",\n"
      + "3,3,3,USD,2024-09-18 22:00:00,2024-09-18 23:00:00,EC2,i-0abc,,\n"
      + "1,1,1,USD,2024-09-18 22:00:00,2024-09-18 23:00:00,S3,bucket,,\n"
    let summary = BillingSummary(
      try FocusFile.parse(text, source: "b.csv"), clusterOf: BillingSummary.clusters(of: state))
    #expect(summary.byCluster.map(\.cluster) == ["train-a", "infer", "(unmapped)"])
    #expect(summary.byCluster.map(\.effectiveCost) == [5, 3, 1])
  }
}
