import FleetModel
import Foundation

/// Everything a cockpit frame shows, as one immutable value. The loader builds it off the UI
/// thread from the cache; views only read it, so drawing never waits on I/O.
public struct CockpitModel: Sendable, Equatable {
  public var state: FleetState {
    didSet { gpusByNode = Self.gpusByNode(state) }
  }
  /// Each node's GPUs and their readings, nodes in inventory order, GPUs in index order: the
  /// heatmap's rows, looked up once per model rather than once per GPU on every frame.
  public private(set) var gpusByNode: [[NodeGPU]]
  public var summary: FleetSummary
  public var sources: [SourceHealth]
  /// Fleet mean utilization, oldest first, one slot per `historyStepS`; nil where no poll landed.
  public var utilHistory: [Double?]
  /// The savings finder's ranked opportunities; nil until it has run.
  public var savings: SavingsReport?
  /// What the finder raised over time: open now, found, realized and moved per month.
  public var ledger: LedgerSummary?
  /// Failures as they happened, priced: what they cost in the last day and week.
  public var incidents: IncidentSummary?
  /// Each running training job's goodput over the last day, by job.
  public var goodput: [JobID: JobGoodput] = [:]
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
  /// Each running job's fabric, where its nodes report InfiniBand ports.
  public var jobNetworks: [JobID: JobNetwork] = [:]
  /// The alert rules that do not hold now.
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
    self.gpusByNode = Self.gpusByNode(state)
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

  /// The cockpit's projection of a report: its figures, and its day of history as graph slots.
  public init(report: FleetReport, gpuHistory: GPUHistory, origin: String) {
    let now = report.now
    self.init(
      state: report.state, summary: report.summary, sources: report.sources,
      utilHistory: Self.slots(report.history.fleetUtilMinutes, until: now),
      savings: report.savings, nodeRows: NodeRow.rows(report.state),
      jobRows: JobRow.rows(report.state, spend: report.spend), teams: report.spend.teams,
      monthToDate: report.monthToDate, projection: report.projection,
      prices: report.rules.prices, gpuModelsByCluster: Self.gpuModelsByCluster(report.state),
      power: report.power, powerHistory: Self.slots(report.history.fleetPowerMinutes, until: now),
      jobHistory: report.history.jobActivity.mapValues { Self.slots($0, until: now) },
      gpuHistory: gpuHistory, origin: origin)
    ledger = report.ledger
    incidents = report.incidents
    goodput = Dictionary(
      report.goodput.jobs.map { ($0.job, $0) }, uniquingKeysWith: { a, _ in a })
    jobNetworks = report.networks
    billing = report.billing
    opencost = report.opencost
    alerts = report.alerts
  }

  /// One GPU of a node with its latest reading.
  public struct NodeGPU: Sendable, Equatable {
    public let gpu: GPU
    public let sample: GPUSample?
  }

  static func gpusByNode(_ state: FleetState) -> [[NodeGPU]] {
    let rowOfNode = Dictionary(
      state.nodes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    var rows = [[NodeGPU]](repeating: [], count: state.nodes.count)
    for gpu in state.gpus {
      guard let row = rowOfNode[gpu.node] else { continue }
      rows[row].append(NodeGPU(gpu: gpu, sample: state.gpuSamples[gpu.id]))
    }
    return rows
  }

  /// Minute points as one slot per history step, ending at `now`; empty slots stay nil so a
  /// gap in polling shows as a gap, not as a flat line.
  static func slots(_ points: FleetHistory.Points, until now: Date) -> [Double?] {
    let count = Int(FleetHistory.windowS / historyStepS)
    let end = (now.timeIntervalSince1970 / historyStepS).rounded(.down)
    var sums = [(total: Double, n: Int)](repeating: (0, 0), count: count)
    for point in points {
      let slot =
        count - 1 - Int(end - (point.time.timeIntervalSince1970 / historyStepS).rounded(.down))
      guard sums.indices.contains(slot) else { continue }
      sums[slot].total += point.value
      sums[slot].n += 1
    }
    let slots = sums.map { $0.n > 0 ? $0.total / Double($0.n) : nil }
    // Leading slots before the first poll are not gaps: there was no history yet.
    return Array(slots.drop { $0 == nil })
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
