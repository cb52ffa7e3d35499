import FleetModel
import Foundation

/// rocm-smi's GPUs as one node of the fleet. The node's state is unknown here; a scheduler says
/// it.
public enum RocmSMIInventory {
  public static func state(
    _ gpus: [RocmSMIGPU], node: String, layout: ClusterLayout, at time: Date
  ) -> FleetState {
    let node = layout.naming.name(node)
    var state = FleetState(clusters: [layout.cluster], nodes: [layout.node(node, state: .unknown)])
    for reported in gpus {
      let gpu = GPU(
        uuid: reported.uniqueID, node: layout.nodeID(node), index: reported.index,
        model: .reported(
          reported.name ?? "AMD GPU", powerLimitW: reported.powerLimitW,
          memoryMiB: Count.whole(reported.memoryTotalMiB)),
        pciBusID: reported.pciBusID)
      state.gpus.append(gpu)
      state.gpuSamples[gpu.id] = GPUSample(
        time: time, utilPct: reported.utilizationPct, memUsedMiB: reported.memoryUsedMiB,
        powerW: reported.powerW, tempC: reported.temperatureC,
        smClockMHz: reported.shaderClockMHz, memClockMHz: reported.memoryClockMHz)
    }
    return state
  }
}

/// The AMD GPUs of the host factop runs on, from `rocm-smi --json`.
public struct RocmSMIFeed: Feed {
  public let name: String
  public let kind = "rocm-smi"
  public let intervalS: Double
  public let timeoutS: Double?
  public let layout: ClusterLayout
  /// The node these GPUs are in (default: this host's short name).
  public let node: String
  let executable: String

  /// Only what the model reads: the full report (`-a`) is many times larger.
  public static let arguments = [
    "--showuniqueid", "--showbus", "--showproductname", "--showuse", "--showmeminfo", "vram",
    "--showpower", "--showmaxpower", "--showtemp", "--showclocks", "--json",
  ]

  public init(
    name: String, layout: ClusterLayout, node: String? = nil, executable: String = "rocm-smi",
    timeoutS: Double? = nil, intervalS: Double
  ) {
    self.name = name
    self.layout = layout
    self.node = node ?? NodeNaming.standard.name(ProcessInfo.processInfo.hostName)
    self.executable = executable
    self.intervalS = intervalS
    self.timeoutS = timeoutS
  }

  public var target: String { "\(executable) --json on \(node)" }

  public func poll(at time: Date) async throws -> FleetState {
    let command = Command(executable, Self.arguments)
    let gpus = try RocmSMIJSON.parse(Data(try await command.output().utf8), source: "\(command)")
    return RocmSMIInventory.state(gpus, node: node, layout: layout, at: time)
  }
}
