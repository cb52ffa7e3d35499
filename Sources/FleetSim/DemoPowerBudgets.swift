import FleetModel

extension DemoFleet {
  /// The demo sites' power budgets, planned as sites plan them: every rack at a site gets the
  /// nameplate of its site's most power-hungry rack, and the site contracts for 80 % of all its
  /// racks' nameplate (GPUs at TDP, hosts flat out), because they never all peak at once.
  public var powerBudgets: PowerBudgets {
    let siteOfCluster = Dictionary(uniqueKeysWithValues: clusters.map { ($0.name, $0.site) })
    var rackNameplate: [String: Double] = [:]
    var rackSite: [String: String] = [:]
    for (n, node) in nodes.enumerated() {
      let first = gpus[n * Self.gpusPerNode]
      let host = HostProfile.of(first.model)
      let key = "\(node.cluster)/\(node.rack)"
      rackNameplate[key, default: 0] +=
        first.model.tdpW * Double(Self.gpusPerNode) + host.baseW + host.activeW
      rackSite[key] = siteOfCluster[node.cluster]
    }
    var budgets = PowerBudgets()
    for (rack, watts) in rackNameplate.sorted(by: { $0.key < $1.key }) {
      guard let site = rackSite[rack] else { continue }
      budgets.rackW[site] = max(budgets.rackW[site] ?? 0, watts)
      budgets.siteW[site, default: 0] += watts * 0.8
    }
    // Whole kilowatts, as a plan would state them.
    budgets.siteW = budgets.siteW.mapValues { ($0 / 1_000).rounded() * 1_000 }
    return budgets
  }
}
