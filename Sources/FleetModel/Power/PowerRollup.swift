/// The power chain added up from node to site: what the GPUs draw, what the rest of each node
/// draws (its BMC reading less its GPUs), what the facility draws (IT power × the site's PUE),
/// and how close each site and rack is to its budget. Unknown stays nil: a node without a BMC
/// reading counts its GPUs alone, and says so, rather than guessing the rest.
public struct PowerRollup: Sendable, Hashable {
  public enum Level: String, Sendable, Hashable { case fleet, site, cluster, rack, node }

  /// Power at one level of the chain.
  public struct Entry: Sendable, Hashable {
    public let level: Level
    public let name: String
    public let site: String
    /// The sum of the GPUs' own readings; nil when no GPU reported power.
    public internal(set) var gpuW: Double?
    /// BMC readings less the GPUs of those nodes: CPUs, memory, NICs, fans. Nil when no node
    /// below has a BMC reading.
    public internal(set) var restOfNodeW: Double?
    /// IT power: each node's BMC reading, or its GPUs' sum where it has none.
    public internal(set) var itW: Double?
    /// Nodes below whose IT power is their GPUs alone (no BMC reading): a lower bound.
    public internal(set) var nodesWithoutBMC = 0
    /// Nodes below whose GPUs add up to more than their BMC reading: a chain out of order.
    public internal(set) var nodesOutOfOrder: [String] = []
    /// Racks below whose nodes add up to more than their PDU reading (`CLUSTER/RACK`).
    public internal(set) var racksOutOfOrder: [String] = []
    /// A meter's reading of this whole level (a rack PDU's mains), when there is one.
    public internal(set) var meterW: Double?
    /// What may be drawn here, when a budget is set.
    public internal(set) var budgetW: Double?
    /// The site's PUE, when known (sites and what lies below them).
    public internal(set) var pue: Double?

    init(level: Level, name: String, site: String) {
      self.level = level
      self.name = name
      self.site = site
    }

    /// Facility power: IT power × PUE.
    public var facilityW: Double? { itW.flatMap { it in pue.map { it * $0 } } }

    /// A rack's meter reading less the IT power of its nodes: switches, fans and whatever is
    /// not attributed to a node; above a rack, the sum over its metered racks. Negative means
    /// the nodes claim more than the meter sees. Nil where no rack below has a meter.
    public internal(set) var unattributedW: Double?

    /// Share of the budget still free (negative when over it).
    public var headroomPct: Double? {
      guard let budgetW, budgetW > 0, let itW else { return nil }
      return (budgetW - itW) / budgetW * 100
    }

    mutating func add(_ other: Entry) {
      unattributedW = Self.sum(unattributedW, other.unattributedW)
      gpuW = Self.sum(gpuW, other.gpuW)
      restOfNodeW = Self.sum(restOfNodeW, other.restOfNodeW)
      itW = Self.sum(itW, other.itW)
      nodesWithoutBMC += other.nodesWithoutBMC
      nodesOutOfOrder += other.nodesOutOfOrder
      racksOutOfOrder += other.racksOutOfOrder
    }

    static func sum(_ a: Double?, _ b: Double?) -> Double? {
      switch (a, b) {
      case (nil, nil): nil
      case (let a?, nil): a
      case (nil, let b?): b
      case (let a?, let b?): a + b
      }
    }
  }

  /// A rack and its nodes.
  public struct Rack: Sendable, Hashable {
    public let entry: Entry
    public let nodes: [Entry]
  }

  /// A cluster and its racks.
  public struct ClusterPower: Sendable, Hashable {
    public let entry: Entry
    public let racks: [Rack]
  }

  /// A site and its clusters.
  public struct Site: Sendable, Hashable {
    public let entry: Entry
    public let clusters: [ClusterPower]
  }

  public let fleet: Entry
  public let sites: [Site]

  /// Adds up `state`'s readings, in inventory order.
  public init(_ state: FleetState, pueBySite: [String: Double], budgets: PowerBudgets) {
    var gpuW: [NodeID: Double] = [:]
    for gpu in state.gpus {
      if let power = state.gpuSamples[gpu.id]?.powerW { gpuW[gpu.node, default: 0] += power }
    }
    let nodesByRack = Dictionary(grouping: state.nodes) { "\($0.cluster)/\($0.rack)" }
    var rackMeters: [String: Double] = [:]
    for meter in state.meters.sorted(by: { $0.time < $1.time }) where meter.scope == .rack {
      rackMeters[meter.target] = meter.watts
    }
    var fleet = Entry(level: .fleet, name: "fleet", site: "")
    var sites: [Site] = []
    let siteNames = state.clusters.map(\.site).reduce(into: [String]()) {
      if !$0.contains($1) { $0.append($1) }
    }
    for siteName in siteNames {
      let pue = pueBySite[siteName]
      var site = Entry(level: .site, name: siteName, site: siteName)
      site.pue = pue
      site.budgetW = budgets.siteW[siteName]
      var clusters: [ClusterPower] = []
      for cluster in state.clusters where cluster.site == siteName {
        var clusterEntry = Entry(level: .cluster, name: cluster.name, site: siteName)
        clusterEntry.pue = pue
        var racks: [Rack] = []
        let rackNames = state.nodes.filter { $0.cluster == cluster.name }.map(\.rack)
          .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for rackName in rackNames {
          var rack = Entry(level: .rack, name: rackName, site: siteName)
          rack.pue = pue
          rack.budgetW = budgets.rackW[siteName]
          rack.meterW = rackMeters["\(cluster.name)/\(rackName)"]
          let nodes = (nodesByRack["\(cluster.name)/\(rackName)"] ?? []).map { node in
            var entry = Self.node(
              node.name, site: siteName, gpuW: gpuW[node.id],
              bmcW: state.nodeSamples[node.id]?.powerW)
            entry.pue = pue
            return entry
          }
          nodes.forEach { rack.add($0) }
          rack.unattributedW = rack.meterW.flatMap { meter in rack.itW.map { meter - $0 } }
          if let unattributed = rack.unattributedW, unattributed < 0 {
            rack.racksOutOfOrder = ["\(cluster.name)/\(rackName)"]
          }
          racks.append(Rack(entry: rack, nodes: nodes))
          clusterEntry.add(rack)
        }
        clusters.append(ClusterPower(entry: clusterEntry, racks: racks))
        site.add(clusterEntry)
      }
      sites.append(Site(entry: site, clusters: clusters))
      fleet.add(site)
    }
    self.fleet = fleet
    self.sites = sites
  }

  static func node(_ name: String, site: String, gpuW: Double?, bmcW: Double?) -> Entry {
    var entry = Entry(level: .node, name: name, site: site)
    entry.gpuW = gpuW
    if let bmcW {
      entry.itW = bmcW
      entry.restOfNodeW = bmcW - (gpuW ?? 0)
      if let gpuW, gpuW > bmcW { entry.nodesOutOfOrder = [name] }
    } else {
      entry.itW = gpuW
      entry.nodesWithoutBMC = 1
    }
    return entry
  }

  /// Facility power of the whole fleet: each site's IT power × its PUE; nil when nothing draws
  /// power or a site that does has no PUE.
  public var facilityW: Double? {
    let drawing = sites.filter { $0.entry.itW != nil }
    guard !drawing.isEmpty else { return nil }
    var total = 0.0
    for site in drawing {
      guard let facility = site.entry.facilityW else { return nil }
      total += facility
    }
    return total
  }
}
