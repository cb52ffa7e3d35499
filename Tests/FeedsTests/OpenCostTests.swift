import Feeds
import FleetModel
import Foundation
import TestSupport
import Testing

/// An `/allocation/compute?window=1d&aggregate=namespace` answer recorded after OpenCost's
/// documented shape (docs: opencost.io, API examples): no OpenCost can run here.
let recordedOpenCost = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("Recorded/opencost-allocation-compute.json")

@Suite struct OpenCostTests {
  @Test func aRecordedAnswerAddsUp() throws {
    let costs = try OpenCostAllocation.parse(
      try Data(contentsOf: recordedOpenCost), source: "opencost.json")
    #expect(costs.map(\.name) == ["__idle__", "prod", "research"])
    let summary = WorkloadCostSummary(costs)
    #expect(abs(summary.totalCost - 12_694.27) < 1e-9)
    #expect(abs((summary.gpuCost ?? 0) - 12_622.4) < 1e-9)
    #expect(summary.byNamespace.map(\.namespace) == ["prod", "__idle__", "research"])
    #expect(summary.windowStart == ISO8601DateFormatter().date(from: "2026-11-24T00:00:00Z"))
    #expect(costs[1].cluster == "infer-k8s" && costs[1].gpuHours == 3_840)
  }

  @Test func errorsSayWhereAndWhat() {
    #expect(throws: InputError(source: "o.json", message: "OpenCost answered code 500: boom")) {
      try OpenCostAllocation.parse(
        Data(#"{"code": 500, "message": "boom"}"#.utf8), source: "o.json")
    }
    #expect(
      throws: InputError(
        source: "o.json", message: "no \"data\" array (is this /allocation/compute?)")
    ) {
      try OpenCostAllocation.parse(Data(#"{"code": 200}"#.utf8), source: "o.json")
    }
    #expect(
      throws: InputError(
        source: "o.json", column: "data[0].x.totalCost", message: "missing or not a number")
    ) {
      try OpenCostAllocation.parse(
        Data(
          #"{"code": 200, "data": [{"x": {"start": "2026-11-24T00:00:00Z", "end": "2026-11-25T00:00:00Z"}}]}"#
            .utf8), source: "o.json")
    }
  }

  /// The live feed, against the recorded answer served over HTTP by Python's http.server.
  @Test func theFeedReadsTheAnswerOverHTTP() async throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-opencost-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("allocation"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: recordedOpenCost, to: root.appendingPathComponent("allocation/compute"))
    let server = try await RealServer(
      RealServer.python,
      arguments: {
        ["-m", "http.server", "--bind", "127.0.0.1", "--directory", root.path, String($0)]
      },
      ready: { RealServer.answers("http://127.0.0.1:\($0)/allocation/compute") })
    defer { server.stop() }
    let feed = OpenCostFeed(
      service: try HTTPSource(
        base: "http://127.0.0.1:\(server.port)", user: nil, password: nil, caFile: nil),
      window: "1d", aggregate: "namespace", intervalS: 60)
    let state = try await feed.poll(at: Date())
    #expect(state.workloadCosts.count == 3)
    #expect(state.workloadCosts.map(\.totalCost) == [1_628.5, 10_805.57, 260.2])
  }
}
