import Foundation

/// Detectors that compare the fleet with the capacity infrastructure code declares (Terraform
/// states): "if it isn't defined programmatically, it doesn't exist". Both stay silent until a
/// state is read, as without one every machine would look undeclared.
extension Detectors {
  /// Cloud GPU nodes that run (and are paid for) but appear in no state: orphaned spend.
  static func undeclaredCapacity(
    _ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules
  ) -> [Opportunity] {
    guard let coverage = index.declared else { return [] }
    return c.state.clusters.compactMap { cluster in
      guard let nodes = coverage.undeclared[cluster.name], !nodes.isEmpty else { return nil }
      let gpus = nodes.flatMap { index.gpusByNode[$0.id] ?? [] }
      return Opportunity(
        kind: .undeclaredCapacity,
        title:
          "\(gpus.count) GPUs on \(nodes.count) nodes of \(cluster.name) are in no Terraform state",
        scope: "cluster \(cluster.name)", usdPerMonth: c.monthlyCost(of: gpus, index),
        confidence: 0.5,
        rule:
          "a \(cluster.pricing.rawValue) node with GPUs whose name no declared instance carries "
          + "(its name or Name tag, host name, private DNS name or id), beyond what the declared "
          + "node pools of its GPU model hold",
        evidence: [
          .init(
            type: "number", id: nil,
            detail:
              "\(c.state.declaredInstances.count) instances and pools declared in the states read, "
              + "\(c.state.declaredInstances.reduce(0) { $0 + $1.gpus }) GPUs")
        ]
          + nodes.prefix(5).map {
            .init(
              type: "node", id: $0.name,
              detail: "\(index.gpusByNode[$0.id]?.count ?? 0) GPUs, \($0.state.rawValue)")
          },
        action:
          "Find who launched these machines: import them into the infrastructure code if they are "
          + "needed, or terminate them. A state not given to factop also leaves them undeclared.")
    }
  }

  /// Declared GPU capacity no source sees in the fleet: paid for (if running) and unused, or
  /// left in the code after the machines went.
  static func declaredNotRunning(
    _ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules
  ) -> [Opportunity] {
    guard let coverage = index.declared else { return [] }
    let unseen =
      coverage.absent.map { ($0, $0.gpus) } + coverage.poolsUnseen.map { ($0.pool, $0.gpus) }
    guard !unseen.isEmpty else { return [] }
    // What they would cost at list price: the state does not say how they are bought.
    let usdPerMonth = unseen.reduce(0.0) { sum, item in
      guard let model = item.0.gpuModel,
        let price = c.prices.price(model: model, pricing: .onDemand)
      else { return sum }
      return sum + price.usdPerGPUHour * Double(item.1) * SavingsContext.hoursPerMonth
    }
    let instanceGPUs = coverage.absent.reduce(0) { $0 + $1.gpus }
    let poolGPUs = coverage.poolsUnseen.reduce(0) { $0 + $1.gpus }
    var parts: [String] = []
    if coverage.absent.count == 1 {
      parts.append("1 declared GPU instance (\(instanceGPUs) GPUs)")
    } else if coverage.absent.count > 1 {
      parts.append("\(coverage.absent.count) declared GPU instances (\(instanceGPUs) GPUs)")
    }
    if poolGPUs > 0 { parts.append("\(poolGPUs) GPUs of declared node pools") }
    let verb = coverage.absent.count == 1 && poolGPUs == 0 ? "never appears" : "never appear"
    return [
      Opportunity(
        kind: .declaredNotRunning,
        title: "\(parts.joined(separator: " and ")) \(verb) in the fleet",
        scope: "terraform", usdPerMonth: usdPerMonth, confidence: 0.4,
        rule:
          "a declared instance with GPUs whose names no node of any source carries, or a node "
          + "pool's GPUs beyond the unnamed nodes of its model; priced at on-demand list price, "
          + "as the state does not say how it is bought",
        evidence: unseen.prefix(5).map { item, gpus in
          .init(
            type: "resource", id: item.address,
            detail: item.names.isEmpty
              ? "\(item.instanceType) pool: \(gpus) of its \(item.gpus) GPUs not seen"
              : "\(item.instanceType): \(item.gpus) × \(item.gpuModel ?? "unknown GPU")")
        },
        action:
          "Check whether these machines run: if they do, join them to a scheduler or terminate "
          + "them; if they are gone, remove them from the code.")
    ]
  }
}

/// How the fleet meets what the states declare. A node is declared when a declared instance
/// carries its name; the cloud nodes left over are taken up by the declared node pools of their
/// GPU model, as far as those pools' GPUs go (a pool names no machine). What neither covers is
/// undeclared; what no node takes up is declared but not seen.
struct DeclaredCoverage {
  /// Cloud GPU nodes no state declares, by cluster.
  let undeclared: [String: [Node]]
  /// Declared instances whose names no node carries.
  let absent: [DeclaredInstance]
  /// Node pools and the GPUs of theirs no node took up.
  let poolsUnseen: [(pool: DeclaredInstance, gpus: Int)]

  init?(_ state: FleetState, gpusByNode: [NodeID: [GPU]]) {
    guard !state.declaredInstances.isEmpty else { return nil }
    let named = state.declaredInstances.filter { !$0.names.isEmpty }
    let pools = state.declaredInstances.filter { $0.names.isEmpty }
    let declared = DeclaredNames(named)
    let fleet = Set(state.nodes.flatMap { DeclaredNames.forms(of: $0.name) })
    absent = named.filter {
      $0.gpus > 0 && !$0.names.flatMap(DeclaredNames.forms(of:)).contains(where: fleet.contains)
    }
    func family(_ model: String) -> String { GPUModel.family(of: model)?.name ?? model }
    var left = pools.map(\.gpus)
    var undeclared: [String: [Node]] = [:]
    for cluster in state.clusters where cluster.pricing != .owned {
      for node in state.nodes where node.cluster == cluster.name && !declared.contains(node.name) {
        guard let gpus = gpusByNode[node.id], let first = gpus.first else { continue }
        let model = family(first.model.name)
        if let pool = pools.indices.first(where: {
          left[$0] >= gpus.count && pools[$0].gpuModel.map(family) == model
        }) {
          left[pool] -= gpus.count
        } else {
          undeclared[cluster.name, default: []].append(node)
        }
      }
    }
    self.undeclared = undeclared
    poolsUnseen = zip(pools, left).filter { $0.1 > 0 }.map { (pool: $0.0, gpus: $0.1) }
  }
}

/// The names declared instances go by, in the forms a node name is compared in: lower case,
/// whole and without its domain (`ip-10-0-1-7.ec2.internal` is also `ip-10-0-1-7`).
struct DeclaredNames {
  private let names: Set<String>

  init(_ instances: [DeclaredInstance]) {
    names = Set(instances.flatMap(\.names).flatMap(Self.forms))
  }

  func contains(_ node: String) -> Bool { Self.forms(of: node).contains(where: names.contains) }

  static func forms(of name: String) -> [String] {
    let lower = name.lowercased()
    let short = lower.split(separator: ".").first.map(String.init) ?? lower
    return short == lower ? [lower] : [lower, short]
  }
}
