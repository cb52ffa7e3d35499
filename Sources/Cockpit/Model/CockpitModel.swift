import FleetModel
import Foundation

/// Everything a cockpit frame shows, as one immutable value. The loader builds it off the UI
/// thread from the cache; views only read it, so drawing never waits on I/O.
public struct CockpitModel: Sendable, Equatable {
  public var state: FleetState
  public var summary: FleetSummary
  public var sources: [SourceHealth]
  /// Fleet mean utilization, oldest first, one point per `historyStepS` (minute rollups).
  public var utilHistory: [Double?]
  /// Where the data came from, for the title bar (`demo fleet`, a cache path).
  public var origin: String
  /// The last error reading the cache itself, if the latest read failed.
  public var cacheError: String?

  /// Seconds between points of `utilHistory`.
  public static let historyStepS = 60.0

  public init(
    state: FleetState, summary: FleetSummary, sources: [SourceHealth], utilHistory: [Double?],
    origin: String, cacheError: String? = nil
  ) {
    self.state = state
    self.summary = summary
    self.sources = sources
    self.utilHistory = utilHistory
    self.origin = origin
    self.cacheError = cacheError
  }

  /// The model of a fleet, summarized with `prices`.
  public init(
    state: FleetState, sources: [SourceHealth], utilHistory: [Double?], prices: PriceBook,
    origin: String
  ) {
    self.init(
      state: state, summary: FleetSummary(state, prices: prices), sources: sources,
      utilHistory: utilHistory, origin: origin)
  }

  /// Age of the freshest data any source delivered, in seconds; nil before the first poll.
  public func dataAgeS(at now: Date) -> Double? {
    sources.compactMap { $0.ageS(at: now) }.min()
  }

  /// Sources that are failing or stale: the status bar names them.
  public func troubledSources(at now: Date) -> [SourceHealth] {
    sources.filter { [.error, .stale].contains($0.status(at: now)) }
  }
}
