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
    var state = FleetState(clusters: [layout.cluster], nodes: [layout.node(node, state: .unknown)])
    for (position, gpu) in gpus.enumerated() {
      state.gpus.append(
        GPU(
          uuid: gpu.uuid, node: node, index: gpu.index ?? position,
          model: .reported(
            gpu.name ?? "GPU", powerLimitW: gpu.powerLimitW,
            memoryMiB: Count.whole(gpu.memoryTotalMiB))))
      state.gpuSamples[gpu.uuid] = GPUSample(
        time: time, utilPct: gpu.utilizationPct, memUsedMiB: gpu.memoryUsedMiB,
        powerW: gpu.powerW, tempC: gpu.temperatureC, smClockMHz: gpu.smClockMHz,
        memClockMHz: gpu.memoryClockMHz, eccDoubleBit: gpu.eccUncorrected)
    }
    let known = Set(gpus.map(\.uuid))
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
      for uuid in gpus where state.allocations[uuid] == nil { state.allocations[uuid] = id }
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
    "mig.mode.current", "name",
  ]

  public init(
    name: String, layout: ClusterLayout, node: String? = nil, executable: String = "nvidia-smi",
    timeoutS: Double? = nil, intervalS: Double
  ) {
    self.name = name
    self.layout = layout
    self.node = node ?? DCGMInventory.shortName(ProcessInfo.processInfo.hostName)
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
