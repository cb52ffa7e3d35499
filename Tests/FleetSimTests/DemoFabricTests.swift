import FleetModel
import FleetSim
import Foundation
import Testing

/// The demo's training fabric: a port per node carrying its job's collectives, and the one
/// planted flapping link, found where it was planted and nowhere else.
@Suite struct DemoFabricTests {
  let fleet = try! DemoFleet(gpus: 1_024, seed: 1)
  var truth: PlantedWaste { fleet.groundTruth }
  /// 2026-11-18 07:00 UTC: a quiet hour of the flapping link (its bad spells start at 00:00,
  /// 06:00, 12:00 and 18:00 and last two hours, so this is an hour into one).
  let badSpell = Date(timeIntervalSince1970: 1_794_960_000 + 6 * 3_600)

  @Test func everyTrainingNodeInServiceHasOneActivePort() {
    let state = fleet.state(at: badSpell.addingTimeInterval(3 * 3_600))
    let training = state.nodes.filter { $0.cluster == "train-a" && $0.state != .down }
    #expect(state.fabric.map(\.node) == training.map(\.name))
    #expect(state.fabric.allSatisfy { $0.state == "ACTIVE" && $0.rateBytesPerS == 5e10 })
    // A node that stopped answering reports no port.
    #expect(!state.fabric.contains { $0.node == truth.downNode })
  }

  @Test func trafficFollowsTheJobsCollectives() throws {
    let state = fleet.state(at: badSpell.addingTimeInterval(3 * 3_600 + 1_200))
    let networks = JobNetwork.of(state)
    let pretraining = try #require(state.jobs.first { $0.name == truth.stragglerJob })
    let network = try #require(networks[pretraining.key])
    // 35 % of NDR at its activity, on every port of its nodes.
    let activity = try #require(state.jobActivityPct[pretraining.key]) / 100
    let expected = 0.35 * activity * 5e10 * Double(pretraining.nodes.count)
    #expect(abs(try #require(network.receivedBytesPerS) - expected) <= expected * 0.05)
    // The idle sweep holds its nodes and sends next to nothing.
    let idle = try #require(state.jobs.first { $0.name == truth.idleAllocationJob })
    #expect(try #require(networks[idle.key]?.linkShare) < 0.01)
  }

  @Test func theFlappingLinkIsFoundWhereItWasPlantedAndNowhereElse() throws {
    var flapping: [String: Int] = [:]
    // Every ten seconds across six hours (a bad spell and the quiet after), as the demo polls.
    for step in 0..<2_160 {
      let state = fleet.state(at: badSpell.addingTimeInterval(Double(step) * 10))
      for port in state.fabric where port.isFlapping { flapping[port.node, default: 0] += 1 }
    }
    // Besides the failures planted as incidents whose link went down with them, once each.
    let planted = fleet.plantedIncidents(from: badSpell, to: badSpell.addingTimeInterval(21_600))
      .filter(\.linkDown)
    for incident in planted { #expect(flapping.removeValue(forKey: incident.node) == 1) }
    #expect(Array(flapping.keys) == [truth.flappingNode])
    // A bad spell of two hours, down every five minutes: 24 polls see a flap.
    #expect(flapping[truth.flappingNode] == 24)
    // 200 s into the spell, its first flap.
    let flap = badSpell.addingTimeInterval(201)
    let port = try #require(fleet.state(at: flap).fabric.first { $0.node == truth.flappingNode })
    #expect(port.isFlapping && port.linkDownedNew == 1)
    // Its job's GPUs stay busy: a flapping link under a busy job is not network-bound.
    let state = fleet.state(at: flap)
    let job = try #require(state.jobs.first { $0.nodes.contains(truth.flappingNode) })
    let network = try #require(JobNetwork.of(state)[job.key])
    #expect(network.flapping == ["\(truth.flappingNode)/mlx5_0/1"] && !network.isNetworkBound)
  }

  @Test func flapsCountFromTheEpoch() {
    #expect(DemoFleet.flaps(until: 199) == 0)
    #expect(DemoFleet.flaps(until: 200) == 1)
    #expect(DemoFleet.flaps(until: 499) == 1)
    #expect(DemoFleet.flaps(until: 500) == 2)
    #expect(DemoFleet.flaps(until: 2 * 3_600 + 199) == 24)
    #expect(DemoFleet.flaps(until: 6 * 3_600 + 199) == 24)
    #expect(DemoFleet.flaps(until: 6 * 3_600 + 200) == 25)
  }
}
