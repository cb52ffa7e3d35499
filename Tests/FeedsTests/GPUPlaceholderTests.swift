import Feeds
import FleetModel
import Foundation
import Testing

/// Schedulers count GPUs (Slurm GRES, Kubernetes capacity and requests) and factop places a
/// GPU for each; the counts are outside input. Pinned here: a count that is no number, or one
/// that would place billions, is unknown and places none, and never traps or takes the memory.
@Suite struct GPUPlaceholderTests {
  let layout = ClusterLayout(
    cluster: Cluster(name: "c", scheduler: .slurm, site: "dc1", pricing: .onDemand))

  @Test func slurmNodesPlaceAtMost1024GPUs() throws {
    let scontrol = """
      NodeName=huge State=IDLE Gres=gpu:2147483647
      NodeName=past State=IDLE Gres=gpu:h100:1000,gpu:a100:100
      NodeName=bad State=IDLE Gres=gpu:h100:x
      NodeName=ok State=IDLE Gres=gpu:h100:8
      """
    let nodes = try SlurmText.scontrolNodes(scontrol, source: "scontrol")
    #expect(nodes.map(\.gpuCount) == [2_147_483_647, 1_100, nil, 8])
    let state = SlurmInventory.state(nodes: nodes, jobs: [], layout: layout)
    #expect(state.nodes.map(\.name) == ["huge", "past", "bad", "ok"])
    let perNode = Dictionary(grouping: state.gpus, by: \.node.name).mapValues(\.count)
    #expect(perNode == ["past": 1_000, "ok": 8])
  }

  @Test func oneAnswerPlacesAtMost2To20GPUs() throws {
    let scontrol = (0...1_024).map { "NodeName=n\($0) State=IDLE Gres=gpu:1024" }
      .joined(separator: "\n")
    let nodes = try SlurmText.scontrolNodes(scontrol, source: "scontrol")
    let state = SlurmInventory.state(nodes: nodes, jobs: [], layout: layout)
    #expect(state.nodes.count == 1_025)
    #expect(state.gpus.count == 1 << 20)
    #expect(!state.gpus.contains { $0.node.name == "n1024" })
  }

  @Test func kubernetesQuantitiesOutOfRangeAreUnknown() throws {
    func node(_ name: String, _ gpus: String) -> String {
      #"{"metadata":{"name":"\#(name)"},"status":{"capacity":{"nvidia.com/gpu":"\#(gpus)"},"#
        + #""conditions":[{"type":"Ready","status":"True"}]}}"#
    }
    func pod(_ name: String, _ gpus: String) -> String {
      #"{"metadata":{"name":"\#(name)","namespace":"ns"},"spec":{"nodeName":"a","containers":"#
        + #"[{"name":"m","resources":{"limits":{"nvidia.com/gpu":"\#(gpus)"}}}]},"#
        + #""status":{"phase":"Running"}}"#
    }
    let nodeList =
      #"{"items":["#
      + [node("a", "8"), node("b", "1e300"), node("c", "4096")]
      .joined(separator: ",") + "]}"
    let podList =
      #"{"items":["#
      + [pod("p", "2"), pod("q", "1e300"), pod("r", "0.5")]
      .joined(separator: ",") + "]}"
    let nodes = try Kubernetes.nodes(Data(nodeList.utf8), source: "k8s").items
    let pods = try Kubernetes.pods(Data(podList.utf8), source: "k8s").items
    #expect(nodes.map(\.gpuCount) == [8, nil, 4_096])
    #expect(pods.map(\.gpus) == [2, nil, nil])
    let state = KubernetesInventory.state(nodes: nodes, pods: pods, layout: layout)
    #expect(state.nodes.map(\.name) == ["a", "b", "c"])
    #expect(state.gpus.allSatisfy { $0.isPlaceholder && $0.node.name == "a" })
    #expect(state.gpus.map(\.index) == Array(0..<8))
    #expect(state.jobs.map(\.gpus) == [2, 0, 0])
    #expect(state.allocations.count == 2)
  }
}
