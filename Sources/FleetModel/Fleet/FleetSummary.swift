import Foundation

/// Totals for a set of GPUs and nodes: the numbers on the Overview and in the snapshot's `fleet`.
public struct FleetTotals: Sendable, Hashable {
  public var nodesTotal = 0
  public var nodesByState: [NodeState: Int] = [:]
  public var gpusTotal = 0
  /// GPUs a job holds.
  public var gpusAllocated = 0
  /// GPUs whose activity is at or above the busy threshold.
  public var gpusBusy = 0
  /// GPUs a job holds that are not busy: paid for, doing nothing.
  public var gpusIdleAllocated = 0
  /// Mean activity over the GPUs that report one; nil when none does.
  public var utilMeanPct: Double?
  /// The signal most of `utilMeanPct` came from.
  public var utilSignal: ActivitySignal?
  /// Node power where the node reports it, else the sum of its GPUs'; nil when nothing is known.
  public var powerW: Double?
  /// Free capacity against waiting demand (summed over clusters, each judged on its own).
  public var capacity = CapacityAnalysis(gpusFree: 0, gpusPending: 0, gpusFragmented: 0)
  /// What the GPUs cost per hour at the cluster's pricing, plus the energy of owned nodes; nil
  /// when nothing has a price.
  public var costUSDPerHour: Double?

  public init() {}
}

/// One cluster's totals.
public struct ClusterSummary: Sendable, Hashable {
  public let cluster: Cluster
  public let totals: FleetTotals
}

/// The fleet summarized, as a pure function of a `FleetState` and a price book.
public struct FleetSummary: Sendable, Hashable {
  public let fleet: FleetTotals
  public let clusters: [ClusterSummary]

  /// GPUs at or above this activity count as busy. SM activity under 5 % is a GPU waiting.
  public static let defaultBusyThresholdPct = 5.0

  public init(
    _ state: FleetState, prices: PriceBook, busyThresholdPct: Double = defaultBusyThresholdPct
  ) {
    var accumulators: [String: Accumulator] = [:]
    var fleet = Accumulator()
    let clusterByName = Dictionary(
      state.clusters.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    let nodeByID = Dictionary(state.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

    for node in state.nodes {
      fleet.add(node: node)
      accumulators[node.cluster, default: Accumulator()].add(node: node)
    }
    var gpuPowerByNode: [NodeID: Double] = [:]
    var gpuTimeByNode: [NodeID: Date] = [:]
    for gpu in state.gpus {
      guard let node = nodeByID[gpu.node] else { continue }
      let sample = state.gpuSamples[gpu.id]
      let price = clusterByName[node.cluster].flatMap {
        prices.price(model: gpu.model.name, pricing: $0.pricing)
      }
      let reading = GPUReading(
        allocated: state.allocations[gpu.id] != nil, activity: sample?.activity,
        costUSDPerHour: price?.usdPerGPUHour, busyThresholdPct: busyThresholdPct)
      fleet.add(gpu: reading)
      accumulators[node.cluster, default: Accumulator()].add(gpu: reading)
      if let power = sample?.powerW { gpuPowerByNode[gpu.node, default: 0] += power }
      if let time = sample?.time { gpuTimeByNode[gpu.node] = time }
    }
    for node in state.nodes {
      guard let power = state.nodeSamples[node.id]?.powerW ?? gpuPowerByNode[node.id] else {
        continue
      }
      fleet.add(powerW: power)
      accumulators[node.cluster, default: Accumulator()].add(powerW: power)
      // Cloud prices include power; owned hardware pays for its energy at the site's PUE.
      if let cluster = clusterByName[node.cluster], cluster.pricing == .owned,
        let time = state.nodeSamples[node.id]?.time ?? gpuTimeByNode[node.id],
        let energy = prices.energyUSDPerHour(watts: power, site: cluster.site, at: time)
      {
        fleet.add(costUSDPerHour: energy)
        accumulators[node.cluster, default: Accumulator()].add(costUSDPerHour: energy)
      }
    }

    let capacity = CapacityAnalysis.byCluster(state)
    var fleetTotals = fleet.finished
    // Each cluster is judged on its own: the fleet's stranded GPUs are the clusters' sum, not
    // min(free, pending) over the fleet.
    func sum(_ figure: (CapacityAnalysis) -> Int) -> Int {
      capacity.values.reduce(0) { $0 + figure($1) }
    }
    fleetTotals.capacity = CapacityAnalysis(
      gpusFree: sum(\.gpusFree), gpusPending: sum(\.gpusPending),
      gpusFragmented: sum(\.gpusFragmented), gpusStranded: sum(\.gpusStranded))
    self.fleet = fleetTotals
    self.clusters = state.clusters.map {
      var totals = (accumulators[$0.name] ?? Accumulator()).finished
      if let analysis = capacity[$0.name] { totals.capacity = analysis }
      return ClusterSummary(cluster: $0, totals: totals)
    }
  }
}

/// What the summary needs to know of one GPU.
private struct GPUReading {
  let allocated: Bool
  let activity: (pct: Double, signal: ActivitySignal)?
  let costUSDPerHour: Double?
  let busyThresholdPct: Double

  var isBusy: Bool { (activity?.pct ?? 0) >= busyThresholdPct }
}

/// Running sums behind `FleetTotals`.
private struct Accumulator {
  var totals = FleetTotals()
  var activitySum = 0.0
  var activityCount = 0
  var smActiveCount = 0

  mutating func add(node: Node) {
    totals.nodesTotal += 1
    totals.nodesByState[node.state, default: 0] += 1
  }

  mutating func add(gpu: GPUReading) {
    totals.gpusTotal += 1
    if gpu.allocated { totals.gpusAllocated += 1 }
    // Busy is only known from an activity reading: a GPU without one is neither busy nor idle.
    if let activity = gpu.activity {
      activitySum += activity.pct
      activityCount += 1
      if activity.signal == .smActive { smActiveCount += 1 }
      if gpu.isBusy {
        totals.gpusBusy += 1
      } else if gpu.allocated {
        totals.gpusIdleAllocated += 1
      }
    }
    if let cost = gpu.costUSDPerHour { add(costUSDPerHour: cost) }
  }

  mutating func add(costUSDPerHour cost: Double) {
    totals.costUSDPerHour = (totals.costUSDPerHour ?? 0) + cost
  }

  mutating func add(powerW: Double) {
    totals.powerW = (totals.powerW ?? 0) + powerW
  }

  var finished: FleetTotals {
    var result = totals
    if activityCount > 0 {
      result.utilMeanPct = activitySum / Double(activityCount)
      result.utilSignal = smActiveCount * 2 >= activityCount ? .smActive : .gpuUtil
    }
    return result
  }
}
