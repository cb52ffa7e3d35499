import Config
import Foundation
import Logging
import OTel
import ServiceLifecycle

/// factop's own spans and metrics (`PollTelemetry`, the cockpit's frame time), sent over
/// OTLP/HTTP to `[otel] endpoint` while a command polls or draws. Off without the key. The
/// export runs beside the work and never in its way; at the end, what it holds is flushed,
/// waiting a few seconds at most for a collector that does not answer.
final class Observability: Sendable {
  private let group: ServiceGroup
  private let running: Task<Void, Never>

  private init(group: ServiceGroup, running: Task<Void, Never>) {
    self.group = group
    self.running = running
  }

  /// Bootstraps the exporters once per process, where the settings name a collector.
  static func start(_ settings: Settings) throws -> Observability? {
    guard let endpoint = settings.otelEndpoint else { return nil }
    var configuration = OTel.Configuration.default
    configuration.serviceName = "factop"
    // factop's logs stay on standard error; its diagnostics go there too.
    configuration.logs.enabled = false
    configuration.diagnosticLogger = .custom(Logger(label: "factop.otel"))
    configuration.diagnosticLogLevel = .warning
    configuration.metrics.exportInterval = .seconds(10)
    // The config's endpoint is the base URL (`/v1/traces`, `/v1/metrics` follow), over any
    // OTEL_ variables the environment sets.
    var environment = ProcessInfo.processInfo.environment
    environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint
    let service = try OTel.bootstrap(configuration: configuration, environment: environment)
    let group = ServiceGroup(
      services: [service], gracefulShutdownSignals: [], cancellationSignals: [],
      logger: Logger(label: "factop.otel"))
    let running = Task {
      do {
        try await group.run()
      } catch {
        Logger(label: "factop.otel").warning("OTLP export stopped: \(error)")
      }
    }
    return Observability(group: group, running: running)
  }

  /// Flushes what is buffered and stops, within `seconds`.
  func stop(within seconds: Double = 5) async {
    await group.triggerGracefulShutdown()
    let running = running
    let gaveUp = Task {
      try? await Task.sleep(for: .seconds(seconds))
      running.cancel()
    }
    await running.value
    gaveUp.cancel()
  }

  /// The same, for a caller that is not async (the cockpit's main thread).
  func stopWaiting(within seconds: Double = 5) {
    let done = DispatchSemaphore(value: 0)
    Task {
      await stop(within: seconds)
      done.signal()
    }
    done.wait()
  }
}
