import FleetModel
import FleetSim
import Foundation
import Testing

let noon = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18, a fixed instant

@Suite struct DemoFleetTests {
  @Test func sameSeedSameFleet() throws {
    let a = try DemoFleet(gpus: 1_024, seed: 7).state(at: noon)
    let b = try DemoFleet(gpus: 1_024, seed: 7).state(at: noon)
    #expect(a == b)
  }

  @Test func anotherSeedAnotherFleet() throws {
    let a = try DemoFleet(gpus: 1_024, seed: 7).state(at: noon)
    let b = try DemoFleet(gpus: 1_024, seed: 8).state(at: noon)
    #expect(a.gpus.map(\.uuid) != b.gpus.map(\.uuid))
    #expect(a.gpuSamples != b.gpuSamples)
  }

  @Test(arguments: [256, 1_024, 16_384, 131_072])
  func generatesTheRequestedSize(gpus: Int) throws {
    let fleet = try DemoFleet(gpus: gpus, seed: 1)
    #expect(fleet.gpus.count == gpus)
    #expect(fleet.nodes.count == gpus / 8)
    #expect(Set(fleet.gpus.map(\.uuid)).count == gpus)
  }

  @Test(arguments: [0, 100, 255, 1_030, 300_000])
  func rejectsUnsupportedSizes(gpus: Int) {
    #expect(throws: DemoFleetError.unsupportedSize(gpus)) { try DemoFleet(gpus: gpus, seed: 1) }
  }

  @Test func hasASlurmTrainingAndAKubernetesInferenceCluster() throws {
    let fleet = try DemoFleet(gpus: 1_024, seed: 1)
    let state = fleet.state(at: noon)
    #expect(fleet.clusters.contains { $0.scheduler == .slurm && $0.name == "train-a" })
    #expect(fleet.clusters.contains { $0.scheduler == .kubernetes })
    let kinds = Set(state.jobs.map(\.kind))
    #expect(kinds == [.training, .inference, .interactive])
    #expect(Set(state.nodes.map(\.rack)).count >= 16)
  }

  @Test func mostlyHopperWithSomeA100AndL40S() throws {
    let fleet = try DemoFleet(gpus: 16_384, seed: 1)
    let byModel = Dictionary(grouping: fleet.gpus, by: \.model.name).mapValues(\.count)
    let hopper = (byModel["H100-SXM5-80GB"] ?? 0) + (byModel["H200-SXM-141GB"] ?? 0)
    #expect(Double(hopper) / 16_384 > 0.6)
    #expect((byModel["A100-SXM4-80GB"] ?? 0) > 0)
    #expect((byModel["L40S-48GB"] ?? 0) > 0)
  }

  @Test func trainingJobsSpanEightTo2048GPUs() throws {
    let state = try DemoFleet(gpus: 16_384, seed: 1).state(at: noon)
    let sizes = state.jobs.filter { $0.kind == .training && $0.state == .running }.map(\.gpus)
    #expect(sizes.min() == 8)
    #expect(sizes.max() == 2_048)
  }

  @Test func allocationsMatchTheJobs() throws {
    let state = try DemoFleet(gpus: 1_024, seed: 3).state(at: noon)
    let heldByJob = Dictionary(grouping: state.allocations, by: \.value).mapValues(\.count)
    for job in state.jobs where job.state == .running {
      #expect(heldByJob[job.key] == job.gpus, "\(job.name)")
    }
    for job in state.jobs where job.state == .pending {
      #expect(job.nodes.isEmpty && job.start == nil)
    }
  }

  @Test func nodeStatesFollowAllocation() throws {
    let state = try DemoFleet(gpus: 1_024, seed: 1).state(at: noon)
    let gpusByNode = Dictionary(grouping: state.gpus, by: \.node)
    for node in state.nodes where !node.state.isUnavailable {
      let held = gpusByNode[node.id, default: []].filter { state.allocations[$0.id] != nil }
        .count
      let expected: NodeState = held == 0 ? .idle : held == 8 ? .allocated : .mixed
      #expect(node.state == expected, "\(node.name)")
    }
  }
}

@Suite struct DemoPhysicsTests {
  let fleet = try! DemoFleet(gpus: 1_024, seed: 1)

  @Test(arguments: [0.0, 3_600 * 5, 3_600 * 15, 86_400 * 3] as [Double])
  func powerIsIdlePlusActivityShareOfTheRange(offset: Double) {
    let state = fleet.state(at: noon.addingTimeInterval(offset))
    for gpu in state.gpus {
      guard let s = state.gpuSamples[gpu.id], let sm = s.smActivePct, let power = s.powerW else {
        continue
      }
      let expected = gpu.model.powerW(atActivity: sm / 100)
      // Both readings are rounded to 0.1; the gap that leaves is at most TDP × 0.0005 + 0.05 W.
      #expect(abs(power - expected) <= gpu.model.tdpW * 0.0005 + 0.06, "\(gpu.id)")
      #expect(power <= gpu.model.tdpW)
    }
  }

  @Test func memoryStaysWithinCapacity() {
    let state = fleet.state(at: noon)
    for gpu in state.gpus {
      guard let used = state.gpuSamples[gpu.id]?.memUsedMiB else { continue }
      #expect(used >= 0 && used <= Double(gpu.model.memoryMiB))
    }
  }

  @Test func temperatureFollowsPower() {
    let state = fleet.state(at: noon)
    let readings = state.gpus.compactMap { gpu -> (Double, Double)? in
      guard gpu.id != fleet.groundTruth.stragglerGPU, let s = state.gpuSamples[gpu.id],
        let p = s.powerW, let t = s.tempC
      else { return nil }
      return (p / gpu.model.tdpW, t)
    }
    let cool = readings.filter { $0.0 < 0.2 }.map(\.1)
    let hot = readings.filter { $0.0 > 0.8 }.map(\.1)
    #expect(!cool.isEmpty && !hot.isEmpty)
    #expect(cool.max()! < hot.min()!)
  }

  @Test func inferenceFollowsTheDay() throws {
    func activity(at hour: Double) throws -> Double {
      let day = (noon.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
      let state = fleet.state(at: Date(timeIntervalSince1970: day + hour * 3_600))
      let chat = try #require(state.jobs.first { $0.name == "llm-chat" })
      let gpus = state.allocations.filter { $0.value == chat.key }.keys
      return gpus.compactMap { state.gpuSamples[$0]?.smActivePct }.reduce(0, +) / Double(gpus.count)
    }
    #expect(try activity(at: 15) > 2 * activity(at: 3))
  }
}

@Suite struct PlantedWasteTests {
  let fleet = try! DemoFleet(gpus: 1_024, seed: 1)
  var truth: PlantedWaste { fleet.groundTruth }

  func meanActivity(of job: Job, in state: FleetState) -> Double {
    let gpus = state.allocations.filter { $0.value == job.key }.keys
    return gpus.compactMap { state.gpuSamples[$0]?.smActivePct }.reduce(0, +) / Double(gpus.count)
  }

  @Test(arguments: [0.0, 3_600 * 7, 86_400 * 2] as [Double])
  func idleAllocationHoldsGPUsDoingNothing(offset: Double) throws {
    let state = fleet.state(at: noon.addingTimeInterval(offset))
    let job = try #require(state.jobs.first { $0.name == truth.idleAllocationJob })
    #expect(job.state == .running && job.gpus == truth.idleAllocationGPUs)
    #expect(meanActivity(of: job, in: state) < 1)
  }

  @Test func overprovisionedDeploymentNeverGetsBusy() throws {
    for hour in stride(from: 0.0, to: 24, by: 1) {
      let state = fleet.state(at: noon.addingTimeInterval(hour * 3_600))
      let job = try #require(state.jobs.first { $0.id == truth.overprovisionedDeployment })
      #expect(job.gpus == truth.overprovisionedGPUs)
      #expect(meanActivity(of: job, in: state) <= truth.overprovisionedPeakActivityPct * 1.1 + 0.5)
    }
  }

  @Test func stragglerIsSlowerThanItsPeers() throws {
    // Away from the hourly checkpoint, when every GPU of the job is computing.
    let t = (noon.timeIntervalSince1970 / 3_600).rounded(.down) * 3_600 + 1_800
    let state = fleet.state(at: Date(timeIntervalSince1970: t))
    let job = try #require(state.jobs.first { $0.name == truth.stragglerJob })
    #expect(job.gpus >= 64)
    #expect(state.allocations[truth.stragglerGPU] == job.key)
    let straggler = try #require(state.gpuSamples[truth.stragglerGPU])
    let peers = state.allocations.filter { $0.value == job.key && $0.key != truth.stragglerGPU }
      .compactMap { state.gpuSamples[$0.key] }
    #expect(try #require(straggler.smActivePct) < peers.compactMap(\.smActivePct).min()! - 20)
    #expect(try #require(straggler.smClockMHz) < peers.compactMap(\.smClockMHz).min()!)
  }

  @Test func drainedNodeHasBeenDrainedForDays() throws {
    let state = fleet.state(at: noon)
    let node = try #require(state.nodes.first { $0.name == truth.drainedNode })
    #expect(node.state == .drained)
    #expect(node.reason?.contains("XID 79") == true)
    #expect(noon.timeIntervalSince(try #require(node.stateSince)) >= 3 * 86_400)
  }

  @Test func downNodeReportsNothing() throws {
    let state = fleet.state(at: noon)
    let node = try #require(state.nodes.first { $0.name == truth.downNode })
    #expect(node.state == .down)
    #expect(state.nodeSamples[node.id]?.powerW == nil)
    let gpus = state.gpus.filter { $0.node == node.id }
    #expect(gpus.allSatisfy { state.gpuSamples[$0.id] == nil })
  }

  @Test func onDemandClusterIsAllocatedAboveTheReservedBreakEven() throws {
    let cluster = try #require(fleet.clusters.first { $0.name == truth.onDemandCluster })
    #expect(cluster.pricing == .onDemand)
    // Reserving beats on-demand once allocation exceeds reserved ÷ on-demand price.
    let prices = PriceBook.demo
    let state = fleet.state(at: noon)
    let gpus = state.gpus.filter { gpu in
      gpu.node.cluster == cluster.name
    }
    let allocated = gpus.filter { state.allocations[$0.id] != nil }.count
    let breakEven = gpus.map { gpu in
      prices.price(model: gpu.model.name, pricing: .reserved1y)!.usdPerGPUHour
        / prices.price(model: gpu.model.name, pricing: .onDemand)!.usdPerGPUHour
    }.max()!
    #expect(Double(allocated) / Double(gpus.count) > breakEven)
  }

  @Test func xidErrorsAreReported() {
    let state = fleet.state(at: noon)
    #expect(state.gpuSamples.values.contains { $0.xidLast == 79 })
    #expect(state.gpuSamples.values.contains { $0.xidLast == 48 && $0.eccDoubleBit == 1 })
  }
}
