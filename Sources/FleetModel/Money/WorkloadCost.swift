import Foundation

/// What OpenCost says one Kubernetes workload cost over a window (an entry of its
/// `/allocation/compute` answer). `__idle__` and `__unallocated__` are OpenCost's own names for
/// capacity no workload requested.
public struct WorkloadCost: Sendable, Hashable, Codable {
  /// The allocation's name: what it was aggregated by (a namespace, `ns/pod`…).
  public var name: String
  public var cluster: String?
  public var namespace: String?
  public var controller: String?
  public var pod: String?
  public var start: Date
  public var end: Date
  public var gpuHours: Double?
  public var gpuCost: Double?
  public var totalCost: Double

  public init(
    name: String, cluster: String?, namespace: String?, controller: String?, pod: String?,
    start: Date, end: Date, gpuHours: Double?, gpuCost: Double?, totalCost: Double
  ) {
    self.name = name
    self.cluster = cluster
    self.namespace = namespace
    self.controller = controller
    self.pod = pod
    self.start = start
    self.end = end
    self.gpuHours = gpuHours
    self.gpuCost = gpuCost
    self.totalCost = totalCost
  }
}

/// OpenCost's allocations added up: the window, the totals, and each namespace.
public struct WorkloadCostSummary: Sendable, Hashable, Encodable {
  public struct Namespace: Sendable, Hashable, Encodable {
    public let namespace: String
    public let totalCost: Double
    public let gpuCost: Double?

    enum CodingKeys: String, CodingKey {
      case namespace
      case totalCost = "total_cost"
      case gpuCost = "gpu_cost"
    }
  }

  public let allocations: Int
  public let windowStart: Date?
  public let windowEnd: Date?
  public let totalCost: Double
  /// Nil when no allocation reports its GPU cost.
  public let gpuCost: Double?
  /// Largest total cost first; allocations without a namespace count under their name.
  public let byNamespace: [Namespace]

  enum CodingKeys: String, CodingKey {
    case allocations
    case windowStart = "window_start"
    case windowEnd = "window_end"
    case totalCost = "total_cost"
    case gpuCost = "gpu_cost"
    case byNamespace = "by_namespace"
  }

  public init(_ costs: [WorkloadCost]) {
    allocations = costs.count
    windowStart = costs.map(\.start).min()
    windowEnd = costs.map(\.end).max()
    totalCost = costs.reduce(0) { $0 + $1.totalCost }
    let gpu = costs.compactMap(\.gpuCost)
    gpuCost = gpu.isEmpty ? nil : gpu.reduce(0, +)
    var sums: [String: (total: Double, gpu: Double?)] = [:]
    for cost in costs {
      let key = cost.namespace ?? cost.name
      sums[key, default: (0, nil)].total += cost.totalCost
      if let g = cost.gpuCost { sums[key, default: (0, nil)].gpu = (sums[key]?.gpu ?? 0) + g }
    }
    byNamespace = sums.map {
      Namespace(namespace: $0.key, totalCost: $0.value.total, gpuCost: $0.value.gpu)
    }
    .sorted { ($0.totalCost, $1.namespace) > ($1.totalCost, $0.namespace) }
  }

  // Explicit so unknown values are null, never missing.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(allocations, forKey: .allocations)
    try container.encode(windowStart, forKey: .windowStart)
    try container.encode(windowEnd, forKey: .windowEnd)
    try container.encode(totalCost, forKey: .totalCost)
    try container.encode(gpuCost, forKey: .gpuCost)
    try container.encode(byNamespace, forKey: .byNamespace)
  }
}
