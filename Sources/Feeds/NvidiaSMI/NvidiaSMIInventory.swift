import FleetModel
import Foundation

/// nvidia-smi's GPUs (the query CSV or the XML) as one node of the fleet. The node's state is
/// unknown here; a scheduler says it.
public enum NvidiaSMIInventory {
  public static func state(
    _ gpus: [NvidiaSMIGPU], node: String, layout: ClusterLayout, at time: Date
  ) -> FleetState {
    var state = FleetState(clusters: [layout.cluster], nodes: [layout.node(node, state: .unknown)])
    for (position, gpu) in gpus.enumerated() {
      state.gpus.append(
        GPU(
          uuid: gpu.uuid, node: node, index: gpu.index ?? position,
          model: .reported(
            gpu.name ?? "GPU", powerLimitW: gpu.powerLimitW,
            memoryMiB: gpu.memoryTotalMiB.map { Int($0) })))
      state.gpuSamples[gpu.uuid] = GPUSample(
        time: time, utilPct: gpu.utilizationPct, memUsedMiB: gpu.memoryUsedMiB,
        powerW: gpu.powerW, tempC: gpu.temperatureC, smClockMHz: gpu.smClockMHz,
        memClockMHz: gpu.memoryClockMHz, eccDoubleBit: gpu.eccUncorrected)
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
    let command = Command(
      executable, ["--query-gpu=\(Self.fields.joined(separator: ","))", "--format=csv,nounits"])
    let gpus = try NvidiaSMIQuery.parse(try await command.output(), source: "\(command)")
    return NvidiaSMIInventory.state(gpus, node: node, layout: layout, at: time)
  }
}
