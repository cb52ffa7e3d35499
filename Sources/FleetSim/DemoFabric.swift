import FleetModel
import Foundation

/// The training cluster's InfiniBand fabric: one 400 Gb/s (NDR) port per node, carrying what
/// its job's collectives send, and one link that flaps.
extension DemoFleet {
  /// NDR: 400 Gb/s a direction.
  static let portRateBytesPerS = 5e10
  /// A multi-node training job moves this share of the link's rate at full activity (its
  /// all-reduce); a job on one node, over NVLink, hardly touches the fabric.
  static let collectiveShare = 0.35
  static let singleNodeShare = 0.02
  /// The flapping link goes bad for two hours every six, and goes down every five minutes
  /// while it is bad, from 200 s into the spell: off the minutes its job checkpoints, whose
  /// pause would look like waiting on the link.
  static let flapOffsetS = 200.0
  static let flapCycleS = 6 * 3_600.0
  static let flapBadS = 2 * 3_600.0
  static let flapEveryS = 300.0

  /// How many times the flapping link has gone down by `t` (counting from the epoch).
  public static func flaps(until time: Double) -> Double {
    let t = time - flapOffsetS
    guard t >= 0 else { return 0 }
    // Down at the start of each bad spell and every five minutes of it.
    let perCycle = (flapBadS / flapEveryS).rounded(.up)
    let cycles = (t / flapCycleS).rounded(.down)
    let into = t - cycles * flapCycleS
    let thisCycle = into < flapBadS ? (into / flapEveryS).rounded(.down) + 1 : perCycle
    return cycles * perCycle + thisCycle
  }

  /// The ports of the training cluster's nodes at `t`; `sinceS` is the poll interval that
  /// "since the poll before" means. A node that stopped answering reports no port.
  func fabric(
    at t: Double, time: Date, nodeStates: [Node], activity: [Double], multiNode: [Bool?],
    sinceS: Double, incidents: IncidentEffects
  ) -> [FabricPort] {
    guard let cluster = clusters.first?.name else { return [] }
    let bucket = UInt64(max(0, t / 10))
    return nodeStates.indices.compactMap { n -> FabricPort? in
      let node = nodeStates[n]
      guard node.cluster == cluster, node.state != .down else { return nil }
      let gpus = n * DemoFleet.gpusPerNode..<(n + 1) * DemoFleet.gpusPerNode
      let busy = gpus.reduce(0) { $0 + activity[$1] } / Double(DemoFleet.gpusPerNode)
      let share =
        multiNode[n].map { $0 ? Self.collectiveShare * busy : Self.singleNodeShare * busy } ?? 0
      func traffic(_ salt: UInt64) -> Double {
        (Self.portRateBytesPerS * share * (0.95 + 0.1 * noise.unit(70, UInt64(n), bucket, salt)))
          .rounded()
      }
      var downs = n == flappingNode ? Self.flaps(until: t) : 0
      var before = n == flappingNode ? Self.flaps(until: t - sinceS) : 0
      // A planted failure's link went down once, when it failed.
      if let incident = incidents.byNode[n], incident.linkDown {
        downs += 1
        before += t - sinceS >= incident.time.timeIntervalSince1970 ? 1 : 0
      }
      return FabricPort(
        node: node.name, nodeID: node.id, device: "mlx5_0", port: "1", stateID: 4,
        physicalStateID: 5,
        rateBytesPerS: Self.portRateBytesPerS, receivedBytesPerS: traffic(1),
        transmittedBytesPerS: traffic(2), linkDownedTotal: downs, linkDownedNew: downs - before,
        // Each time the link goes down it counts three receive errors and one recovery.
        receiveErrorsTotal: downs * 3, linkErrorRecoveryTotal: downs,
        errorsPerS: (downs - before) * 4 / sinceS, time: time)
    }
  }
}
