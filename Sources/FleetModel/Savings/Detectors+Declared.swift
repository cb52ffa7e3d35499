import Foundation

/// Detectors that compare the fleet with the capacity infrastructure code declares (Terraform
/// states): "if it isn't defined programmatically, it doesn't exist". Both stay silent until a
/// state is read, as without one every machine would look undeclared.
extension Detectors {
  /// Cloud GPU nodes that run (and are paid for) but appear in no state: orphaned spend.
  static func undeclaredCapacity(
    _ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules
  ) -> [Opportunity] {
    let declared = DeclaredNames(c.state.declaredInstances)
    guard !declared.isEmpty else { return [] }
    return c.state.clusters.filter { $0.pricing != .owned }.compactMap { cluster in
      let nodes = c.state.nodes.filter {
        $0.cluster == cluster.name && !declared.contains($0.name)
          && !(index.gpusByNode[$0.id] ?? []).isEmpty
      }
      guard !nodes.isEmpty else { return nil }
      let gpus = nodes.flatMap { index.gpusByNode[$0.id] ?? [] }
      return Opportunity(
        kind: .undeclaredCapacity,
        title:
          "\(gpus.count) GPUs on \(nodes.count) nodes of \(cluster.name) are in no Terraform state",
        scope: "cluster \(cluster.name)", usdPerMonth: c.monthlyCost(of: gpus, index),
        confidence: 0.5,
        rule:
          "a \(cluster.pricing.rawValue) node with GPUs whose name no declared instance carries "
          + "(its name or Name tag, host name, private DNS name or id)",
        evidence: [
          .init(
            type: "number", id: nil,
            detail:
              "\(c.state.declaredInstances.count) instances declared in the states read, "
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

  /// Declared GPU instances no source sees in the fleet: paid for (if running) and unused, or
  /// left in the code after the machines went.
  static func declaredNotRunning(
    _ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules
  ) -> [Opportunity] {
    let fleet = Set(c.state.nodes.flatMap { DeclaredNames.forms(of: $0.name) })
    let absent = c.state.declaredInstances.filter { instance in
      instance.gpus > 0
        && !instance.names.flatMap(DeclaredNames.forms(of:)).contains(where: fleet.contains)
    }
    guard !absent.isEmpty else { return [] }
    // What they would cost at list price: the state does not say how they are bought.
    let usdPerMonth = absent.reduce(0.0) { sum, instance in
      guard let model = instance.gpuModel,
        let price = c.prices.price(model: model, pricing: .onDemand)
      else { return sum }
      return sum + price.usdPerGPUHour * Double(instance.gpus) * SavingsContext.hoursPerMonth
    }
    let gpus = absent.reduce(0) { $0 + $1.gpus }
    return [
      Opportunity(
        kind: .declaredNotRunning,
        title: absent.count == 1
          ? "1 declared GPU instance (\(gpus) GPUs) never appears in the fleet"
          : "\(absent.count) declared GPU instances (\(gpus) GPUs) never appear in the fleet",
        scope: "terraform", usdPerMonth: usdPerMonth, confidence: 0.4,
        rule:
          "a declared instance with GPUs whose names no node of any source carries; priced at "
          + "on-demand list price, as the state does not say how it is bought",
        evidence: absent.prefix(5).map {
          .init(
            type: "resource", id: $0.address,
            detail: "\($0.instanceType): \($0.gpus) × \($0.gpuModel ?? "unknown GPU")")
        },
        action:
          "Check whether these instances run: if they do, join them to a scheduler or terminate "
          + "them; if they are gone, remove them from the code.")
    ]
  }
}

/// The names declared instances go by, in the forms a node name is compared in: lower case,
/// whole and without its domain (`ip-10-0-1-7.ec2.internal` is also `ip-10-0-1-7`).
struct DeclaredNames {
  private let names: Set<String>

  init(_ instances: [DeclaredInstance]) {
    names = Set(instances.flatMap(\.names).flatMap(Self.forms))
  }

  var isEmpty: Bool { names.isEmpty }

  func contains(_ node: String) -> Bool { Self.forms(of: node).contains(where: names.contains) }

  static func forms(of name: String) -> [String] {
    let lower = name.lowercased()
    let short = lower.split(separator: ".").first.map(String.init) ?? lower
    return short == lower ? [lower] : [lower, short]
  }
}
