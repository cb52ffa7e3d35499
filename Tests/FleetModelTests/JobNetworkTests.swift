import FleetModel
import Foundation
import Testing

/// A job's fabric and the network-bound verdict, one rule at a time.
@Suite struct JobNetworkTests {
  let now = Date(timeIntervalSince1970: 1_795_000_000)

  /// A training job on two nodes of eight GPUs at `activity` %, each node with one port.
  func state(activity: Double, kind: JobKind = .training, nodes: Int = 2, port: (Int) -> FabricPort)
    -> FleetState
  {
    let names = (1...nodes).map { "n\($0)" }
    var state = FleetState(
      clusters: [Cluster(name: "c", scheduler: .slurm, site: "s", pricing: .owned)],
      nodes: names.map { Node(name: $0, cluster: "c", rack: "r", state: .allocated) },
      gpus: names.flatMap { node in
        (0..<8).map {
          GPU(
            uuid: "GPU-\(node)-\($0)", node: NodeID(cluster: "c", name: node), index: $0,
            model: .h100SXM)
        }
      },
      jobs: [
        Job(
          id: "1", cluster: "c", name: "train", user: "u", team: "t", kind: kind, state: .running,
          gpus: 8 * nodes, nodes: names, start: now)
      ])
    for gpu in state.gpus {
      state.allocations[gpu.id] = JobID(cluster: "c", id: "1")
      state.gpuSamples[gpu.id] = GPUSample(time: now, smActivePct: activity)
    }
    state.fabric = (1...nodes).map(port)
    return state
  }

  func port(_ n: Int, rx: Double? = 1e9, tx: Double? = 1e9, stateID: Int = 4, flaps: Double = 0)
    -> FabricPort
  {
    FabricPort(
      node: "n\(n)", nodeID: NodeID(cluster: "c", name: "n\(n)"), device: "mlx5_0", port: "1",
      stateID: stateID, rateBytesPerS: 5e10,
      receivedBytesPerS: rx, transmittedBytesPerS: tx, linkDownedNew: flaps, time: now)
  }

  @Test func idleGPUsOnBusyLinksAreNetworkBound() throws {
    let network = try #require(
      JobNetwork.of(state(activity: 30) { port($0, rx: 3e10, tx: 2.8e10) })[
        JobID(cluster: "c", id: "1")])
    #expect(network.ports == ["n1/mlx5_0/1", "n2/mlx5_0/1"])
    #expect(network.receivedBytesPerS == 6e10 && network.transmittedBytesPerS == 5.6e10)
    #expect(network.linkShare == 0.6)
    #expect(network.verdict == "GPUs 30 % active while its links carry 60 % of their rate")
  }

  @Test func aFlappingOrDownLinkUnderIdleGPUsIsNamedFirst() throws {
    let key = JobID(cluster: "c", id: "1")
    let flapping = try #require(
      JobNetwork.of(state(activity: 20) { port($0, flaps: $0 == 2 ? 1 : 0) })[key])
    #expect(flapping.flapping == ["n2/mlx5_0/1"])
    #expect(
      flapping.verdict == "GPUs 20 % active while 1 of its links went down since the last poll")
    let down = try #require(
      JobNetwork.of(state(activity: 20) { port($0, stateID: $0 == 1 ? 1 : 4) })[key])
    #expect(down.verdict == "GPUs 20 % active while 1 of its links are not ACTIVE")
  }

  @Test func linksCountingErrorsUnderIdleGPUsAreNamed() throws {
    let key = JobID(cluster: "c", id: "1")
    let erroring = try #require(
      JobNetwork.of(
        state(activity: 20) {
          var port = port($0)
          port.errorsPerS = $0 == 1 ? 2.5 : 0
          return port
        })[key])
    #expect(erroring.erroring == ["n1/mlx5_0/1"])
    #expect(
      erroring.verdict == "GPUs 20 % active while 1 of its links count errors (2.5 a second)")
  }

  @Test func busyGPUsQuietLinksOneNodeOrInferenceAreNot() {
    let key = JobID(cluster: "c", id: "1")
    #expect(JobNetwork.of(state(activity: 90) { port($0, rx: 4e10) })[key]?.isNetworkBound == false)
    #expect(JobNetwork.of(state(activity: 30) { port($0) })[key]?.isNetworkBound == false)
    #expect(
      JobNetwork.of(state(activity: 30, nodes: 1) { port($0, rx: 4e10) })[key]?.isNetworkBound
        == false)
    #expect(
      JobNetwork.of(state(activity: 30, kind: .inference) { port($0, rx: 4e10) })[key]?
        .isNetworkBound == false)
  }

  @Test func withoutTrafficOrPortsNothingIsSaid() {
    let key = JobID(cluster: "c", id: "1")
    let unknown = JobNetwork.of(state(activity: 30) { port($0, rx: nil, tx: nil) })[key]
    #expect(unknown?.receivedBytesPerS == nil && unknown?.linkShare == nil)
    #expect(unknown?.isNetworkBound == false)
    var bare = state(activity: 30) { port($0) }
    bare.fabric = []
    #expect(JobNetwork.of(bare).isEmpty)
  }
}
