import FleetModel
import Foundation

/// Everything a cockpit frame shows, as one immutable value. The loader builds it off the UI
/// thread from the cache; views only read it, so drawing never waits on I/O.
public struct CockpitModel: Sendable, Equatable {
  public var state: FleetState
  public var summary: FleetSummary
  public var sources: [SourceHealth]
  /// Fleet mean utilization, oldest first, one slot per `historyStepS`; nil where no poll landed.
  public var utilHistory: [Double?]
  /// The savings finder's ranked opportunities; nil until it has run.
  public var savings: SavingsReport?
  /// The Nodes and Jobs views' lines, computed with the model so drawing only slices them.
  public var nodeRows: [NodeRow]
  public var jobRows: [JobRow]
  /// The Cost view's figures: spend per team, month to date, the week ahead, and the prices.
  public var teams: [SpendBreakdown.Line]
  public var monthToDate: MonthToDateSpend
  public var projection: Projection?
  public var prices: PriceBook
  /// The GPU models of each cluster, so the Cost view can name their prices without walking
  /// every GPU on the UI thread.
  public var gpuModelsByCluster: [String: [String]]
  /// The power chain from node to site, with budgets and PUE.
  public var power: PowerRollup
  /// Fleet IT power (W), one slot per `historyStepS` like `utilHistory`.
  public var powerHistory: [Double?]
  /// Each job's mean activity (%), one slot per `historyStepS`, by job id.
  public var jobHistory: [JobID: [Double?]]
  /// Each GPU's recent readings, for the sparklines of a node's or a job's GPUs.
  public var gpuHistory: GPUHistory
  /// Imported bills (FOCUS) added up and mapped to clusters; nil until one is imported.
  public var billing: BillingSummary?
  /// OpenCost's workload costs added up; nil until it has said anything.
  public var opencost: WorkloadCostSummary?
  /// The `[alerts]` rules that do not hold now.
  public var alerts: [AlertBreach] = []
  /// Where the data came from, for the title bar (`demo fleet`, a cache path).
  public var origin: String
  /// The last error reading the cache itself, if the latest read failed.
  public var cacheError: String?

  /// Seconds between points of `utilHistory`.
  public static let historyStepS = 300.0

  public init(
    state: FleetState, summary: FleetSummary, sources: [SourceHealth], utilHistory: [Double?],
    savings: SavingsReport? = nil, nodeRows: [NodeRow] = [], jobRows: [JobRow] = [],
    teams: [SpendBreakdown.Line] = [], monthToDate: MonthToDateSpend = MonthToDateSpend(),
    projection: Projection? = nil, prices: PriceBook = PriceBook(prices: [:]),
    gpuModelsByCluster: [String: [String]] = [:], power: PowerRollup? = nil,
    powerHistory: [Double?] = [], jobHistory: [JobID: [Double?]] = [:],
    gpuHistory: GPUHistory = GPUHistory(), origin: String, cacheError: String? = nil
  ) {
    self.state = state
    self.summary = summary
    self.sources = sources
    self.utilHistory = utilHistory
    self.savings = savings
    self.nodeRows = nodeRows
    self.jobRows = jobRows
    self.teams = teams
    self.monthToDate = monthToDate
    self.projection = projection
    self.prices = prices
    self.gpuModelsByCluster = gpuModelsByCluster
    self.power = power ?? PowerRollup(state, pueBySite: prices.pueBySite, budgets: PowerBudgets())
    self.powerHistory = powerHistory
    self.jobHistory = jobHistory
    self.gpuHistory = gpuHistory
    self.origin = origin
    self.cacheError = cacheError
  }

  /// The model of a fleet, summarized with `prices`.
  public init(
    state: FleetState, sources: [SourceHealth], utilHistory: [Double?], prices: PriceBook,
    savings: SavingsReport? = nil, monthToDate: MonthToDateSpend = MonthToDateSpend(),
    projection: Projection? = nil, budgets: PowerBudgets = PowerBudgets(),
    powerHistory: [Double?] = [], jobHistory: [JobID: [Double?]] = [:],
    gpuHistory: GPUHistory = GPUHistory(), origin: String
  ) {
    let spend = SpendBreakdown(state, prices: prices)
    self.init(
      state: state, summary: FleetSummary(state, prices: prices), sources: sources,
      utilHistory: utilHistory, savings: savings, nodeRows: NodeRow.rows(state),
      jobRows: JobRow.rows(state, spend: spend), teams: spend.teams, monthToDate: monthToDate,
      projection: projection, prices: prices,
      gpuModelsByCluster: Self.gpuModelsByCluster(state),
      power: PowerRollup(state, pueBySite: prices.pueBySite, budgets: budgets),
      powerHistory: powerHistory, jobHistory: jobHistory, gpuHistory: gpuHistory, origin: origin)
  }

  private static func gpuModelsByCluster(_ state: FleetState) -> [String: [String]] {
    var models: [String: Set<String>] = [:]
    for gpu in state.gpus {
      models[gpu.node.cluster, default: []].insert(gpu.model.name)
    }
    return models.mapValues { $0.sorted() }
  }

  /// Age of the freshest data any source delivered, in seconds; nil before the first poll.
  public func dataAgeS(at now: Date) -> Double? {
    sources.compactMap { $0.ageS(at: now) }.min()
  }

  /// What every panel says of its data: how old it is, and STALE while a source is in trouble.
  public func ageNote(at now: Date) -> String {
    guard let age = dataAgeS(at: now) else { return "no data yet" }
    return (troubledSources(at: now).isEmpty ? "" : "STALE · ") + "data \(Format.age(age)) ago"
  }

  /// Sources that are failing or stale: the status bar names them.
  public func troubledSources(at now: Date) -> [SourceHealth] {
    sources.filter { [.error, .stale].contains($0.status(at: now)) }
  }
}
