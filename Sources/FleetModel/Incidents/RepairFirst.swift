import Foundation

// The repair-first rankings: where failures cost most over the report's window, by node and
// by part (the GPU or link to replace).

extension IncidentSummary {
  /// A node, or a part of one (a GPU, a link), whose incidents cost the most: fix it first.
  public struct RepairTarget: Sendable, Hashable, Encodable {
    public let cluster: String
    public let node: String
    /// `GPU 3`, `mlx5_0/1`: what its incidents' events name; nil for the whole node.
    public let part: String?
    public let incidents: Int
    /// A part's is its share: an incident that names several parts is split evenly.
    public let usd: Double
    public let gpuHours: Double
    /// The most frequent cause, and what to do about it.
    public let cause: String
    public let action: String?

    enum CodingKeys: String, CodingKey {
      case cluster, node, part, incidents, usd, cause, action
      case gpuHours = "gpu_hours"
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(cluster, forKey: .cluster)
      try container.encode(node, forKey: .node)
      try container.encode(part, forKey: .part)
      try container.encode(incidents, forKey: .incidents)
      try container.encode(usd, forKey: .usd)
      try container.encode(gpuHours, forKey: .gpuHours)
      try container.encode(cause, forKey: .cause)
      try container.encode(action, forKey: .action)
    }
  }

  static func repairFirst(_ priced: [PricedIncident]) -> [RepairTarget] {
    let byNode = Dictionary(grouping: priced.filter { $0.incident.node != nil }) {
      $0.incident.nodeID!
    }
    let targets = byNode.map { node, incidents in
      // By what happened and to which GPU or port: the GPU to replace, not only the node.
      let causes = Dictionary(grouping: incidents.map(\.incident), by: \.what)
      let top = causes.max { ($0.value.count, $1.key) < ($1.value.count, $0.key) }!
      return RepairTarget(
        cluster: node.cluster, node: node.name, part: nil, incidents: incidents.count,
        usd: incidents.reduce(0) { $0 + ($1.cost.usd ?? 0) },
        gpuHours: incidents.reduce(0) { $0 + $1.cost.gpuHours }, cause: top.key,
        action: top.value.first?.cause.action)
    }
    return costliestFirst(targets)
  }

  static func repairFirstParts(_ priced: [PricedIncident]) -> [RepairTarget] {
    struct Key: Hashable {
      let node: NodeID
      let part: String
    }
    var shares: [Key: (incidents: Int, usd: Double, gpuHours: Double, events: [IncidentEvent])] =
      [:]
    for p in priced {
      guard let node = p.incident.nodeID else { continue }
      let byPart = Dictionary(grouping: p.incident.events.filter(\.kind.isOnAPart), by: \.subject)
      for (part, events) in byPart {
        let share = 1 / Double(byPart.count)
        var entry = shares[Key(node: node, part: part)] ?? (0, 0, 0, [])
        entry.incidents += 1
        entry.usd += (p.cost.usd ?? 0) * share
        entry.gpuHours += p.cost.gpuHours * share
        entry.events += events
        shares[Key(node: node, part: part)] = entry
      }
    }
    let targets = shares.map { key, entry in
      let causes = Dictionary(grouping: entry.events, by: \.detail)
      let top = causes.max { ($0.value.count, $1.key) < ($1.value.count, $0.key) }!
      return RepairTarget(
        cluster: key.node.cluster, node: key.node.name, part: key.part,
        incidents: entry.incidents, usd: entry.usd, gpuHours: entry.gpuHours, cause: top.key,
        action: top.value.first?.action)
    }
    return costliestFirst(targets)
  }

  /// The ten that cost most (those that cost nothing yet failed more than once stay in).
  private static func costliestFirst(_ targets: [RepairTarget]) -> [RepairTarget] {
    targets.filter { $0.usd > 0 || $0.incidents > 1 }
      .sorted {
        ($0.usd, $0.incidents, $1.node, $1.part ?? "") > (
          $1.usd, $1.incidents, $0.node, $0.part ?? ""
        )
      }
      .prefix(10).map { $0 }
  }
}

extension IncidentEvent.Kind {
  /// Said of one part (a GPU, a link) rather than of the node or a job.
  var isOnAPart: Bool {
    switch self {
    case .xid, .eccDoubleBit, .rowRemapFailure, .nvlinkErrors, .linkFlap: true
    case .nodeOut, .jobFailed, .jobRequeued, .podRestarted: false
    }
  }
}
