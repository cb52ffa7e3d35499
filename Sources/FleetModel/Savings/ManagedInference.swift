import Foundation

/// Buy or build: each inference deployment priced as it runs today, as it would run on its own
/// GPUs sized for its busiest hour, and on each managed endpoint that can carry its work.
///
/// The same work on another accelerator is the same bytes read per second: token generation is
/// bound by memory bandwidth, so an endpoint instance carries `accelerators × its bandwidth ÷ the
/// fleet GPU's bandwidth` of today's GPUs. Each hour needs enough instances to run that hour's
/// load at the rules' target activity; a replica lives within one node, so an instance must hold
/// the accelerator memory the deployment has on one node. A fixed endpoint runs the busiest
/// hour's count all month; an autoscaled one follows the day.
public struct ManagedComparison: Sendable, Hashable, Encodable {
  /// One managed endpoint sized for one deployment.
  public struct Option: Sendable, Hashable, Encodable {
    public let endpoint: ManagedEndpoint
    public let instancesAtPeak: Int
    /// The day's mean when the endpoint autoscales, never under the memory floor.
    public let instancesMean: Double
    public let usdPerMonthFixed: Double
    public let usdPerMonthAutoscaled: Double
    /// The endpoint runs the deployment's own accelerator: only the price differs.
    public let sameAccelerator: Bool

    enum CodingKeys: String, CodingKey {
      case endpoint
      case instancesAtPeak = "instances_at_peak"
      case instancesMean = "instances_mean"
      case usdPerMonthFixed = "usd_per_month_fixed"
      case usdPerMonthAutoscaled = "usd_per_month_autoscaled"
      case sameAccelerator = "same_accelerator"
    }
  }

  /// Which way the money points: the cheapest managed option beats building it well, or not.
  public enum Verdict: String, Sendable, Hashable, Encodable {
    case buy, build
    /// Today's price or the GPU's serving figures are unknown: nothing to compare.
    case unknown
  }

  public struct Deployment: Sendable, Hashable, Encodable {
    public let job: JobID
    public let name: String
    public let team: String
    public let gpus: Int
    public let gpuModel: String
    public let peakActivityPct: Double
    public let meanActivityPct: Double
    /// Hours of activity the day's profile rests on (1 when only the latest sample is known).
    public let profileHours: Int
    /// What its GPUs cost a month as they run now; nil when any of them is unpriced.
    public let usdPerMonthToday: Double?
    /// The GPUs that carry its busiest hour at the target activity, and their cost.
    public let gpusRightSized: Int
    public let usdPerMonthRightSized: Double?
    /// Cheapest autoscaled first.
    public let options: [Option]
    public let verdict: Verdict

    enum CodingKeys: String, CodingKey {
      case cluster, id, name, team, gpus, options, verdict
      case gpuModel = "gpu_model"
      case peakActivityPct = "peak_activity_pct"
      case meanActivityPct = "mean_activity_pct"
      case profileHours = "profile_hours"
      case usdPerMonthToday = "usd_per_month_today"
      case gpusRightSized = "gpus_right_sized"
      case usdPerMonthRightSized = "usd_per_month_right_sized"
    }

    public func encode(to encoder: any Encoder) throws {
      // Unknown costs are null, never missing.
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(job.cluster, forKey: .cluster)
      try container.encode(job.id, forKey: .id)
      try container.encode(name, forKey: .name)
      try container.encode(team, forKey: .team)
      try container.encode(gpus, forKey: .gpus)
      try container.encode(gpuModel, forKey: .gpuModel)
      try container.encode(peakActivityPct, forKey: .peakActivityPct)
      try container.encode(meanActivityPct, forKey: .meanActivityPct)
      try container.encode(profileHours, forKey: .profileHours)
      try container.encode(usdPerMonthToday, forKey: .usdPerMonthToday)
      try container.encode(gpusRightSized, forKey: .gpusRightSized)
      try container.encode(usdPerMonthRightSized, forKey: .usdPerMonthRightSized)
      try container.encode(options, forKey: .options)
      try container.encode(verdict, forKey: .verdict)
    }
  }

  public let deployments: [Deployment]
  public let assumptions: [String]

  public init(_ c: SavingsContext, rules: SavingsRules) {
    self.init(c, SavingsContext.Index(c.state), rules: rules)
  }

  /// With the finder's lookups, built once per run.
  init(_ c: SavingsContext, _ index: SavingsContext.Index, rules: SavingsRules) {
    let target = rules.inferenceTargetPeakPct
    deployments = c.state.jobs.filter { $0.state == .running && $0.kind == .inference }
      .sorted { $0.key < $1.key }
      .compactMap { job in
        guard let gpus = index.gpusByJob[job.key], let model = gpus.first?.model,
          let activity = Detectors.currentActivity(gpus, c.state)
        else { return nil }
        return Self.compare(
          job, gpus: gpus, model: model, now: activity, rules: rules, c, index)
      }
    assumptions = [
      "serving is bound by memory bandwidth: an endpoint instance carries accelerators × bandwidth ÷ the fleet GPU's bandwidth of today's GPUs",
      "each hour is sized to run at \(Detectors.format(target, 0)) % activity, the same target the right-sizing detector uses",
      "a replica lives within one node: an instance must hold the accelerator memory the deployment has on one node",
      "autoscaled endpoints follow the day hour by hour, each hour sized for its busiest reading; fixed ones run the busiest hour's count all month",
      "managed prices are on-demand list prices per instance-hour, \(Detectors.format(SavingsContext.hoursPerMonth, 0)) hours a month; today's cost is the price book's, with energy for owned GPUs",
    ]
  }

  /// The busiest reading of each hour, oldest first: an autoscaler adds instances within
  /// minutes, but not within the minute a burst arrives.
  static func hourlyPeaks(_ points: [(time: Date, value: Double)]) -> [Double] {
    var peaks: [Int: Double] = [:]
    for point in points {
      let hour = Int((point.time.timeIntervalSince1970 / 3_600).rounded(.down))
      peaks[hour] = max(peaks[hour] ?? point.value, point.value)
    }
    return peaks.keys.sorted().map { peaks[$0]! }
  }

  private static func compare(
    _ job: Job, gpus: [GPU], model: GPUModel, now: Double, rules: SavingsRules,
    _ c: SavingsContext, _ index: SavingsContext.Index
  ) -> Deployment {
    let target = rules.inferenceTargetPeakPct
    let history = c.jobActivity[job.key] ?? []
    let hourly = hourlyPeaks(history)
    let profile = hourly.isEmpty ? [now] : hourly
    let peak = Detectors.servingPeak(job, now: now, c)
    let mean =
      history.isEmpty ? now : history.reduce(0) { $0 + $1.value } / Double(history.count)
    let today = monthlyCostToday(of: gpus, c, index)
    let keep = min(gpus.count, Detectors.gpusForPeak(gpus.count, peak: peak, rules))
    let rightSized = today.map { $0 * Double(keep) / Double(gpus.count) }
    var options: [Option] = []
    if let fleetAccelerator = ServingAccelerator.of(model) {
      let gpusPerNode = Dictionary(grouping: gpus, by: \.node).values.map(\.count).max() ?? 1
      let replicaGB = Double(gpusPerNode) * fleetAccelerator.memoryGB
      options = c.prices.managed.map { endpoint in
        // Today's GPUs' worth of work one instance carries.
        let carries =
          Double(endpoint.accelerators) * endpoint.accelerator.bandwidthGBps
          / fleetAccelerator.bandwidthGBps
        let memoryFloor = max(1, Int((replicaGB / endpoint.memoryGB).rounded(.up)))
        let perHour = profile.map { activity in
          max(memoryFloor, Int((Double(gpus.count) * activity / target / carries).rounded(.up)))
        }
        let atPeak = max(
          memoryFloor, Int((Double(gpus.count) * peak / target / carries).rounded(.up)))
        let meanInstances = Double(perHour.reduce(0, +)) / Double(perHour.count)
        let hours = SavingsContext.hoursPerMonth
        return Option(
          endpoint: endpoint, instancesAtPeak: atPeak, instancesMean: meanInstances,
          usdPerMonthFixed: Double(atPeak) * endpoint.usdPerHour * hours,
          usdPerMonthAutoscaled: meanInstances * endpoint.usdPerHour * hours,
          sameAccelerator: endpoint.accelerator == fleetAccelerator)
      }.sorted {
        ($0.usdPerMonthAutoscaled, $0.endpoint.instanceType)
          < ($1.usdPerMonthAutoscaled, $1.endpoint.instanceType)
      }
    }
    let verdict: Verdict =
      if let rightSized, let best = options.first {
        best.usdPerMonthAutoscaled < rightSized ? .buy : .build
      } else { .unknown }
    return Deployment(
      job: job.key, name: job.name, team: job.team, gpus: gpus.count, gpuModel: model.name,
      peakActivityPct: peak, meanActivityPct: mean, profileHours: profile.count,
      usdPerMonthToday: today, gpusRightSized: keep, usdPerMonthRightSized: rightSized,
      options: options, verdict: verdict)
  }

  /// What these GPUs cost a month as they run now (`SpendBreakdown`'s rate of each); nil when
  /// one of them has no price.
  static func monthlyCostToday(
    of gpus: [GPU], _ c: SavingsContext, _ index: SavingsContext.Index
  ) -> Double? {
    var usdPerHour = 0.0
    for gpu in gpus {
      guard let node = index.nodes[gpu.node], let cluster = index.clusters[node.cluster] else {
        return nil
      }
      let rate = SpendBreakdown.rate(
        of: gpu, in: cluster, sample: c.state.gpuSamples[gpu.id], prices: c.prices)
      guard let price = rate.price else { return nil }
      usdPerHour += price + rate.energy
    }
    return usdPerHour * SavingsContext.hoursPerMonth
  }
}
