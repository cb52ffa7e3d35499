import FleetModel
import Foundation
import Testing

/// The join's conservation laws, over random factories seen by two to five overlapping
/// sources: a scheduler per cluster, one or two telemetry sources that see some of the nodes
/// (with device files out of NVML order on some hosts, and readings at different times), BMC
/// and PDU meters. Each case is built from a seed, so a failure names one to replay.
@Suite struct JoinPropertyTests {
  static let seeds = Array(UInt64(1)...200)

  @Test(arguments: seeds) func everyGPUIsCountedOnce(seed: UInt64) {
    let factory = RandomFactory(seed: seed)
    let fleet = FleetState(joining: factory.sources)
    #expect(fleet.gpus.count == factory.gpuCount)
    #expect(Set(fleet.gpus.map(\.id)).count == fleet.gpus.count)
    #expect(Set(fleet.nodes.map(\.id)).count == fleet.nodes.count)
    #expect(fleet.nodes.count == factory.nodeCount)
    // Every GPU telemetry sees carries its UUID and its newest reading.
    for (id, truth) in factory.measured {
      let gpu = fleet.gpus.first { $0.id == id }
      #expect(gpu?.uuid == truth.uuid, "seed \(seed): \(id)")
      #expect(fleet.gpuSamples[id] == truth.newest, "seed \(seed): \(id)")
    }
  }

  @Test(arguments: seeds) func aNodesStateIsItsSchedulers(seed: UInt64) {
    let factory = RandomFactory(seed: seed)
    let fleet = FleetState(joining: factory.sources)
    for node in fleet.nodes {
      if let state = factory.schedulerState[node.id] {
        #expect(node.state == state, "seed \(seed): \(node.id)")
      } else {
        // Only telemetry saw it: unknown, and reported as unmatched.
        #expect(node.state == .unknown)
        #expect(fleet.joinFindings.contains { $0 == .unmatchedNode(node.id, sources: ["dcgm"]) })
      }
    }
    // Each job holds the GPUs the scheduler gave it, whichever telemetry GPU stands there.
    #expect(fleet.allocations == factory.allocations, "seed \(seed)")
  }

  @Test(arguments: seeds) func spendAddsUp(seed: UInt64) throws {
    let factory = RandomFactory(seed: seed)
    let fleet = FleetState(joining: factory.sources)
    let summary = FleetSummary(fleet, prices: .demo)
    let spend = SpendBreakdown(fleet, prices: .demo)
    let fleetCost = try #require(summary.fleet.costUSDPerHour)
    // Teams (with the unallocated capacity) add up to the fleet.
    let teams = spend.teams.reduce(0) { $0 + $1.usdPerHour }
    #expect(abs(teams - fleetCost) < 1e-6, "seed \(seed)")
    // Each cluster: its jobs plus its unallocated GPUs; the clusters add up to the fleet.
    var clusters = 0.0
    for cluster in summary.clusters {
      let cost = cluster.totals.costUSDPerHour ?? 0
      let jobs = spend.jobs.filter { $0.key.cluster == cluster.cluster.name }.values.reduce(0, +)
      let free = fleet.gpus.filter {
        $0.node.cluster == cluster.cluster.name && fleet.allocations[$0.id] == nil
      }.reduce(0.0) {
        $0
          + (PriceBook.demo.price(model: $1.model.name, pricing: cluster.cluster.pricing)?
            .usdPerGPUHour ?? 0)
      }
      #expect(abs(jobs + free - cost) < 1e-6, "seed \(seed): \(cluster.cluster.name)")
      clusters += cost
    }
    #expect(abs(clusters - fleetCost) < 1e-6, "seed \(seed)")
  }

  @Test(arguments: seeds) func powerAddsUp(seed: UInt64) {
    let factory = RandomFactory(seed: seed)
    let fleet = FleetState(joining: factory.sources)
    let rollup = PowerRollup(fleet, pueBySite: [:], budgets: PowerBudgets())
    func near(_ a: Double?, _ b: Double?) -> Bool { abs((a ?? 0) - (b ?? 0)) < 1e-6 }
    var unattributed: Double?
    for site in rollup.sites {
      for cluster in site.clusters {
        for rack in cluster.racks {
          for node in rack.nodes {
            // GPU power + rest of node = the node's IT power.
            #expect(near(node.itW, Self.sum(node.gpuW, node.restOfNodeW)), "seed \(seed)")
          }
          // At a metered rack whose nodes' power is known: its nodes + what no node accounts
          // for = the meter. Where no node of it reports, what is unattributed is unknown.
          if let meter = rack.entry.meterW, let it = rack.entry.itW {
            #expect(near(meter, Self.sum(it, rack.entry.unattributedW)), "seed \(seed)")
            unattributed = Self.sum(unattributed, meter - it)
          } else {
            #expect(rack.entry.unattributedW == nil)
          }
        }
      }
    }
    let total = rollup.fleet
    #expect(near(total.itW, Self.sum(total.gpuW, total.restOfNodeW)), "seed \(seed)")
    #expect(near(total.unattributedW, unattributed), "seed \(seed)")
    let racks = rollup.sites.flatMap(\.clusters).flatMap(\.racks).compactMap(\.entry.itW)
    #expect(near(total.itW, racks.isEmpty ? nil : racks.reduce(0, +)), "seed \(seed)")
    // A node's BMC reading is its power.
    for (node, watts) in factory.bmcW {
      #expect(fleet.nodeSamples[node]?.powerW == watts, "seed \(seed): \(node)")
    }
  }

  @Test(arguments: seeds) func theSourcesNamesDoNotChangeTheFleet(seed: UInt64) {
    let factory = RandomFactory(seed: seed)
    let fleet = FleetState(joining: factory.sources)
    // The same answers under names that sort the other way round.
    var renamed: [String: FleetState] = [:]
    for (name, state) in factory.sources { renamed["\(999 - name.count)-\(name)"] = state }
    let again = FleetState(joining: renamed)
    #expect(Set(again.nodes) == Set(fleet.nodes))
    #expect(Set(again.gpus) == Set(fleet.gpus))
    #expect(Set(again.jobs) == Set(fleet.jobs))
    #expect(again.allocations == fleet.allocations)
    #expect(again.gpuSamples == fleet.gpuSamples)
    #expect(again.nodeSamples == fleet.nodeSamples)
  }

  static func sum(_ a: Double?, _ b: Double?) -> Double? {
    a == nil && b == nil ? nil : (a ?? 0) + (b ?? 0)
  }
}

/// A random factory and what each source says of it.
private struct RandomFactory {
  var sources: [String: FleetState] = [:]
  var gpuCount = 0
  var nodeCount = 0
  /// What the join must say: the scheduler's state of each node it lists, each measured GPU's
  /// UUID and newest reading, each job's GPUs by their joined place, each BMC reading.
  var schedulerState: [NodeID: NodeState] = [:]
  var measured: [GPUID: (uuid: String, newest: GPUSample)] = [:]
  var allocations: [GPUID: JobID] = [:]
  var bmcW: [NodeID: Double] = [:]

  init(seed: UInt64) {
    var random = SplitMix(seed)
    let base = Date(timeIntervalSince1970: 1_800_000_000)
    var dcgm = FleetState()
    var smi = FleetState()
    var meters = FleetState()
    // nvidia-smi is one of the sources in half the factories.
    let withSMI = random.int(0...1) == 1
    let pricing: [PricingKind] = [.onDemand, .reserved1y, .reserved3y, .spot]
    // The same node names in every cluster: identities must keep them apart.
    for c in 0..<random.int(1...2) {
      let name = "c\(c)"
      let cluster = Cluster(
        name: name, scheduler: .slurm, site: "s\(c)", pricing: pricing[random.int(0...3)])
      var slurm = FleetState(clusters: [cluster])
      dcgm.clusters.append(cluster)
      smi.clusters.append(cluster)
      let states: [NodeState] = [.idle, .mixed, .allocated, .drained, .down]
      for n in 0..<random.int(1...4) {
        let node = Node(
          name: "node\(n)", cluster: name, rack: "r\(n % 2)", state: states[random.int(0...4)])
        let id = node.id
        let gpus = random.int(1...4)
        gpuCount += gpus
        nodeCount += 1
        slurm.nodes.append(node)
        schedulerState[id] = node.state
        // Device files in NVML order, or reversed (a host whose minors are not in PCI order).
        let reversed = random.int(0...1) == 1
        func minor(_ index: Int) -> Int { reversed ? gpus - 1 - index : index }
        // Slurm counts the node's GPUs by device file, and places a job on some of them.
        slurm.gpus += (0..<gpus).map { GPU.placeholder(node: id, index: $0, model: .h100SXM) }
        if node.state == .mixed || node.state == .allocated {
          let job = JobID(cluster: name, id: "\(4_200 + n)")
          slurm.jobs.append(
            Job(
              id: job.id, cluster: name, name: "train-\(n)", user: "u", team: "team\(n % 3)",
              kind: .training, state: .running, gpus: gpus, nodes: [node.name], start: base))
          for device in 0..<random.int(1...gpus) {
            slurm.allocations[GPUID(node: id, index: device)] = job
          }
        }
        // Telemetry sees some nodes: DCGM, nvidia-smi, or both at different times.
        let seenBy = random.int(0...3) & (withSMI ? 3 : 1)
        if seenBy > 0 {
          for index in 0..<gpus {
            let gpu = GPU(
              uuid: "GPU-\(name)-\(n)-\(index)", node: id, index: index, model: .h100SXM,
              minorNumber: minor(index))
            var newest: GPUSample?
            for (i, into) in [(1, 0), (2, 1)] where seenBy & (1 << into) != 0 {
              let sample = GPUSample(
                time: base.addingTimeInterval(Double(i * 10 + random.int(0...5) * 100)),
                smActivePct: Double(random.int(0...100)), powerW: Double(random.int(60...700)))
              if i == 1 {
                dcgm.gpus.append(gpu)
                dcgm.gpuSamples[gpu.id] = sample
              } else {
                smi.gpus.append(gpu)
                smi.gpuSamples[gpu.id] = sample
              }
              if newest.map({ $0.time < sample.time }) ?? true { newest = sample }
            }
            measured[gpu.id] = (gpu.uuid!, newest!)
          }
          if seenBy & 1 != 0 {
            dcgm.nodes.append(
              Node(name: node.name, cluster: name, rack: Node.unracked, state: .unknown))
          }
          if seenBy & 2 != 0 {
            smi.nodes.append(
              Node(name: node.name, cluster: name, rack: Node.unracked, state: .unknown))
          }
        }
        // The scheduler's devices, at the NVML index of the telemetry GPU on that device file.
        for (place, job) in slurm.allocations where place.node == id {
          let index = seenBy > 0 ? (0..<gpus).first { minor($0) == place.index }! : place.index
          allocations[GPUID(node: id, index: index)] = job
        }
        if random.int(0...1) == 1 {
          let watts = Double(random.int(3_000...9_000))
          meters.meters.append(
            MeterReading(scope: .node, target: id.description, watts: watts, via: "bmc", time: base)
          )
          bmcW[id] = watts
        }
      }
      if random.int(0...1) == 1 {
        meters.meters.append(
          MeterReading(
            scope: .rack, target: "\(name)/r0", watts: Double(random.int(5_000...40_000)),
            via: "pdu",
            time: base))
      }
      // Sometimes DCGM names a host Slurm does not list.
      if random.int(0...3) == 0 {
        let stray = NodeID(cluster: name, name: "stray")
        dcgm.nodes.append(Node(name: "stray", cluster: name, rack: Node.unracked, state: .unknown))
        let gpu = GPU(uuid: "GPU-\(name)-stray", node: stray, index: 0, model: .h100SXM)
        let sample = GPUSample(time: base, smActivePct: 1, powerW: 80)
        dcgm.gpus.append(gpu)
        dcgm.gpuSamples[gpu.id] = sample
        measured[gpu.id] = (gpu.uuid!, sample)
        gpuCount += 1
        nodeCount += 1
      }
      sources["\(name)/slurm"] = slurm
    }
    sources["dcgm"] = dcgm
    if withSMI { sources["nvidia-smi"] = smi }
    if !meters.meters.isEmpty { sources["redfish"] = meters }
  }
}

/// A small, seeded generator (SplitMix64): the same seed gives the same factory everywhere.
private struct SplitMix {
  var state: UInt64
  init(_ seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func int(_ range: ClosedRange<Int>) -> Int {
    range.lowerBound + Int(next() % UInt64(range.count))
  }
}
