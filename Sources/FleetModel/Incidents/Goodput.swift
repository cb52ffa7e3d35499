import Foundation

/// A training job's effective training time ratio (ETTR) over the last day: the share of its
/// wall time that moved training forward, measured, beside what the model expects of a job its
/// size.
public struct JobGoodput: Sendable, Hashable, Encodable {
  public let job: JobID
  public let name: String
  public let team: String
  public let gpus: Int
  /// Its wall time within the window: from the first of its activity the window holds (or its
  /// start), to now.
  public let wallHours: Double
  /// Work lost to its incidents and the waits until it ran again, within the window.
  public let lostToFailuresHours: Double
  /// Time its GPUs stalled while it ran (checkpoint writes, hangs): where its activity fell
  /// below half its median, the share of the median it lost there. Nil without a series fine
  /// enough to tell.
  public let stalledHours: Double?
  /// 1 − (lost + stalled) ÷ wall.
  public let ettr: Double
  /// The model's: 1 − checkpoint stall ÷ interval − (interval ÷ 2 + restart) ÷ MTTF, MTTF from its
  /// nodes and the fleet's failure rate (observed, else assumed), its interval as seen (else
  /// assumed).
  public let expectedETTR: Double
  /// GPU-hours that moved nothing forward: (1 − ETTR) × wall × GPUs, and their dollars.
  public let lostGPUHours: Double
  public let lostUSD: Double?

  enum CodingKeys: String, CodingKey {
    case cluster, name, team, gpus, ettr
    case id = "job_id"
    case wallHours = "wall_hours"
    case lostToFailuresHours = "lost_to_failures_hours"
    case stalledHours = "stalled_hours"
    case expectedETTR = "ettr_expected"
    case lostGPUHours = "lost_gpu_hours"
    case lostUSD = "lost_usd"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(job.cluster, forKey: .cluster)
    try container.encode(job.id, forKey: .id)
    try container.encode(name, forKey: .name)
    try container.encode(team, forKey: .team)
    try container.encode(gpus, forKey: .gpus)
    try container.encode(wallHours, forKey: .wallHours)
    try container.encode(lostToFailuresHours, forKey: .lostToFailuresHours)
    try container.encode(stalledHours, forKey: .stalledHours)
    try container.encode(ettr, forKey: .ettr)
    try container.encode(expectedETTR, forKey: .expectedETTR)
    try container.encode(lostGPUHours, forKey: .lostGPUHours)
    try container.encode(lostUSD, forKey: .lostUSD)
  }
}

/// Goodput over the last day: each running training job's ETTR, and per team and cluster the
/// GPU-hours and dollars that moved nothing forward.
public struct GoodputSummary: Sendable, Hashable, Encodable {
  /// The window goodput is measured over: the history a report reads.
  public static let windowS = FleetHistory.windowS

  public struct Group: Sendable, Hashable, Encodable {
    public let name: String
    public let jobs: Int
    /// GPU-hour-weighted ETTR of its jobs.
    public let ettr: Double
    public let lostGPUHours: Double
    public let lostUSD: Double?

    enum CodingKeys: String, CodingKey {
      case name, jobs, ettr
      case lostGPUHours = "lost_gpu_hours"
      case lostUSD = "lost_usd"
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(name, forKey: .name)
      try container.encode(jobs, forKey: .jobs)
      try container.encode(ettr, forKey: .ettr)
      try container.encode(lostGPUHours, forKey: .lostGPUHours)
      try container.encode(lostUSD, forKey: .lostUSD)
    }
  }

  public let windowHours: Double
  /// Costliest loss first.
  public let jobs: [JobGoodput]
  public let teams: [Group]
  public let clusters: [Group]

  enum CodingKeys: String, CodingKey {
    case jobs, teams, clusters
    case windowHours = "window_hours"
  }

  /// Each running training job of `state`: its incidents (those that hit it, by its id, or by
  /// its name and team for a resubmission) and its activity over the window.
  public init(
    state: FleetState, incidents: [Incident], jobActivity: [JobID: FleetHistory.Points],
    prices: PriceBook, savings: SavingsRules, rules: IncidentRules, now: Date
  ) {
    let windowStart = now.addingTimeInterval(-Self.windowS)
    let rates = GPURates(state, prices: prices)
    // What a resubmission shares with the job it resubmits.
    struct Work: Hashable {
      let cluster: String
      let name: String
      let team: String
    }
    var hitsByWork: [Work: [HitJob]] = [:]
    for incident in incidents {
      for hit in incident.jobs {
        hitsByWork[Work(cluster: hit.job.cluster, name: hit.name, team: hit.team), default: []]
          .append(hit)
      }
    }
    var jobs: [JobGoodput] = []
    for job in state.jobs where job.state == .running && job.kind == .training {
      let gpus = rates.gpusByJob[job.key] ?? []
      guard !gpus.isEmpty else { continue }
      let activity = jobActivity[job.key] ?? []
      let first = [activity.first?.time, job.start].compactMap { $0 }.min() ?? now
      let from = max(windowStart, first)
      let wallS = now.timeIntervalSince(from)
      guard wallS >= 3_600 else { continue }
      var lostS = 0.0
      // The incidents that hit it, by its id or (a resubmission) its name and team.
      for hit in hitsByWork[Work(cluster: job.cluster, name: job.name, team: job.team)] ?? [] {
        let lostWork = hit.lostWorkS(rules: rules)
        // Within the window: the work before the stop, and the wait after it.
        let lostFrom = max(from, hit.stopped.addingTimeInterval(-lostWork))
        let waitEnd = min(now, hit.waitEnd(until: now))
        lostS += max(0, hit.stopped.timeIntervalSince(lostFrom))
        lostS += max(0, waitEnd.timeIntervalSince(max(from, hit.stopped)))
      }
      let stalledS = Self.stalledSeconds(activity.filter { $0.time >= from })
      let ettr = max(0, min(1, 1 - (lostS + (stalledS ?? 0)) / wallS))
      let seen = CheckpointCadence.interval(activity)
      let interval = seen ?? savings.assumedCheckpointIntervalMin
      let nodes = Set(gpus.map(\.node)).count
      let expected = ReliabilityScenario(
        gpus: gpus.count, gpusPerNode: max(1, gpus.count / max(1, nodes)),
        failuresPer1000NodeDays: savings.nodeFailureRate(model: gpus.first?.model.name)
          .per1000NodeDays,
        restartMin: savings.restartMin,
        checkpointCostMin: savings.checkpointCostMin
      ).ettr(checkpointIntervalMin: interval)
      let lostGPUHours = (1 - ettr) * wallS / 3_600 * Double(gpus.count)
      jobs.append(
        JobGoodput(
          job: job.key, name: job.name, team: job.team, gpus: gpus.count, wallHours: wallS / 3_600,
          lostToFailuresHours: lostS / 3_600, stalledHours: stalledS.map { $0 / 3_600 },
          ettr: ettr, expectedETTR: expected, lostGPUHours: lostGPUHours,
          lostUSD: rates.mean(of: gpus).map { $0 * lostGPUHours }))
    }
    self.jobs = jobs.sorted { ($0.lostGPUHours, $1.job) > ($1.lostGPUHours, $0.job) }
    windowHours = Self.windowS / 3_600
    teams = Self.groups(jobs, by: \.team)
    clusters = Self.groups(jobs, by: \.job.cluster)
  }

  /// Seconds of work the series lost in its dips while running: where a sample falls below
  /// half the median, the share of the median it lacks, for as long as it lasted (a minute half
  /// in a checkpoint counts half a minute). Nil when its samples are too far apart to see a
  /// checkpoint's few minutes, or too few.
  static func stalledSeconds(_ series: FleetHistory.Points) -> Double? {
    guard series.count >= 30 else { return nil }
    let spacings = zip(series.dropFirst(), series).map { $0.time.timeIntervalSince($1.time) }
    let step = spacings.sorted()[spacings.count / 2]
    guard step <= CheckpointCadence.finestUsefulSpacingS else { return nil }
    let median = series.map(\.value).sorted()[series.count / 2]
    // A gap in the series is time it did not run (waiting after a failure): not a stall.
    return zip(series.dropFirst(), series).reduce(0) { sum, pair in
      let (point, before) = pair
      let gap = point.time.timeIntervalSince(before.time)
      guard before.value < median / 2, gap <= 2 * step, median > 0 else { return sum }
      return sum + gap * (1 - before.value / median)
    }
  }

  private static func groups(_ jobs: [JobGoodput], by key: (JobGoodput) -> String) -> [Group] {
    Dictionary(grouping: jobs, by: key).map { name, jobs in
      let gpuHours = jobs.reduce(0) { $0 + $1.wallHours * Double($1.gpus) }
      let lost = jobs.reduce(0) { $0 + $1.lostGPUHours }
      let usd = jobs.compactMap(\.lostUSD)
      return Group(
        name: name, jobs: jobs.count, ettr: gpuHours > 0 ? 1 - lost / gpuHours : 1,
        lostGPUHours: lost, lostUSD: usd.isEmpty ? nil : usd.reduce(0, +))
    }.sorted { ($0.lostGPUHours, $1.name) > ($1.lostGPUHours, $0.name) }
  }
}
