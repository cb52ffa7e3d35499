import Foundation

/// Where the money goes right now: each job's, team's and cluster's run-rate (USD per hour).
///
/// A job costs what its GPUs cost at their cluster's pricing, plus, on owned clusters, the energy
/// its GPUs draw (GPU power × the site's PUE × the tariff). GPUs no job holds are charged to
/// `unallocated`, so teams plus unallocated add up to the clusters' GPU cost. (Node power beyond
/// the GPUs' own, on owned clusters, stays with the cluster.)
public struct SpendBreakdown: Sendable, Hashable {
  public struct Line: Sendable, Hashable {
    public let name: String
    public let usdPerHour: Double
  }

  public static let unallocated = "(unallocated)"

  /// Run-rate per job.
  public let jobs: [JobID: Double]
  /// Run-rate per team, with `unallocated` for idle capacity; largest first.
  public let teams: [Line]

  public init(_ state: FleetState, prices: PriceBook) {
    let clusters = Dictionary(state.clusters.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    let nodes = Dictionary(state.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let teamOfJob = Dictionary(
      state.jobs.map { ($0.key, $0.team) }, uniquingKeysWith: { a, _ in a })
    var jobs: [JobID: Double] = [:]
    var teams: [String: Double] = [:]
    for gpu in state.gpus {
      guard let node = nodes[gpu.node], let cluster = clusters[node.cluster] else { continue }
      let rate = Self.rate(of: gpu, in: cluster, sample: state.gpuSamples[gpu.id], prices: prices)
      let cost = (rate.price ?? 0) + rate.energy
      if let job = state.allocations[gpu.id] {
        jobs[job, default: 0] += cost
        teams[teamOfJob[job] ?? Self.unallocated, default: 0] += cost
      } else {
        teams[Self.unallocated, default: 0] += cost
      }
    }
    self.jobs = jobs
    self.teams = teams.map { Line(name: $0.key, usdPerHour: $0.value) }
      .sorted { ($0.usdPerHour, $1.name) > ($1.usdPerHour, $0.name) }
  }

  /// One GPU's run-rate: its price at its cluster's pricing (nil when the book has none) and,
  /// on an owned cluster, the energy it draws at its site's PUE and tariff.
  static func rate(of gpu: GPU, in cluster: Cluster, sample: GPUSample?, prices: PriceBook)
    -> (price: Double?, energy: Double)
  {
    let price = prices.price(model: gpu.model.name, pricing: cluster.pricing)?.usdPerGPUHour
    guard cluster.pricing == .owned, let sample, let watts = sample.powerW else {
      return (price, 0)
    }
    return (price, prices.energyUSDPerHour(watts: watts, site: cluster.site, at: sample.time) ?? 0)
  }
}

/// Spend accumulated since the start of the month, from an hourly spend-rate series.
public enum MonthToDate {
  /// The first instant of `date`'s month, UTC.
  public static func monthStart(of date: Date) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar.date(from: calendar.dateComponents([.year, .month], from: date))!
  }

  /// Hours from `date` to the start of the next month, UTC.
  public static func hoursLeft(at date: Date) -> Double {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let next = calendar.date(byAdding: .month, value: 1, to: monthStart(of: date))!
    return next.timeIntervalSince(date) / 3_600
  }

  /// Integrates hourly mean rates (USD/h, one point per hour bucket) from the month's start to
  /// `now`. Each hour counts once, the current hour only for its elapsed part. Returns the sum and
  /// the first hour it covers: before that, factop was not watching, and says so.
  public static func usd(hourly points: [(time: Date, usdPerHour: Double)], now: Date)
    -> (usd: Double, since: Date?)
  {
    let start = monthStart(of: now)
    let inMonth = points.filter { $0.time >= start && $0.time <= now }
    let total = inMonth.reduce(0) { sum, point in
      sum + point.usdPerHour * min(1, now.timeIntervalSince(point.time) / 3_600)
    }
    return (total, inMonth.map(\.time).min())
  }
}

/// Month-to-date spend of the fleet, its clusters and its teams, each with the first hour it
/// covers (factop only knows what it watched).
public struct MonthToDateSpend: Sendable, Hashable {
  public struct Amount: Sendable, Hashable {
    public let usd: Double
    public let since: Date?

    public init(usd: Double, since: Date?) {
      self.usd = usd
      self.since = since
    }
  }

  public var fleet: Amount?
  public var clusters: [String: Amount]
  public var teams: [String: Amount]

  public init(fleet: Amount? = nil, clusters: [String: Amount] = [:], teams: [String: Amount] = [:])
  {
    self.fleet = fleet
    self.clusters = clusters
    self.teams = teams
  }
}
