import FleetModel
import Foundation

/// Kubernetes nodes and pods as factop's fleet: GPU nodes with states from readiness and
/// cordons, one GPU per device, pods holding GPUs as jobs. Pods on shared GPUs (time-slicing,
/// MPS) are counted as whole GPUs: an estimate, as OpenCost also makes it.
public enum KubernetesInventory {
  public static func state(
    nodes: [Kubernetes.Node], pods: [Kubernetes.Pod], layout: ClusterLayout
  ) -> FleetState {
    var state = FleetState(clusters: [layout.cluster])
    // A pod or node whose GPU count is unknown stays listed, holding none (as Slurm's do).
    let gpuPods = pods.filter { $0.gpus != 0 }
    var held: [String: Int] = [:]
    for pod in gpuPods where pod.status?.phase == "Running" {
      if let node = pod.spec?.nodeName { held[node, default: 0] += pod.gpus ?? 0 }
    }
    var free: [String: [GPUID]] = [:]
    var placeholders = GPUPlaceholders()
    for node in nodes where node.gpuCount != 0 {
      let name = node.metadata.name
      let total = node.gpuCount ?? 0
      let used = held[name, default: 0]
      let nodeState: NodeState
      let notReady = node.notReadyReason
      if notReady != nil {
        nodeState = .down
      } else if node.spec?.unschedulable == true {
        nodeState = used > 0 ? .draining : .drained
      } else {
        nodeState = used == 0 ? .idle : (used >= total ? .allocated : .mixed)
      }
      let reason = notReady ?? (node.spec?.unschedulable == true ? "cordoned" : nil)
      state.nodes.append(layout.node(name, state: nodeState, reason: reason))
      let model = GPUModel.reported(
        node.gpuProduct.map { $0.replacingOccurrences(of: "-", with: " ") } ?? "GPU",
        memoryMiB: node.metadata.labels?["nvidia.com/gpu.memory"].flatMap(Int.init))
      let gpus = placeholders.place(node.gpuCount, on: layout.nodeID(name), model: model)
      state.gpus += gpus
      free[name] = gpus.map(\.id)
    }
    for pod in gpuPods {
      let namespace = pod.metadata.namespace ?? "default"
      let id = "\(namespace)/\(pod.metadata.name)"
      let jobState = phase(pod.status?.phase)
      let node = pod.spec?.nodeName
      state.jobs.append(
        Job(
          id: id, cluster: layout.cluster.name, name: workload(pod), user: "",
          team: pod.metadata.labels?["team"] ?? namespace, kind: kind(pod), state: jobState,
          gpus: pod.gpus ?? 0, nodes: node.map { [$0] } ?? [],
          start: pod.status?.startTime.flatMap(date), restarts: pod.restarts))
      guard jobState == .running, let node else { continue }
      for _ in 0..<(pod.gpus ?? 0) {
        guard let gpu = free[node]?.first else { break }
        free[node]?.removeFirst()
        state.allocations[gpu] = layout.jobID(id)
      }
    }
    return state
  }

  /// The workload a pod belongs to: its owner (a Job, a ReplicaSet…), else the pod.
  static func workload(_ pod: Kubernetes.Pod) -> String {
    pod.metadata.ownerReferences?.first?.name ?? pod.metadata.name
  }

  /// Serving runs under Deployments, StatefulSets and their ReplicaSets; notebooks are
  /// interactive; batch Jobs and training operators' pods train.
  static func kind(_ pod: Kubernetes.Pod) -> JobKind {
    let owner = pod.metadata.ownerReferences?.first?.kind ?? ""
    let name = pod.metadata.name.lowercased()
    if name.contains("notebook") || name.contains("jupyter") { return .interactive }
    if ["ReplicaSet", "Deployment", "StatefulSet", "InferenceService"].contains(owner) {
      return .inference
    }
    return JobKind.guess(name: name, partition: "")
  }

  static func phase(_ phase: String?) -> JobState {
    switch phase {
    case "Running": .running
    case "Pending": .pending
    case "Succeeded": .completed
    case "Failed": .failed
    default: .unknown
    }
  }

  static func date(_ text: String) -> Date? {
    Timestamp.withZone(text)
  }
}
