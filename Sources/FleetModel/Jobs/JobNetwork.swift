import Foundation

/// A job's share of the fabric: the InfiniBand ports of the nodes it runs on, what they carry,
/// and whether the job looks held back by them.
public struct JobNetwork: Sendable, Hashable {
  /// The rules of the verdict, each a judgement an operator can argue with.
  public struct Rules: Sendable, Hashable {
    /// Below this mean GPU activity (%) a training job's GPUs are waiting for something.
    public var waitingActivityPct = 50.0
    /// Links this busy (the busier direction ÷ the link's rate) are what the GPUs wait on.
    public var busyLinkShare = 0.5
    /// Jobs on fewer nodes talk over NVLink, not the fabric.
    public var minNodes = 2

    public init() {}
  }

  /// Its nodes' ports, as `node/device/port`.
  public let ports: [String]
  /// Summed over its nodes' ports, between the last two polls; nil where no port says.
  public let receivedBytesPerS: Double?
  public let transmittedBytesPerS: Double?
  /// The busier direction ÷ the ports' summed rate (0…1); nil without rates or traffic.
  public let linkShare: Double?
  /// Ports whose link went down since the poll before, ports not ACTIVE, and ports that
  /// counted errors since the poll before.
  public let flapping: [String]
  public let notActive: [String]
  public let erroring: [String]
  /// Why the job looks network-bound, or nil when it does not (or cannot be told).
  public let verdict: String?

  /// The network of every running job whose nodes report fabric ports.
  public static func of(_ state: FleetState, rules: Rules = Rules()) -> [JobID: JobNetwork] {
    guard !state.fabric.isEmpty else { return [:] }
    // Ports whose node the join could not tell belong to no job.
    var byNode: [NodeID: [FabricPort]] = [:]
    for port in state.fabric {
      if let node = port.nodeID { byNode[node, default: []].append(port) }
    }
    let activity = state.jobActivityPct
    var result: [JobID: JobNetwork] = [:]
    for job in state.jobs where job.state == .running {
      let ports = job.nodeIDs.flatMap { byNode[$0] ?? [] }
      guard !ports.isEmpty else { continue }
      result[job.key] = JobNetwork(
        job: job, ports: ports, activityPct: activity[job.key], rules: rules)
    }
    return result
  }

  init(job: Job, ports: [FabricPort], activityPct: Double?, rules: Rules) {
    func label(_ port: FabricPort) -> String { "\(port.node)/\(port.name)" }
    func sum(_ values: [Double?]) -> Double? {
      let known = values.compactMap { $0 }
      return known.isEmpty ? nil : known.reduce(0, +)
    }
    self.ports = ports.map(label)
    receivedBytesPerS = sum(ports.map(\.receivedBytesPerS))
    transmittedBytesPerS = sum(ports.map(\.transmittedBytesPerS))
    let rate = sum(ports.map(\.rateBytesPerS))
    let busier = [receivedBytesPerS, transmittedBytesPerS].compactMap { $0 }.max()
    linkShare = rate.flatMap { rate in busier.map { rate > 0 ? min(1, $0 / rate) : 0 } }
    flapping = ports.filter(\.isFlapping).map(label)
    notActive = ports.filter { $0.state != nil && $0.state != "ACTIVE" }.map(label)
    erroring = ports.filter(\.isErroring).map(label)

    // Only a multi-node training job waits on the fabric, and only while its GPUs idle.
    guard job.kind == .training, job.nodes.count >= rules.minNodes, let activityPct,
      activityPct < rules.waitingActivityPct
    else {
      verdict = nil
      return
    }
    let waiting = String(format: "GPUs %.0f %% active", activityPct)
    if !flapping.isEmpty {
      verdict = "\(waiting) while \(flapping.count) of its links went down since the last poll"
    } else if !notActive.isEmpty {
      verdict = "\(waiting) while \(notActive.count) of its links are not ACTIVE"
    } else if !erroring.isEmpty {
      let perS = ports.compactMap(\.errorsPerS).reduce(0, +)
      verdict =
        "\(waiting) while \(erroring.count) of its links count errors"
        + String(format: " (%.1f a second)", perS)
    } else if let linkShare, linkShare >= rules.busyLinkShare {
      verdict =
        "\(waiting) while its links carry \(Int((linkShare * 100).rounded())) % of their rate"
    } else {
      verdict = nil
    }
  }

  /// Whether the job looks held back by the fabric.
  public var isNetworkBound: Bool { verdict != nil }
}
