import FleetModel
import Foundation

/// DCGM's GPUs (from the exporter or from Prometheus) as factop's fleet: one GPU per UUID and
/// host, its MIG slices folded into it, on nodes named by the host, each held by the workload
/// its labels name. The nodes' state and the jobs are unknown here: only a scheduler knows
/// them, and the fleet's reconciliation takes them from one.
public enum DCGMInventory {
  public static func state(_ gpus: [DCGMExposition.GPU], layout: ClusterLayout, at time: Date)
    -> FleetState
  {
    var state = FleetState(clusters: [layout.cluster])
    var order: [String] = []
    var slices: [String: [DCGMExposition.GPU]] = [:]
    for gpu in gpus {
      let key = "\(gpu.host ?? "")|\(gpu.uuid)"
      if slices[key] == nil { order.append(key) }
      slices[key, default: []].append(gpu)
    }
    var nodes: [String] = []
    var nextIndex: [String: Int] = [:]
    for key in order {
      let parts = slices[key]!
      let first = parts[0]
      let host = layout.naming.name(first.host ?? "unknown-host")
      if nextIndex[host] == nil { nodes.append(host) }
      let index = first.index ?? nextIndex[host, default: 0]
      nextIndex[host] = max(nextIndex[host, default: 0], index + 1)
      let gpu = GPU(
        uuid: first.uuid, node: layout.nodeID(host), index: index,
        model: .reported(first.model ?? "GPU"), pciBusID: first.pciBusID,
        minorNumber: first.minorNumber)
      state.gpus.append(gpu)
      state.gpuSamples[gpu.id] = sample(parts, at: time)
      // The workload on it, as the exporter labels it: a Slurm job (`hpc_job`) or a pod
      // (`namespace/pod`, the ids the Slurm and Kubernetes feeds give their jobs).
      if let job = workload(parts) { state.allocations[gpu.id] = layout.jobID(job) }
    }
    // Prometheus answers series in no particular order: node, then index, like every state.
    state.nodes = nodes.sorted().map { layout.node($0, state: .unknown) }
    state.gpus.sort { ($0.node, $0.index, $0.uuid ?? "") < ($1.node, $1.index, $1.uuid ?? "") }
    return state
  }

  static func workload(_ parts: [DCGMExposition.GPU]) -> String? {
    for part in parts {
      if let job = part.hpcJob?.split(separator: ",").first { return String(job) }
      if let namespace = part.namespace, let pod = part.pod { return "\(namespace)/\(pod)" }
    }
    return nil
  }

  /// MIG slices are read as one GPU: the mean of their engine activity, their memory summed,
  /// the device's own readings (power, temperature) from whichever slice carries them.
  static func sample(_ parts: [DCGMExposition.GPU], at time: Date) -> GPUSample {
    let activity = parts.compactMap(\.activityPct)
    let sm = parts.compactMap(\.smActivePct)
    let memory = parts.compactMap(\.memUsedMiB)
    let mig = parts.count > 1 || parts[0].migInstance != nil
    return GPUSample(
      time: time,
      utilPct: mig
        ? (activity.isEmpty ? nil : activity.reduce(0, +) / Double(activity.count))
        : parts[0].utilPct ?? parts[0].engineActivePct,
      smActivePct: sm.isEmpty ? nil : sm.reduce(0, +) / Double(sm.count),
      memUsedMiB: memory.isEmpty ? nil : memory.reduce(0, +),
      powerW: parts.lazy.compactMap(\.powerW).first, tempC: parts.lazy.compactMap(\.tempC).first,
      smClockMHz: parts.lazy.compactMap(\.smClockMHz).first,
      xidLast: parts.lazy.compactMap(\.xidLast).first,
      eccSingleBit: parts.lazy.compactMap(\.eccCorrected).first,
      eccDoubleBit: parts.lazy.compactMap(\.eccUncorrected).first,
      rowRemapFailure: parts.lazy.compactMap(\.rowRemapFailure).first,
      nvlinkErrors: parts.lazy.compactMap(\.nvlinkErrors).first,
      nvlinkErrorsPerS: parts.lazy.compactMap(\.nvlinkErrorsPerS).first)
  }

}
