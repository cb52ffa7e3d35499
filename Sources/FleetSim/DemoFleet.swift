import FleetModel

/// Why a demo fleet could not be built.
public enum DemoFleetError: Error, Equatable, CustomStringConvertible {
  case unsupportedSize(Int)

  public var description: String {
    switch self {
    case .unsupportedSize(let gpus):
      "a demo fleet of \(gpus) GPUs is not supported: use a multiple of \(DemoFleet.gpusPerNode) between "
        + "\(DemoFleet.minimumGPUs) and \(DemoFleet.maximumGPUs)"
    }
  }
}

/// The built-in demo AI factory: three clusters, their racks, nodes, GPUs and workloads.
///
/// The layout and the workloads are fixed by `(gpus, seed)`; telemetry is a pure function of
/// time on top of them (`state(at:)`), so the same seed and time always give the same fleet.
public struct DemoFleet: Sendable {
  public static let gpusPerNode = 8
  public static let nodesPerRack = 4
  public static let minimumGPUs = 256
  public static let maximumGPUs = 262_144
  public static let defaultGPUs = 1_024
  /// The straggler's SM activity (0…1), and its job's level without it.
  static let stragglerActivity = 0.55
  static let pretrainingLevel = 0.93
  /// The forgotten sweep holds its GPUs this long every period, then is released.
  static let releasedSweepPeriodS = 4 * 86_400.0
  static let releasedSweepHeldS = 1.5 * 86_400.0
  /// The down node goes down at 06:00 UTC every third day (counted from the epoch) and is
  /// repaired 40 hours later: its out-of-service finding opens after a day and is realized.
  static let downNodePeriodS = 3 * 86_400.0
  static let downNodeOutS = 40 * 3_600.0
  static let downNodeFailsAtS = 6 * 3_600.0
  static let sweepRestartS = 7 * 86_400.0

  public let seed: UInt64
  public let clusters: [Cluster]
  /// Nodes in their base state; `state(at:)` derives the current state from placement.
  public let nodes: [Node]
  public let gpus: [GPU]
  public let groundTruth: PlantedWaste

  let slots: [WorkloadSlot]
  let pending: [PendingSlot]
  let drainedNode: Int
  let downNode: Int
  let drainingNode: Int
  /// Global GPU index of the straggler.
  let stragglerGPU: Int
  /// The node whose InfiniBand link flaps (`DemoFleet.flaps`).
  let flappingNode: Int
  let noise: Noise

  /// Whether a demo fleet of this many GPUs can be built.
  public static func supports(gpus: Int) -> Bool {
    gpus % gpusPerNode == 0 && (minimumGPUs...maximumGPUs).contains(gpus)
  }

  public init(gpus gpuCount: Int = defaultGPUs, seed: UInt64 = 1) throws(DemoFleetError) {
    guard Self.supports(gpus: gpuCount) else { throw .unsupportedSize(gpuCount) }
    var plan = LayoutPlan(noise: Noise(seed: seed), nodeCount: gpuCount / Self.gpusPerNode)
    self.groundTruth = plan.build()
    self.seed = seed
    self.noise = plan.noise
    self.clusters = plan.clusters
    self.nodes = plan.nodes
    self.gpus = plan.gpus
    self.slots = plan.slots
    self.pending = plan.pending
    self.drainedNode = plan.drainedNode
    self.downNode = plan.downNode
    self.drainingNode = plan.drainingNode
    self.stragglerGPU = plan.stragglerGPU
    self.flappingNode = plan.flappingNode
  }
}

/// Builds the demo layout: clusters, racks, nodes, GPUs and where each workload sits.
struct LayoutPlan {
  let noise: Noise
  let nodeCount: Int
  var clusters: [Cluster] = []
  var nodes: [Node] = []
  var gpus: [GPU] = []
  var slots: [WorkloadSlot] = []
  var pending: [PendingSlot] = []
  var drainedNode = 0
  var downNode = 0
  var drainingNode = 0
  var stragglerGPU = 0
  var forgottenSweep = 0..<0
  var flappingNode = 0

  static let day = 86_400.0

  init(noise: Noise, nodeCount: Int) {
    self.noise = noise
    self.nodeCount = nodeCount
  }

  /// Lays out the fleet and returns what it planted.
  mutating func build() -> PlantedWaste {
    let trainCount = nodeCount * 5 / 8
    let inferCount = nodeCount / 4
    let researchCount = nodeCount - trainCount - inferCount

    let train = addCluster(
      Cluster(name: "train-a", scheduler: .slurm, site: "dc-east", pricing: .reserved3y),
      letter: "a", count: trainCount
    ) { i in i < trainCount * 3 / 4 ? .h100SXM : .h200 }
    let infer = addCluster(
      Cluster(name: "infer-k8s", scheduler: .kubernetes, site: "dc-west", pricing: .onDemand),
      letter: "k", count: inferCount
    ) { i in i < inferCount / 2 ? .h200 : .l40s }
    let research = addCluster(
      Cluster(name: "research", scheduler: .slurm, site: "dc-east", pricing: .owned),
      letter: "r", count: researchCount
    ) { _ in .a100SXM }

    let (stragglerJob, idleJob, idleGPUs) = placeTraining(train)
    let (deployment, deploymentGPUs, peak) = placeInference(infer)
    placeResearch(research)
    // Last, so the slots before it keep their numbers (and their noise).
    let released = placeReleasedSweep(train)

    return PlantedWaste(
      idleAllocationJob: idleJob, idleAllocationGPUs: idleGPUs,
      overprovisionedDeployment: deployment, overprovisionedGPUs: deploymentGPUs,
      overprovisionedPeakActivityPct: peak * 100,
      stragglerJob: stragglerJob, stragglerGPU: gpus[stragglerGPU].id,
      stragglerActivityPct: DemoFleet.stragglerActivity * 100,
      stragglerJobActivityPct: DemoFleet.pretrainingLevel * 100,
      drainedNode: nodes[drainedNode].name, downNode: nodes[downNode].name,
      onDemandCluster: infer.cluster.name, strandedCluster: train.cluster.name,
      releasedJob: released, releasedGPUs: forgottenSweep.count * DemoFleet.gpusPerNode,
      flappingNode: nodes[flappingNode].name)
  }

  /// A sweep that finished but kept its allocation (`sleep infinity` after the last trial) for
  /// a day and a half every four days, until its owner notices and releases the GPUs: waste
  /// the savings ledger sees found and then realized. Not running on the days the tests and
  /// golden screens look at (2026-11-18 and 19).
  private mutating func placeReleasedSweep(_ train: ClusterNodes) -> String {
    let name = "ablation-grid"
    addSlot(
      cluster: train.cluster.name, name: name, person: Roster.person(inTeam: "llm-post", 2),
      kind: .training, placement: wholeNodes(forgottenSweep),
      lifecycle: Lifecycle(
        periodS: DemoFleet.releasedSweepPeriodS, durationS: DemoFleet.releasedSweepHeldS,
        phaseS: 86_400),
      profile: .idle)
    return name
  }

  /// A cluster's nodes as a range of global node indices.
  struct ClusterNodes {
    let cluster: Cluster
    let range: Range<Int>
  }

  private mutating func addCluster(
    _ cluster: Cluster, letter: String, count: Int, model: (Int) -> GPUModel
  ) -> ClusterNodes {
    clusters.append(cluster)
    let first = nodes.count
    for i in 0..<count {
      let number = String(i + 1).leftPadded(to: 4)
      let rack = String(i / DemoFleet.nodesPerRack + 1).leftPadded(to: 3)
      let name = "gpu-\(letter)\(number)"
      nodes.append(
        Node(name: name, cluster: cluster.name, rack: "\(letter)-r\(rack)", state: .idle))
      let gpuModel = model(i)
      for index in 0..<DemoFleet.gpusPerNode {
        let global = UInt64(gpus.count)
        gpus.append(
          GPU(
            uuid: uuid(global), node: NodeID(cluster: cluster.name, name: name), index: index,
            model: gpuModel))
      }
    }
    return ClusterNodes(cluster: cluster, range: first..<nodes.count)
  }

  private func uuid(_ global: UInt64) -> String {
    let a = noise.hash(global, 1)
    let b = noise.hash(global, 2)
    let hex =
      String(a, radix: 16).leftPadded(to: 16, with: "0")
      + String(b, radix: 16).leftPadded(to: 16, with: "0")
    let chars = Array(hex)
    func part(_ r: Range<Int>) -> String { String(chars[r]) }
    return "GPU-\(part(0..<8))-\(part(8..<12))-\(part(12..<16))-\(part(16..<20))-\(part(20..<32))"
  }

  private func wholeNodes(_ range: Range<Int>) -> [(node: Int, gpus: [Int])] {
    range.map { ($0, Array(0..<DemoFleet.gpusPerNode)) }
  }

  private mutating func addSlot(
    cluster: String, name: String, person: (user: String, team: String), kind: JobKind,
    placement: [(node: Int, gpus: [Int])], lifecycle: Lifecycle, profile: ActivityProfile,
    stableID: String? = nil
  ) {
    slots.append(
      WorkloadSlot(
        number: slots.count, cluster: cluster, name: name, user: person.user, team: person.team,
        kind: kind, placement: placement, lifecycle: lifecycle, profile: profile,
        stableID: stableID))
  }

  /// The training cluster: one large pretraining job with a straggler, one idle allocation, a
  /// drained and a down node, a spread of jobs from 8 to 512 GPUs, a few left idle, and a queue.
  private mutating func placeTraining(_ train: ClusterNodes)
    -> (straggler: String, idle: String, idleGPUs: Int)
  {
    let name = train.cluster.name
    drainedNode = train.range.upperBound - 1
    downNode = train.range.upperBound - 2
    var cursor = train.range.lowerBound
    let usable = train.range.count - 2

    // The largest power of two up to a third of the cluster, capped at 2,048 GPUs.
    var bigNodes = 1
    while bigNodes * 2 <= min(256, usable / 3) { bigNodes *= 2 }
    let bigName = "llm-pretrain-70b"
    addSlot(
      cluster: name, name: bigName, person: Roster.person(inTeam: "llm-pretrain", 0),
      kind: .training, placement: wholeNodes(cursor..<cursor + bigNodes),
      lifecycle: .always(restartEveryS: 14 * Self.day, phaseS: -3 * Self.day),
      profile: .training(level: DemoFleet.pretrainingLevel))
    let stragglerNode = cursor + noise.int(in: 0...(bigNodes - 1), 11)
    stragglerGPU = stragglerNode * DemoFleet.gpusPerNode + noise.int(in: 0...7, 12)
    // The pretraining job's last node has a bad cable: its link flaps.
    flappingNode = cursor + bigNodes - 1
    cursor += bigNodes

    let idleName = "vlm-eval-sweep"
    addSlot(
      cluster: name, name: idleName, person: Roster.person(inTeam: "vision", 0), kind: .training,
      placement: wholeNodes(cursor..<cursor + 2),
      // Restarted every week onto the same nodes as a new job: the waste moves, it never stops.
      lifecycle: .always(restartEveryS: DemoFleet.sweepRestartS, phaseS: -2.5 * Self.day),
      profile: .idle)
    cursor += 2

    // Keep about 5 % of the cluster free, as a real scheduler's backfill margin does.
    let stop = train.range.lowerBound + usable - max(1, usable / 20)
    let sizes = [1, 1, 2, 2, 4, 4, 8, 16, 32, 64]
    var n: UInt64 = 0
    while cursor < stop {
      n += 1
      let size = min(sizes[noise.int(in: 0...(sizes.count - 1), 20, n)], stop - cursor)
      let duration = (0.25 + 3.75 * noise.unit(21, n)) * Self.day
      let gap = 3_600 * 3 * noise.unit(22, n)
      addSlot(
        cluster: name, name: Roster.trainingNames[Int(n) % Roster.trainingNames.count],
        person: Roster.person(noise.int(in: 0...17, 23, n)), kind: .training,
        placement: wholeNodes(cursor..<cursor + size),
        lifecycle: Lifecycle(
          periodS: duration + gap, durationS: duration, phaseS: noise.unit(24, n) * duration),
        profile: .training(level: 0.7 + 0.27 * noise.unit(25, n)))
      cursor += size
    }

    // The backfill margin's last nodes, for the sweep its owner forgets and later releases.
    let margin = train.range.lowerBound + usable - stop
    forgottenSweep = (stop + margin - min(2, margin))..<(stop + margin)

    for (i, gpus) in [256, 512, 128].enumerated() {
      let person = Roster.person(inTeam: ["llm-post", "speech", "recsys"][i], 1)
      pending.append(
        PendingSlot(
          number: i, cluster: name, name: ["rlhf-dpo-34b", "speech-lm-pretrain", "dlrm-hpo"][i],
          user: person.user, team: person.team, gpus: gpus))
    }
    return (bigName, idleName, 2 * DemoFleet.gpusPerNode)
  }

  /// The inference cluster: LLM deployments on H200, embedding and rerank services on L40S, one
  /// of them with far more replicas than its traffic needs.
  private mutating func placeInference(_ infer: ClusterNodes)
    -> (deployment: String, gpus: Int, peak: Double)
  {
    let h200 = infer.range.lowerBound..<(infer.range.lowerBound + infer.range.count / 2)
    let l40s = h200.upperBound..<infer.range.upperBound
    let rollout = Lifecycle.always(restartEveryS: 3 * Self.day, phaseS: 0.4 * Self.day)
    let service = Roster.person(inTeam: "platform", 0)
    func deploy(
      _ plan: inout LayoutPlan, _ name: String, _ placement: [(node: Int, gpus: [Int])],
      peak: Double
    ) {
      plan.addSlot(
        cluster: infer.cluster.name, name: name, person: service, kind: .inference,
        placement: placement, lifecycle: rollout, profile: .inference(peak: peak),
        stableID: "prod/\(name)")
    }
    let chatEnd = h200.lowerBound + h200.count / 2
    let codeEnd = chatEnd + h200.count * 3 / 10
    deploy(&self, "llm-chat", wholeNodes(h200.lowerBound..<chatEnd), peak: 0.92)
    deploy(&self, "llm-code", wholeNodes(chatEnd..<codeEnd), peak: 0.8)

    // Single-GPU pods on L40S: embed-search holds half the GPUs and peaks at 16 %.
    let l40sGPUs = l40s.flatMap { node in (0..<DemoFleet.gpusPerNode).map { (node, $0) } }
    let embedCount = l40sGPUs.count / 2
    let rerankCount = l40sGPUs.count * 3 / 10
    func pods(_ slice: ArraySlice<(Int, Int)>) -> [(node: Int, gpus: [Int])] {
      Dictionary(grouping: slice, by: { $0.0 }).sorted { $0.key < $1.key }.map {
        ($0.key, $0.value.map { $0.1 })
      }
    }
    let peak = 0.16
    deploy(&self, "embed-search", pods(l40sGPUs[0..<embedCount]), peak: peak)
    deploy(&self, "rerank", pods(l40sGPUs[embedCount..<embedCount + rerankCount]), peak: 0.7)
    return ("prod/embed-search", embedCount, peak)
  }

  /// The research cluster: small training jobs, a node draining after an ECC error, and shared
  /// nodes with notebooks.
  private mutating func placeResearch(_ research: ClusterNodes) {
    let name = research.cluster.name
    drainingNode = research.range.lowerBound
    var cursor = research.range.lowerBound
    let trainingEnd = research.range.lowerBound + research.range.count / 2
    var n: UInt64 = 0
    while cursor < trainingEnd {
      n += 1
      let size = min(noise.int(in: 1...4, 30, n), trainingEnd - cursor)
      let duration = (0.1 + 1.5 * noise.unit(31, n)) * Self.day
      addSlot(
        cluster: name, name: Roster.trainingNames[Int(n + 5) % Roster.trainingNames.count],
        person: Roster.person(inTeam: "research", Int(n)), kind: .training,
        placement: wholeNodes(cursor..<cursor + size),
        lifecycle: cursor == drainingNode
          ? .always(restartEveryS: 2 * Self.day, phaseS: 0)
          : Lifecycle(
            periodS: duration * 1.2, durationS: duration, phaseS: noise.unit(32, n) * duration),
        profile: .training(level: 0.6 + 0.3 * noise.unit(33, n)))
      cursor += size
    }
    // Notebooks: two or three per shared node, a few GPUs left free on each.
    for node in trainingEnd..<research.range.upperBound {
      var gpu = 0
      for k in 0..<noise.int(in: 2...3, 34, UInt64(node)) {
        let width = k == 0 ? 1 : 2
        let person = Roster.person(noise.int(in: 0...17, 35, UInt64(node), UInt64(k)))
        addSlot(
          cluster: name, name: "jupyter-\(person.user)", person: person, kind: .interactive,
          placement: [(node, Array(gpu..<gpu + width))],
          lifecycle: Lifecycle(
            periodS: 10 * 3_600, durationS: 8 * 3_600,
            phaseS: noise.unit(36, UInt64(node), UInt64(k)) * 36_000),
          profile: .notebook)
        gpu += width
      }
    }
  }
}

extension String {
  func leftPadded(to width: Int, with pad: Character = "0") -> String {
    count >= width ? self : String(repeating: pad, count: width - count) + self
  }
}
