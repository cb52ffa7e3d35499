import FleetModel
import Foundation
import Testing

/// The fleet against the capacity Terraform states declare.
@Suite struct DeclaredCapacityTests {
  let now = Date(timeIntervalSince1970: 1_795_000_000)
  let hourly = PriceBook.demo.price(model: "H100-SXM5-80GB", pricing: .onDemand)!.usdPerGPUHour

  /// Two on-demand nodes of 8 H100s, one owned node, and what the states declare.
  func context(declaring declared: [DeclaredInstance]) -> SavingsContext {
    let nodes = [("cloud", "gpu-a001"), ("cloud", "gpu-a002"), ("lab", "dgx-1")]
    var state = FleetState(
      clusters: [
        Cluster(name: "cloud", scheduler: .slurm, site: "s", pricing: .onDemand),
        Cluster(name: "lab", scheduler: .slurm, site: "s", pricing: .owned),
      ],
      nodes: nodes.map { Node(name: $0.1, cluster: $0.0, rack: "r", state: .idle) },
      gpus: nodes.flatMap { cluster, name in
        (0..<8).map {
          GPU(
            uuid: "\(name)-\($0)", node: NodeID(cluster: cluster, name: name), index: $0,
            model: .h100SXM)
        }
      })
    state.declaredInstances = declared
    return SavingsContext(state: state, prices: .demo, now: now)
  }

  func instance(_ name: String, gpus: Int = 8) -> DeclaredInstance {
    DeclaredInstance(
      address: "aws_instance.\(name)", resourceType: "aws_instance", instanceType: "p5.48xlarge",
      gpus: gpus, gpuModel: "H100-SXM5-80GB", names: [name, "i-\(name)"])
  }

  @Test func withoutAStateNothingIsUndeclared() {
    let kinds = SavingsFinder.find(context(declaring: [])).opportunities.map(\.kind)
    #expect(!kinds.contains(.undeclaredCapacity) && !kinds.contains(.declaredNotRunning))
  }

  /// gpu-a002 runs on demand in no state: its GPUs are orphaned spend. The owned node is not
  /// cloud capacity, and a private DNS name matches its node by its first label.
  @Test func aCloudNodeInNoStateIsOrphanedSpend() throws {
    let declared = DeclaredInstance(
      address: "aws_instance.a1", resourceType: "aws_instance", instanceType: "p5.48xlarge",
      gpus: 8, gpuModel: "H100-SXM5-80GB", names: ["GPU-A001.ec2.internal"])
    let found = SavingsFinder.find(context(declaring: [declared])).opportunities
    let orphaned = try #require(found.first { $0.kind == .undeclaredCapacity })
    #expect(orphaned.scope == "cluster cloud")
    #expect(abs(orphaned.usdPerMonth - 8 * hourly * 730) < 1e-6)
    #expect(orphaned.evidence.contains { $0.id == "gpu-a002" })
    #expect(!orphaned.evidence.contains { $0.id == "gpu-a001" || $0.id == "dgx-1" })
    #expect(!found.contains { $0.kind == .declaredNotRunning })
  }

  /// A declared instance no node matches is reported, priced at on-demand list price.
  @Test func aDeclaredInstanceNeverSeenIsReported() throws {
    let declared = [instance("gpu-a001"), instance("gpu-a002"), instance("ghost", gpus: 4)]
    let found = SavingsFinder.find(context(declaring: declared)).opportunities
    #expect(!found.contains { $0.kind == .undeclaredCapacity })
    let absent = try #require(found.first { $0.kind == .declaredNotRunning })
    #expect(absent.title.contains("1 declared GPU instance (4 GPUs)"))
    #expect(abs(absent.usdPerMonth - 4 * hourly * 730) < 1e-6)
    #expect(absent.evidence.map(\.id) == ["aws_instance.ghost"])
  }

  /// A node pool names no machine: it covers the unnamed cloud nodes of its GPU model as far as
  /// its GPUs go, and what no node takes up is declared but not seen.
  @Test func aNodePoolCoversUnnamedNodesOfItsModelByCount() throws {
    func pool(gpus: Int) -> DeclaredInstance {
      DeclaredInstance(
        address: "aws_eks_node_group.gpu", resourceType: "aws_eks_node_group",
        instanceType: "p5.48xlarge", machines: gpus / 8, gpus: gpus, gpuModel: "H100-SXM5-80GB",
        names: [])
    }
    // Sixteen GPUs for the two cloud nodes: all declared, nothing left over.
    let exact = SavingsFinder.find(context(declaring: [pool(gpus: 16)])).opportunities
    #expect(!exact.contains { $0.kind == .undeclaredCapacity || $0.kind == .declaredNotRunning })
    // Eight: one node covered, the other undeclared.
    let short = SavingsFinder.find(context(declaring: [pool(gpus: 8)])).opportunities
    let orphaned = try #require(short.first { $0.kind == .undeclaredCapacity })
    #expect(orphaned.title.hasPrefix("8 GPUs on 1 nodes of cloud"))
    // Twenty-four: both covered, eight GPUs of the pool never seen.
    let long = SavingsFinder.find(context(declaring: [pool(gpus: 24)])).opportunities
    #expect(!long.contains { $0.kind == .undeclaredCapacity })
    let unseen = try #require(long.first { $0.kind == .declaredNotRunning })
    #expect(unseen.title == "8 GPUs of declared node pools never appear in the fleet")
    #expect(abs(unseen.usdPerMonth - 8 * hourly * 730) < 1e-6)
    #expect(unseen.evidence.first?.detail == "p5.48xlarge pool: 8 of its 24 GPUs not seen")
  }
}
