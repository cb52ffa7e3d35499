import Foundation

/// Everything the savings finder looks at: the fleet now, its prices, and recent history.
public struct SavingsContext: Sendable {
  public var state: FleetState
  public var prices: PriceBook
  public var now: Date
  /// Mean activity (%) of each job's GPUs over the recent window, oldest first.
  public var jobActivity: [JobID: [(time: Date, value: Double)]]
  /// Allocated GPUs of each cluster over the same window, oldest first.
  public var clusterAllocated: [String: [Double]]
  /// How many hours of history the window covers; detectors that need a day say so.
  public var historyHours: Double

  public init(
    state: FleetState, prices: PriceBook, now: Date,
    jobActivity: [JobID: [(time: Date, value: Double)]] = [:],
    clusterAllocated: [String: [Double]] = [:], historyHours: Double = 0
  ) {
    self.state = state
    self.prices = prices
    self.now = now
    self.jobActivity = jobActivity
    self.clusterAllocated = clusterAllocated
    self.historyHours = historyHours
  }

  /// The fleet judged with the history the cache recorded.
  public init(state: FleetState, prices: PriceBook, now: Date, history: FleetHistory) {
    self.init(
      state: state, prices: prices, now: now, jobActivity: history.jobActivity,
      clusterAllocated: history.clusterAllocatedMinima, historyHours: history.hours(at: now))
  }

  public static let hoursPerMonth = 730.0

  /// Lookups built once per run.
  struct Index {
    let clusters: [String: Cluster]
    let nodes: [NodeID: Node]
    let gpusByNode: [NodeID: [GPU]]
    let gpusByJob: [JobID: [GPU]]
    /// How the fleet meets what Terraform states declare; nil when none was read.
    let declared: DeclaredCoverage?

    init(_ state: FleetState) {
      clusters = Dictionary(state.clusters.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
      nodes = Dictionary(state.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
      gpusByNode = Dictionary(grouping: state.gpus, by: \.node)
      gpusByJob = Dictionary(
        grouping: state.gpus.filter { state.allocations[$0.id] != nil },
        by: { state.allocations[$0.id]! })
      declared = DeclaredCoverage(state, gpusByNode: gpusByNode)
    }
  }

  /// What these GPUs cost per month at their cluster's pricing (unpriced GPUs count 0).
  func monthlyCost(of gpus: [GPU], _ index: Index, pricing override: PricingKind? = nil) -> Double {
    gpus.reduce(0) { sum, gpu in
      guard let node = index.nodes[gpu.node], let cluster = index.clusters[node.cluster],
        let price = prices.price(model: gpu.model.name, pricing: override ?? cluster.pricing)
      else { return sum }
      return sum + price.usdPerGPUHour * Self.hoursPerMonth
    }
  }

  /// The fleet's monthly spend at today's run-rate.
  public var spendUSDPerMonth: Double {
    (FleetSummary(state, prices: prices).fleet.costUSDPerHour ?? 0) * Self.hoursPerMonth
  }
}
