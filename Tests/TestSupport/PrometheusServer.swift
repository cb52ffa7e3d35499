import Foundation

/// A real Prometheus (Debian's 2.42) on 127.0.0.1 scraping, every second, a dcgm-exporter-style
/// `metrics` file that Python's http.server serves: the recipe of
/// ../shared/guides/real-servers.md §3. Scraped series carry `cluster="test"`.
public final class PrometheusServer: @unchecked Sendable {
  public static let prometheus = "/usr/bin/prometheus"
  public static let promtool = "/usr/bin/promtool"

  public let root: URL
  public let exporter: RealServer
  public let server: RealServer
  public var url: String { "http://127.0.0.1:\(server.port)" }

  /// What it runs: a test that starts one requires them (`.requires(PrometheusServer.programs)`).
  public static let programs = [prometheus, promtool, RealServer.python]

  /// Starts it; throws, naming what is missing, where Prometheus is not installed. `history`,
  /// OpenMetrics text, is written into the data folder by promtool before the server starts.
  public static func start(metrics: String, history: String? = nil) async throws
    -> PrometheusServer
  {
    try requireInstalled(programs)
    return try await PrometheusServer(metrics: metrics, history: history)
  }

  private init(metrics: String, history: String?) async throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-prom-\(UUID().uuidString)")
    let www = root.appendingPathComponent("www")
    let data = root.appendingPathComponent("data")
    try FileManager.default.createDirectory(at: www, withIntermediateDirectories: true)
    if let history {
      let file = root.appendingPathComponent("history.om")
      try history.write(to: file, atomically: true, encoding: .utf8)
      let pid = try spawnWithEmptySignalMask([
        Self.promtool, "tsdb", "create-blocks-from", "openmetrics", file.path, data.path,
      ])
      var status: Int32 = 0
      waitpid(pid, &status, 0)
      guard status == 0 else { throw ServerError(message: "promtool could not write the history") }
    }
    try metrics.write(to: www.appendingPathComponent("metrics"), atomically: true, encoding: .utf8)
    exporter = try await RealServer(
      RealServer.python,
      arguments: {
        ["-m", "http.server", "--bind", "127.0.0.1", "--directory", www.path, String($0)]
      },
      ready: { RealServer.answers("http://127.0.0.1:\($0)/metrics") })
    let config = root.appendingPathComponent("prometheus.yml")
    try """
    global: {scrape_interval: 1s, evaluation_interval: 1s}
    scrape_configs:
      - job_name: dcgm
        static_configs:
          - targets: ['127.0.0.1:\(exporter.port)']
            labels: {cluster: test}
    """.write(to: config, atomically: true, encoding: .utf8)
    server = try await RealServer(
      Self.prometheus,
      arguments: {
        [
          "--config.file=\(config.path)", "--storage.tsdb.path=\(data.path)",
          "--web.listen-address=127.0.0.1:\($0)",
        ]
      }, timeoutS: 60, ready: Self.ready)
  }

  /// Starts Prometheus again on the same port and data, after `server.crash()`.
  public func restart() async throws {
    try await server.restart(timeoutS: 60, ready: Self.ready)
  }

  private static func ready(_ port: Int) -> Bool {
    RealServer.answers("http://127.0.0.1:\(port)/-/ready")
  }

  /// What Prometheus says of its scrapes, and the end of its log: for a test that gave up.
  public var diagnosis: String {
    let targets = RealServer.get(url + "/api/v1/targets") ?? "no answer to /api/v1/targets"
    let log = (try? String(contentsOf: server.log, encoding: .utf8)) ?? ""
    return "\(targets)\n\(log.suffix(3_000))"
  }

  public func stop() {
    server.stop()
    exporter.stop()
    try? FileManager.default.removeItem(at: root)
  }
}
