import FleetModel
import FleetSim
import Foundation

/// A source of fleet state: the simulator, a scheduler, a telemetry server, a BMC.
///
/// Every adapter answers one question, "what do you see now?", as a `FleetState` covering the
/// part of the fleet it owns. The poller decides when to ask, how long to wait and what to do
/// with the answer; adapters never touch the cache or the screen.
public protocol Feed: Sendable {
  /// Unique among the configured sources; the cache keys the source's rows by it.
  var name: String { get }
  /// What kind of source this is (`sim`, `slurm`, `prometheus`, …).
  var kind: String { get }
  var intervalS: Double { get }
  /// How long one poll may take; nil for the poller's default.
  var timeoutS: Double? { get }
  /// Where it reads from, for people (`factop sources`): a URL or a command, never a secret.
  var target: String { get }
  /// How its HTTPS connections check certificates; nil when it uses no TLS.
  var tls: TLSVerification? { get }
  /// Whether `poll(at:)` can also answer for a past time (a simulator; a Prometheus range
  /// query), so an empty cache can be given the last day's history at once.
  var answersForThePast: Bool { get }
  func poll(at time: Date) async throws -> FleetState
  /// What it sees at `time`, and, where the source keeps a record (Slurm's accounting), what
  /// ended badly since it last answered at `lastAnswered`: a poller that was stopped for a
  /// night still learns of the jobs that failed in it.
  func poll(at time: Date, since lastAnswered: Date?) async throws -> FleetState
  /// The fleet at each step of `[start, end]`, for a feed that answers for the past. A source
  /// that can answer for a whole range at once (a Prometheus range query) does so.
  func history(from start: Date, to end: Date, stepS: Double) async throws -> [(Date, FleetState)]
}

extension Feed {
  public var answersForThePast: Bool { false }
  public var timeoutS: Double? { nil }
  public var target: String { "" }
  public var tls: TLSVerification? { nil }

  public func poll(at time: Date, since lastAnswered: Date?) async throws -> FleetState {
    try await poll(at: time)
  }

  public func history(from start: Date, to end: Date, stepS: Double) async throws
    -> [(Date, FleetState)]
  {
    var states: [(Date, FleetState)] = []
    var time = start
    while time < end, !Task.isCancelled {
      states.append((time, try await poll(at: time)))
      time = time.addingTimeInterval(stepS)
    }
    return states
  }
}

/// The built-in demo fleet as a source: what `swift run factop` shows out of the box.
public struct SimulatorFeed: Feed {
  public static let kindName = "sim"
  public let name = "demo"
  public let kind = SimulatorFeed.kindName
  public let answersForThePast = true
  public let intervalS: Double
  public let fleet: DemoFleet

  public init(fleet: DemoFleet, intervalS: Double) {
    self.fleet = fleet
    self.intervalS = intervalS
  }

  public func poll(at time: Date) async throws -> FleetState {
    fleet.state(at: time, pollIntervalS: intervalS)
  }
}
