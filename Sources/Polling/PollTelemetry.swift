import Feeds
import Metrics
import Tracing

/// What each poll tells factop's own observability. Nothing leaves the process unless an
/// OTLP backend was bootstrapped (`[otel] endpoint`); otherwise these are the APIs' no-ops.
enum PollTelemetry {
  /// The poll's span gets its source, outcome, rows and bytes read; the metrics its duration,
  /// rows, bytes and errors by source, and the cache's size after the write.
  static func record(
    _ feed: any Feed, outcome: Poller.Outcome, rows: Int?, bytes: Int, seconds: Double,
    cacheBytes: Int?, in span: any Span
  ) {
    span.attributes["factop.source"] = feed.name
    span.attributes["factop.source.kind"] = feed.kind
    span.attributes["factop.outcome"] = outcome.error == nil ? "ok" : "error"
    if let rows { span.attributes["factop.rows"] = rows }
    span.attributes["factop.bytes"] = bytes
    if let error = outcome.error {
      span.setStatus(SpanStatus(code: .error, message: error))
    }
    let source = [("source", feed.name)]
    Timer(label: "factop_poll_duration", dimensions: source, preferredDisplayUnit: .seconds)
      .recordSeconds(seconds)
    if let rows { Gauge(label: "factop_poll_rows", dimensions: source).record(rows) }
    Counter(label: "factop_poll_bytes", dimensions: source).increment(by: bytes)
    if outcome.error != nil { Counter(label: "factop_poll_errors", dimensions: source).increment() }
    if let cacheBytes { Gauge(label: "factop_cache_size_bytes").record(cacheBytes) }
  }
}
