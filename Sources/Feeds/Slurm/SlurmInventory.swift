import FleetModel
import Foundation

/// Slurm's nodes and jobs as factop's fleet: nodes with their states and reasons, one GPU per
/// GRES device, jobs with the GPUs they hold.
///
/// Slurm knows how many GPUs a node has and which device indices (GRES `IDX`, the order of the
/// device files in gres.conf) a job holds, not their UUIDs: each GPU stays without one until
/// telemetry (DCGM, nvidia-smi) reports the same node and device file, when the fleet's join
/// takes the telemetry's UUID and product name.
public enum SlurmInventory {
  public static func state(nodes: [SlurmNode], jobs: [SlurmJob], layout: ClusterLayout)
    -> FleetState
  {
    var state = FleetState(clusters: [layout.cluster])
    var gpusByNode: [NodeID: [GPU]] = [:]
    var placeholders = GPUPlaceholders()
    for node in nodes {
      state.nodes.append(
        layout.node(node.name, state: node.state, reason: node.reason, since: node.reasonSince))
      let id = layout.nodeID(node.name)
      var gpus: [GPU] = []
      for item in node.gpus where item.name == "gpu" {
        gpus += placeholders.place(
          item.count, on: id, after: gpus.count, model: .reported(item.type ?? "GPU"))
      }
      gpusByNode[id] = gpus
      state.gpus += gpus
    }
    for job in jobs {
      state.jobs.append(
        Job(
          id: job.id, cluster: layout.cluster.name, name: job.name, user: job.user,
          team: job.account, kind: .guess(name: job.name, partition: job.partition),
          state: job.state, gpus: job.gpus ?? 0, nodes: job.nodes, start: job.start,
          timeLimitS: job.timeLimitS, end: job.end))
    }
    // Device indices where Slurm gives them (JSON's gres_detail); otherwise the job's share of
    // each of its nodes, from the lowest free index.
    for job in jobs where job.state == .running && (job.gpus ?? 0) > 0 {
      let perNode = (job.gpus ?? 0) / max(1, job.nodes.count)
      for host in job.nodes {
        let wanted = job.gpuIndices[host].map(Set.init)
        guard let gpus = gpusByNode[layout.nodeID(host)] else {
          // A jobs answer without its nodes (`factop import slurm-jobs`): where Slurm names
          // the devices, the job holds them on whichever source counts the node's GPUs. No node
          // has more devices, nor an answer more GPUs, than GPUPlaceholders places.
          for index in (wanted ?? []).sorted()
          where (0..<GPUPlaceholders.mostOnANode).contains(index)
            && state.allocations.count < GPUPlaceholders.mostInAnAnswer
          {
            state.allocations[GPUID(node: layout.nodeID(host), index: index)] = layout.jobID(job.id)
          }
          continue
        }
        var given = 0
        for gpu in gpus where state.allocations[gpu.id] == nil {
          if let wanted {
            guard wanted.contains(gpu.index) else { continue }
          } else if given == perNode {
            break
          }
          state.allocations[gpu.id] = layout.jobID(job.id)
          given += 1
        }
      }
    }
    return state
  }
}
