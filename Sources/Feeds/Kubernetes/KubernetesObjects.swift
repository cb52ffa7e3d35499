import FleetModel
import Foundation

/// The parts of Kubernetes' NodeList and PodList factop reads (`kubectl get nodes -o json`).
public enum Kubernetes {
  /// A list page: its items and, when there is more, the token for the next page.
  public struct ListPage<Item: Decodable>: Decodable {
    public struct Meta: Decodable {
      public let `continue`: String?
    }
    public let kind: String?
    public let metadata: Meta?
    public let items: [Item]
  }

  public struct Metadata: Decodable, Sendable {
    public let name: String
    public let namespace: String?
    public let labels: [String: String]?
    public let ownerReferences: [Owner]?
    public let creationTimestamp: String?
  }

  public struct Owner: Decodable, Sendable {
    public let kind: String
    public let name: String
  }

  public struct Node: Decodable, Sendable {
    public struct Spec: Decodable, Sendable {
      public let unschedulable: Bool?
      public let taints: [Taint]?
      public let providerID: String?
    }
    public struct Taint: Decodable, Sendable {
      public let key: String
      public let effect: String?
    }
    public struct Status: Decodable, Sendable {
      public let capacity: [String: String]?
      public let allocatable: [String: String]?
      public let conditions: [Condition]?
    }
    public struct Condition: Decodable, Sendable {
      public let type: String
      public let status: String
      public let reason: String?
      public let message: String?
    }
    public let metadata: Metadata
    public let spec: Spec?
    public let status: Status?
  }

  public struct Pod: Decodable, Sendable {
    public struct Spec: Decodable, Sendable {
      public let nodeName: String?
      public let containers: [Container]?
      public let initContainers: [Container]?
    }
    public struct Container: Decodable, Sendable {
      public struct Resources: Decodable, Sendable {
        public let limits: [String: String]?
        public let requests: [String: String]?
      }
      public let resources: Resources?
    }
    public struct Status: Decodable, Sendable {
      public let phase: String?
      public let startTime: String?
      public let containerStatuses: [ContainerStatus]?
    }
    public struct ContainerStatus: Decodable, Sendable {
      public let name: String?
      public let restartCount: Int?
      public let state: ContainerState?
      public let lastState: ContainerState?
    }
    /// One of `running`, `waiting`, `terminated` is set.
    public struct ContainerState: Decodable, Sendable {
      public struct Running: Decodable, Sendable {
        public let startedAt: String?
      }
      public struct Terminated: Decodable, Sendable {
        public let exitCode: Int?
        public let signal: Int?
        public let reason: String?
        /// The container's termination message (its `terminationMessagePath`, or the end of
        /// its log with `terminationMessagePolicy: FallbackToLogsOnError`).
        public let message: String?
        public let finishedAt: String?
      }
      public let running: Running?
      public let terminated: Terminated?
    }
    public let metadata: Metadata
    public let spec: Spec?
    public let status: Status?
  }

  public static func nodes(_ data: Data, source: String) throws -> ListPage<Node> {
    try JSONInput.decode(ListPage<Node>.self, from: data, source: source, snakeCase: false)
  }

  public static func pods(_ data: Data, source: String) throws -> ListPage<Pod> {
    try JSONInput.decode(ListPage<Pod>.self, from: data, source: source, snakeCase: false)
  }

  /// A quantity string as a number: `"8"`, `"500m"`, `"1e3"`, `"16367668Ki"`, `"1Gi"`.
  public static func quantity(_ text: String?) -> Double? {
    guard let text, !text.isEmpty else { return nil }
    let suffixes: [(String, Double)] = [
      ("Ki", 1_024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776),
      ("m", 0.001), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12),
    ]
    for (suffix, factor) in suffixes where text.hasSuffix(suffix) {
      return Double(text.dropLast(suffix.count)).map { $0 * factor }
    }
    return Double(text)
  }
}

extension Kubernetes.Node {
  /// Whole GPUs: `nvidia.com/gpu` (the MIG `single` strategy counts slices there; `mixed` names
  /// each slice profile `nvidia.com/mig-…`, counted by the GPU feature discovery `gpu.count`).
  /// None when the node lists no GPU; nil when its count is not a whole number in range.
  public var gpuCount: Int? {
    if let count = metadata.labels?["nvidia.com/gpu.count"].flatMap(Count.parse) { return count }
    guard let capacity = status?.capacity?["nvidia.com/gpu"] else { return 0 }
    return Count.whole(Kubernetes.quantity(capacity))
  }

  /// GPU feature discovery's product label (`NVIDIA-H100-80GB-HBM3`), when present.
  public var gpuProduct: String? { metadata.labels?["nvidia.com/gpu.product"] }

  /// Why the node is not Ready (its Ready condition's message), or nil when it is.
  public var notReadyReason: String? {
    guard let ready = status?.conditions?.first(where: { $0.type == "Ready" }) else {
      return "no Ready condition"
    }
    return ready.status == "True" ? nil : ready.message ?? ready.reason ?? "NotReady"
  }
}

extension Kubernetes.Pod {
  /// Its containers' restarts, and how the last one to restart ended; nil where the pod
  /// reports no container statuses (not yet scheduled).
  public var restarts: ContainerRestarts? {
    guard let statuses = status?.containerStatuses else { return nil }
    let last = statuses.compactMap { status -> (Kubernetes.Pod.ContainerStatus, Date)? in
      guard let at = status.lastState?.terminated?.finishedAt.flatMap(Timestamp.withZone) else {
        return nil
      }
      return (status, at)
    }.max { $0.1 < $1.1 }
    return ContainerRestarts(
      count: statuses.reduce(0) { $0 + max(0, $1.restartCount ?? 0) },
      lastExit: last?.0.lastState?.terminated.map(Self.exit),
      lastExitAt: last?.1,
      runningSince: last?.0.state?.running?.startedAt.flatMap(Timestamp.withZone))
  }

  /// `Error, exit 1: CUDA error: …`: the runtime's reason and code, and of the termination
  /// message the line that names a GPU error (a traceback's hints follow it), else its last.
  static func exit(_ terminated: Kubernetes.Pod.ContainerState.Terminated) -> String {
    var text = terminated.reason ?? "Terminated"
    if let code = terminated.exitCode { text += ", exit \(code)" }
    if let signal = terminated.signal { text += ", signal \(signal)" }
    let lines = (terminated.message ?? "").split(whereSeparator: \.isNewline)
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    let named = lines.first(where: ContainerRestarts.namesAGPUError)
    if let line = named ?? lines.last { text += ": \(line.prefix(200))" }
    return text
  }

  /// GPUs the pod holds: the containers' limits (requests where no limit) summed, or the
  /// largest init container's if that is more (init containers run one at a time, first).
  /// Unknown (nil) when a GPU quantity is not a whole number in range, or the sum would not be.
  public var gpus: Int? {
    func count(_ containers: [Container]?) -> [Int?] {
      (containers ?? []).map { container in
        let resources = container.resources
        let all = (resources?.limits ?? [:]).merging(resources?.requests ?? [:]) { a, _ in a }
        return Count.sum(
          all.filter { $0.key == "nvidia.com/gpu" || $0.key.hasPrefix("nvidia.com/mig-") }
            .map { Count.whole(Kubernetes.quantity($0.value)) })
      }
    }
    let initial = count(spec?.initContainers)
    guard let main = Count.sum(count(spec?.containers)), !initial.contains(nil) else { return nil }
    return max(main, initial.compactMap { $0 }.max() ?? 0)
  }
}
