import FleetModel
import Foundation

/// nvidia-smi's GPUs (the query CSV or the XML) as one node of the fleet. The node's state is
/// unknown here; a scheduler says it. On a host no scheduler sees, the processes holding GPUs
/// are its workloads: each becomes a running job (`node:pid`) holding the GPUs it is on, so a
/// process that holds a GPU and does nothing shows as idle allocation. Where a scheduler also
/// reports the node, its jobs hold the GPUs instead.
public enum NvidiaSMIInventory {
  public static func state(
    _ gpus: [NvidiaSMIGPU], processes: [NvidiaSMIProcess] = [], node: String,
    layout: ClusterLayout, at time: Date
  ) -> FleetState {
    let node = layout.naming.name(node)
    var state = FleetState(clusters: [layout.cluster], nodes: [layout.node(node, state: .unknown)])
    var place: [String: GPUID] = [:]
    for (position, reported) in gpus.enumerated() {
      let gpu = GPU(
        uuid: reported.uuid, node: layout.nodeID(node), index: reported.index ?? position,
        model: .reported(
          reported.name ?? "GPU", powerLimitW: reported.powerLimitW,
          memoryMiB: Count.whole(reported.memoryTotalMiB)),
        pciBusID: reported.pciBusID, minorNumber: reported.minorNumber)
      state.gpus.append(gpu)
      // A process names its GPU by UUID: where two GPUs share one, the first holds it.
      if place[reported.uuid] == nil { place[reported.uuid] = gpu.id }
      state.gpuSamples[gpu.id] = GPUSample(
        time: time, utilPct: reported.utilizationPct, memUsedMiB: reported.memoryUsedMiB,
        powerW: reported.powerW, tempC: reported.temperatureC, smClockMHz: reported.smClockMHz,
        memClockMHz: reported.memoryClockMHz, eccDoubleBit: reported.eccUncorrected)
    }
    let known = Set(place.keys)
    var held: [Int: [String]] = [:]
    var order: [Int] = []
    var names: [Int: String] = [:]
    for process in processes where known.contains(process.gpuUUID) {
      if held[process.pid] == nil { order.append(process.pid) }
      held[process.pid, default: []].append(process.gpuUUID)
      names[process.pid] = process.name
    }
    for pid in order {
      let id = "\(node):\(pid)"
      let name = names[pid].map { URL(fileURLWithPath: $0).lastPathComponent } ?? "pid \(pid)"
      let gpus = held[pid]!
      state.jobs.append(
        Job(
          id: id, cluster: layout.cluster.name, name: name, user: "", team: "",
          kind: .guess(name: name, partition: ""), state: .running, gpus: gpus.count,
          nodes: [node], start: nil))
      for uuid in gpus where state.allocations[place[uuid]!] == nil {
        state.allocations[place[uuid]!] = layout.jobID(id)
      }
    }
    return state
  }
}

/// The GPUs of the host factop runs on, from `nvidia-smi --query-gpu` (cheap: the XML's
/// supported-clocks tables make `-q -x` most of a megabyte).
public struct NvidiaSMIFeed: Feed {
  public let name: String
  public let kind = "nvidia-smi"
  public let intervalS: Double
  public let timeoutS: Double?
  public let layout: ClusterLayout
  /// The node these GPUs are in (default: this host's short name).
  public let node: String
  let executable: String

  public static let fields = [
    "uuid", "index", "memory.total", "memory.used", "utilization.gpu", "power.draw",
    "power.limit", "temperature.gpu", "clocks.current.sm", "clocks.current.memory",
    "mig.mode.current", "name", "pci.bus_id",
  ]

  public init(
    name: String, layout: ClusterLayout, node: String? = nil, executable: String = "nvidia-smi",
    timeoutS: Double? = nil, intervalS: Double
  ) {
    self.name = name
    self.layout = layout
    self.node = node ?? NodeNaming.standard.name(ProcessInfo.processInfo.hostName)
    self.executable = executable
    self.intervalS = intervalS
    self.timeoutS = timeoutS
  }

  public var target: String { "\(executable) --query-gpu on \(node)" }

  public func poll(at time: Date) async throws -> FleetState {
    let query = Command(
      executable, ["--query-gpu=\(Self.fields.joined(separator: ","))", "--format=csv,nounits"])
    let apps = Command(
      executable,
      ["--query-compute-apps=gpu_uuid,pid,used_gpu_memory,process_name", "--format=csv,nounits"])
    async let gpuText = query.output()
    async let appText = apps.output()
    let gpus = try NvidiaSMIQuery.parse(try await gpuText, source: "\(query)")
    let processes = try NvidiaSMIQuery.computeApps(try await appText, source: "\(apps)")
    return NvidiaSMIInventory.state(
      gpus, processes: processes, node: node, layout: layout, at: time)
  }
}
