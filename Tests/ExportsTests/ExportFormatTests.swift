import Exports
import FleetModel
import FleetSim
import Foundation
import Testing
import UntrustedText

let instant = Date(timeIntervalSince1970: 1_795_010_400)  // 2026-11-18 14:00 UTC

/// The demo fleet's tables at a fixed instant: the same input every run.
let demoTables: SnapshotTables = {
  let fleet = try! DemoFleet(gpus: 256, seed: 1)
  let polled = instant.addingTimeInterval(-2)
  var state = fleet.state(at: polled)
  // Two InfiniBand ports of the first node (the demo's own one, and a second), one flapping.
  let first = NodeID(cluster: "train-a", name: "gpu-a0001")
  state.fabric = [
    FabricPort(
      node: first.name, nodeID: first, device: "mlx5_0", port: "1", stateID: 4,
      physicalStateID: 5,
      rateBytesPerS: 5e10, receivedBytesPerS: 1.5e9, transmittedBytesPerS: 1.2e9,
      linkDownedTotal: 3, linkDownedNew: 1, receiveErrorsTotal: 7, time: polled),
    FabricPort(
      node: first.name, nodeID: first, device: "mlx5_1", port: "1", stateID: 1, time: polled),
  ]
  // No history: only the detectors that judge the present (idle, stragglers, drained nodes).
  return SnapshotTables(
    report: FleetReport(
      state: state,
      sources: [
        SourceHealth(
          name: "demo", kind: "sim", intervalS: 10, lastAttempt: polled, lastSuccess: polled)
      ], history: FleetHistory(),
      ledger: fleet.ledger(
        from: polled.addingTimeInterval(-3 * 86_400), through: polled, prices: .demo),
      incidents: fleet.incidentLog(
        from: polled.addingTimeInterval(-3 * 86_400), through: polled, stepS: 300, prices: .demo
      ).incidents,
      incidentTotals: IncidentTotals(
        watchedSince: polled.addingTimeInterval(-3 * 86_400), usd: 1_234.5, gpuHours: 567.8),
      rules: FleetRules(prices: .demo, budgets: fleet.powerBudgets), now: instant))
}()

/// The tables of an empty fleet with these imported bills.
func billedTables(_ bills: [BillingRow]) -> SnapshotTables {
  SnapshotTables(
    report: FleetReport(
      state: FleetState(), sources: [], history: FleetHistory(), bills: bills,
      rules: FleetRules(prices: .demo), now: instant))
}

/// Compares `text` with `Golden/NAME`; `FACTOP_RECORD_GOLDEN=1` rewrites it.
func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation)
  throws
{
  let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Golden/\(name)")
  if ProcessInfo.processInfo.environment["FACTOP_RECORD_GOLDEN"] == "1" {
    try text.write(to: url, atomically: true, encoding: .utf8)
    return
  }
  let expected = try String(contentsOf: url, encoding: .utf8)
  #expect(text == expected, "\(name) differs from its golden file", sourceLocation: sourceLocation)
}

@Suite struct ExportFormatTests {
  @Test(arguments: SnapshotView.allCases)
  func everyViewAsCSVAndMarkdown(view: SnapshotView) throws {
    let table = demoTables.table(view)
    try expectGolden(CSVExport.render(table), "\(view.rawValue).csv")
    try expectGolden(
      MarkdownExport.render(table, snapshot: demoTables.snapshot), "\(view.rawValue).md")
    // Every row has a cell per column.
    #expect(table.rows.allSatisfy { $0.count == table.columns.count })
  }

  @Test func prometheusExposition() throws {
    try expectGolden(PromExport.render(demoTables), "snapshot.prom")
  }

  @Test func focusAllocation() throws {
    let hour = Date(timeIntervalSince1970: 1_795_003_200)  // 12:00 UTC
    let rows = [
      CostAllocation(
        scope: .team, name: "vision", team: "vision", cluster: nil, hourStart: hour, usd: 212.504),
      CostAllocation(
        scope: .job, name: "train-a/42", team: "vision", cluster: "train-a", hourStart: hour,
        usd: 200.1),
      CostAllocation(
        scope: .job, name: "train-a/=HYPERLINK(\"x\")", team: nil, cluster: "train-a",
        hourStart: hour, usd: 12.4),
    ]
    try expectGolden(FocusExport.render(rows), "focus.csv")
  }

  /// Imported bills (a charge and a credit) show in the cost table and the metrics, exactly.
  @Test func importedBillsInTheCostTableAndTheMetrics() throws {
    func charge(_ amount: String, _ service: String) -> BillingRow {
      BillingRow(
        billedCost: Decimal(string: amount)!, effectiveCost: Decimal(string: amount)!,
        listCost: Decimal(string: amount)!, contractedCost: nil, currency: "USD",
        periodStart: instant, periodEnd: instant.addingTimeInterval(3_600),
        chargeCategory: nil, serviceName: service, serviceCategory: nil, resourceId: nil,
        resourceName: nil, skuId: nil, pricingQuantity: nil, pricingUnit: nil, tags: [:])
    }
    let tables = billedTables([charge("12.345", "EC2"), charge("-1.5", "Credits")])
    let csv = CSVExport.render(tables.table(.cost))
    #expect(csv.contains("bill_service,EC2,,,,12.345,12.345\r\n"))
    // A credit is a negative number, not a formula to neutralize.
    #expect(csv.contains("bill_service,Credits,,,,-1.5,-1.5\r\n"))
    #expect(csv.contains("bill_cluster,(unmapped),,,,10.845,10.845\r\n"))
    #expect(
      PromExport.render(tables).contains("factop_bill_effective_cost_usd{service=\"EC2\"} 12.345"))
  }

  @Test(arguments: [
    ("=1+2", "'=1+2"), ("+cmd", "'+cmd"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", " x"), ("\rx", " x"), ("\u{1B}[0m=cmd", "'=cmd"), ("\u{9B}31m+x", "'+x"),
    ("plain", "plain"), ("a=b", "a=b"),
  ])
  func formulaTextIsNeutralized(text: String, field: String) {
    #expect(CSVExport.safe(text) == field)
  }

  /// Job and team names come from the cluster; in FOCUS CSV (often read with cat or less) they
  /// reach a terminal as no escape sequence, control or bidi override, and a formula that an
  /// escape sequence hid is still neutralized.
  @Test func focusCellsAreInert() {
    let hour = Date(timeIntervalSince1970: 1_795_003_200)
    let hostile = "a\u{1B}]52;c;cm0gLXJm\u{07}b\u{9B}2Jc\u{202E}d\u{1B}[31m"
    let rows = [
      CostAllocation(
        scope: .team, name: "\u{1B}[0m=team" + hostile, team: hostile, cluster: hostile,
        hourStart: hour, usd: 1),
      CostAllocation(
        scope: .job, name: "train/" + hostile, team: hostile, cluster: "train", hourStart: hour,
        usd: 2),
    ]
    let csv = FocusExport.render(rows)
    #expect(!csv.unicodeScalars.contains { UntrustedText.isUnsafe($0) && $0 != "\r" && $0 != "\n" })
    #expect(csv.contains(",'=teamabcd,"))
    #expect(csv.contains(",train/abcd,"))
  }

  /// A label value from outside (here a bill's service name) keeps the exposition one sample
  /// per line and shows no escape sequence.
  @Test func prometheusLabelsAreInert() {
    let bill = BillingRow(
      billedCost: 1, effectiveCost: 1, listCost: 1, contractedCost: nil, currency: "USD",
      periodStart: instant, periodEnd: instant.addingTimeInterval(3_600), chargeCategory: nil,
      serviceName: "EC2\u{1B}]0;PWNED\u{07}\"\\\nfake_metric 1\u{9B}2J",
      serviceCategory: nil, resourceId: nil, resourceName: nil, skuId: nil, pricingQuantity: nil,
      pricingUnit: nil, tags: [:])
    let tables = billedTables([bill])
    let text = PromExport.render(tables)
    #expect(!text.unicodeScalars.contains { UntrustedText.isUnsafe($0) && $0 != "\n" })
    #expect(
      text.contains("factop_bill_effective_cost_usd{service=\"EC2\\\"\\\\ fake_metric 1\"} 1\n"))
    #expect(!text.contains("\nfake_metric"))
  }

  @Test func csvQuotesWhatItMustAndKeepsNumbersPlain() {
    let table = ExportTable(
      name: "t", columns: ["name", "value", "when", "unknown"],
      rows: [
        [.text("a,\"b\"\nc\u{1B}]0;t\u{07}"), .number(-3.5), .time(instant), .unknown],
        [.text("=evil()"), .integer(-7), .number(1_234_567), .text("x")],
      ])
    #expect(
      CSVExport.render(table)
        == "name,value,when,unknown\r\n\"a,\"\"b\"\" c\",-3.5,2026-11-18T14:00:00Z,\r\n"
        + "'=evil(),-7,1234567,x\r\n")
  }

  @Test func markdownCellsCannotBreakTheTable() {
    let table = ExportTable(
      name: "t", columns: ["name"], rows: [[.text("a|b`c`\nd\u{1B}[31m")], [.unknown]])
    let text = MarkdownExport.render(table, generatedAt: instant, sources: "test")
    #expect(text.contains("| a\\|b\\`c\\` d |"))
    #expect(text.contains("| N/A |"))
  }

  static let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  /// promtool (Debian's prometheus package, which .ci/run installs) accepts the exposition.
  /// Skipped where it is missing, except in CI (FACTOP_REQUIRE_SERVERS=1).
  @Test(
    .enabled(
      if: promtool != nil || ProcessInfo.processInfo.environment["FACTOP_REQUIRE_SERVERS"] == "1",
      "promtool is not installed (apt-get install prometheus)"))
  func promtoolAcceptsTheMetrics() throws {
    let promtool = try #require(Self.promtool, "promtool is missing: .ci/run installs it")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: promtool)
    process.arguments = ["check", "metrics"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = output
    try process.run()
    input.fileHandleForWriting.write(Data(PromExport.render(demoTables).utf8))
    try input.fileHandleForWriting.close()
    let said = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(String(decoding: said, as: UTF8.self))")
  }
}
