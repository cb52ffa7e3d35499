import Foundation
import TestSupport
import Testing

/// factop's own spans and metrics over OTLP/HTTP, checked by a real receiver
/// (scripts/it/otlp_receiver.py) that decodes them with the OpenTelemetry project's protobuf
/// definitions (PyPI `opentelemetry-proto`, in the test venv that .ci/run makes).
@Suite(.serialized) struct OTelExportTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let python = root.appendingPathComponent(".build/it-venv/bin/python").path
  static let receiver = root.appendingPathComponent("scripts/it/otlp_receiver.py").path

  /// Each poll of each source is a span with its source, outcome and size; the poll's duration,
  /// rows and the cache's size are metrics, all flushed before `poll --once` exits.
  @Test(.requires([python])) func eachPollIsASpanAndItsFiguresAreMetrics() async throws {
    let out = temporaryFolder().appendingPathComponent("otlp.jsonl")
    let server = try await RealServer(
      Self.python, arguments: { [Self.receiver, String($0), out.path] },
      ready: { RealServer.listens($0) })
    defer { server.stop() }
    try pollOnce(sendingTo: server.port)
    let records = try String(contentsOf: out, encoding: .utf8).split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    let spans = records.filter { $0["signal"] as? String == "span" }
    let poll = try #require(spans.first { $0["name"] as? String == "poll sim" }, "\(records)")
    let attributes = try #require(poll["attributes"] as? [String: Any])
    #expect(attributes["factop.source"] as? String == "demo")
    #expect(attributes["factop.source.kind"] as? String == "sim")
    #expect(attributes["factop.outcome"] as? String == "ok")
    // The simulator reads nothing (KubernetesTests counts what a real source reads).
    #expect(attributes["factop.bytes"] as? Int == 0)
    // 256 GPUs, their 32 nodes, the jobs and fabric ports: more rows than GPUs.
    #expect((attributes["factop.rows"] as? Int ?? 0) > 256)
    #expect((poll["resource"] as? [String: Any])?["service.name"] as? String == "factop")
    let metrics = Set(
      records.filter { $0["signal"] as? String == "metric" }.compactMap { $0["name"] as? String })
    #expect(
      metrics.isSuperset(of: [
        "factop_poll_duration", "factop_poll_rows", "factop_cache_size_bytes",
      ]),
      "\(metrics)")
  }

  /// A collector that does not answer never holds up the poll: it ends as it would without
  /// one, the export giving up within seconds.
  @Test func aCollectorThatDoesNotAnswerDelaysNothing() throws {
    let started = Date()
    try pollOnce(sendingTo: RealServer.freePort())
    #expect(Date().timeIntervalSince(started) < 30)
  }

  /// `factop poll --once` over a 256-GPU demo fleet, its telemetry sent to 127.0.0.1:`port`.
  private func pollOnce(sendingTo port: Int) throws {
    let folder = temporaryFolder()
    let config = folder.appendingPathComponent("config.toml")
    try """
    [sim]
    gpus = 256
    [otel]
    endpoint = "http://127.0.0.1:\(port)"
    """.write(to: config, atomically: true, encoding: .utf8)
    let result = try run(
      try factopBinary(),
      [
        "poll", "--once", "--config", config.path, "--db",
        folder.appendingPathComponent("cache.sqlite").path,
      ])
    #expect(result.status == 0, "\(result.stderr)")
  }
}
