import FleetModel
import Foundation
import GRDB
import Testing

@testable import StateCache

/// Each source's view is stored whole and apart; the join happens on read.
@Suite struct LosslessCacheTests {
  let cluster = Cluster(name: "hpc", scheduler: .slurm, site: "s", pricing: .owned)
  var node: NodeID { NodeID(cluster: "hpc", name: "ia1") }

  func slurm() -> FleetState {
    var state = FleetState(
      clusters: [cluster], nodes: [Node(name: "ia1", cluster: "hpc", rack: "r1", state: .idle)],
      gpus: (0..<2).map { GPU.placeholder(node: node, index: $0, model: .h100SXM) },
      jobs: [
        Job(
          id: "42", cluster: "hpc", name: "train", user: "u", team: "t", kind: .training,
          state: .running, gpus: 1, nodes: ["ia1"], start: t0)
      ])
    state.allocations = [GPUID(node: node, index: 0): JobID(cluster: "hpc", id: "42")]
    return state
  }

  func dcgm(at time: Date) -> FleetState {
    FleetState(
      clusters: [cluster],
      nodes: [Node(name: "ia1", cluster: "hpc", rack: Node.unracked, state: .unknown)],
      gpus: [GPU(uuid: "GPU-a", node: node, index: 0, model: .reported("Tesla T4"))],
      gpuSamples: [GPUID(node: node, index: 0): GPUSample(time: time, powerW: 9)])
  }

  /// Slurm and DCGM write the same node in either order, any number of times: the node once,
  /// Slurm's state, the GPU with DCGM's UUID and reading and Slurm's job.
  @Test(arguments: [["slurm", "dcgm"], ["dcgm", "slurm"], ["slurm", "dcgm", "slurm", "dcgm"]])
  func theOrderOfWritesChangesNothing(order: [String]) throws {
    let cache = try StateCache.open(path: temporaryCachePath())
    for source in order {
      try cache.record(source == "slurm" ? slurm() : dcgm(at: t0), from: health(source))
    }
    let fleet = try cache.fleetState()
    #expect(fleet.nodes.map(\.state) == [.idle])
    #expect(fleet.gpus.map(\.uuid) == ["GPU-a", nil])
    #expect(fleet.allocations == [GPUID(node: node, index: 0): JobID(cluster: "hpc", id: "42")])
    #expect(fleet.gpuSamples[GPUID(node: node, index: 0)]?.powerW == 9)
    #expect(try cache.sourceStates().keys.sorted() == ["dcgm", "slurm"])
  }

  /// A cache written before v6 (one row per node name, GPUs keyed by UUID, scheduler GPUs named
  /// `node/index`, the job in the GPU's row) opens with its data carried over.
  @Test func aVersion5CacheIsMigrated() throws {
    let path = temporaryCachePath()
    do {
      let queue = try DatabaseQueue(path: path)
      try Schema.migrator.migrate(queue, upTo: "v5: how each source checks TLS")
      try queue.write { db in
        try db.execute(
          sql: """
            INSERT INTO clusters VALUES ('hpc', 'slurm', 0, 'slurm', 's', 'owned');
            INSERT INTO nodes VALUES ('ia1', 'slurm', 0, 'hpc', 'r1', 'mixed', NULL, NULL, NULL, NULL);
            INSERT INTO gpus (uuid, source, ord, node, idx, model, vendor, tdp_w, idle_w,
                              mem_total_mib, job_id)
              VALUES ('ia1/0', 'slurm', 0, 'ia1', 0, 'h100', 'NVIDIA', 700, 75, 81559, '42'),
                     ('ia1/1', 'slurm', 1, 'ia1', 1, 'h100', 'NVIDIA', 700, 75, 81559, NULL);
            INSERT INTO jobs VALUES ('hpc', '42', 'slurm', 0, 'train', 'u', 't', 'training',
                                     'running', 1, '["ia1"]', NULL);
            """)
      }
    }
    let fleet = try StateCache.open(path: path).fleetState()
    #expect(fleet.nodes.map(\.id) == [node] && fleet.nodes.map(\.state) == [.mixed])
    #expect(fleet.gpus.map(\.id) == [GPUID(node: node, index: 0), GPUID(node: node, index: 1)])
    #expect(fleet.gpus.allSatisfy { $0.isPlaceholder })
    #expect(fleet.allocations == [GPUID(node: node, index: 0): JobID(cluster: "hpc", id: "42")])
    #expect(fleet.jobs.map(\.key) == [JobID(cluster: "hpc", id: "42")])
    #expect(fleet.jobs.map(\.nodes) == [["ia1"]])
  }

  /// A cache written before v7 kept a job's nodes, an OpenCost allocation and a charge's tags as
  /// JSON text in one column; it opens with them as rows and columns, nothing lost.
  @Test func aVersion6CacheKeepsWhatItsJSONSaid() throws {
    let path = temporaryCachePath()
    do {
      let queue = try DatabaseQueue(path: path)
      try Schema.migrator.migrate(queue, upTo: "v6: every source's inventory kept apart")
      try queue.write { db in
        try db.execute(
          sql: """
            INSERT INTO clusters VALUES ('slurm', 'hpc', 0, 'slurm', 's', 'owned');
            INSERT INTO jobs VALUES ('slurm', 'hpc', '42', 0, 'train', 'u', 't', 'training',
                                     'running', 16, '["ia1","ia2"]', NULL);
            INSERT INTO workload_costs VALUES ('oc', 0, '{"name":"ml/trainer","namespace":"ml",
              "start":1700000000,"end":1700086400,"gpuHours":24,"gpuCost":48.5,"totalCost":60.25}');
            INSERT INTO billing VALUES ('bill.csv', 0, '1.5', '1.25', '2', NULL, 'USD',
              1700000000, 1700086400, 'Usage', 'Compute', NULL, 'i-1', NULL, NULL, NULL, NULL,
              '{"team":"ml","env":"prod"}');
            """)
      }
    }
    let cache = try StateCache.open(path: path)
    let states = try cache.sourceStates()
    #expect(states["slurm"]?.jobs.map(\.nodes) == [["ia1", "ia2"]])
    let cost = try #require(states["oc"]?.workloadCosts.first)
    #expect(cost.name == "ml/trainer" && cost.namespace == "ml" && cost.cluster == nil)
    #expect(cost.start == Date(timeIntervalSince1970: 1_700_000_000))
    #expect(cost.gpuHours == 24 && cost.gpuCost == 48.5 && cost.totalCost == 60.25)
    let bill = try #require(try cache.billingRows().first)
    #expect(bill.tags == ["team": "ml", "env": "prod"])
    #expect(bill.effectiveCost == Decimal(string: "1.25"))
  }
}
