import FleetModel
import Foundation

/// `factop import KIND FILE…`: captured files read by the feeds' own parsers into a fleet, so
/// an engineer can load what a colleague captured. Every file is parsed before anything is
/// returned; the first bad one throws, naming the file and the line or JSON path.
public enum FleetImport: String, CaseIterable, Sendable {
  case nvidiaSMI = "nvidia-smi"
  case nvidiaSMIXML = "nvidia-smi-xml"
  case rocmSMI = "rocm-smi"
  case dcgm
  case prometheusJSON = "prometheus-json"
  case slurmNodes = "slurm-nodes"
  case slurmJobs = "slurm-jobs"
  case slurmDBJobs = "slurmdb-jobs"
  case k8sNodes = "k8s-nodes"
  case k8sPods = "k8s-pods"

  public var summary: String {
    switch self {
    case .nvidiaSMI:
      "nvidia-smi --query-gpu CSV (with or without header units), or a capture with sections"
    case .nvidiaSMIXML: "nvidia-smi -q -x (any DTD version, MIG included)"
    case .rocmSMI: "rocm-smi --json (AMD GPUs; ROCm 5 and 6)"
    case .dcgm: "dcgm-exporter /metrics text"
    case .prometheusJSON: "a Prometheus /api/v1/query or query_range answer over DCGM series"
    case .slurmNodes: "sinfo --json, slurmrestd /nodes (21.08–25.11) or scontrol show node -o"
    case .slurmJobs: "squeue --json or slurmrestd /jobs (21.08–25.11)"
    case .slurmDBJobs: "sacct --json or slurmrestd /slurmdb/…/jobs"
    case .k8sNodes: "kubectl get nodes -o json (a NodeList)"
    case .k8sPods: "kubectl get pods -A -o json (a PodList)"
    }
  }

  /// The scheduler of the cluster such files come from; telemetry comes from either.
  public var scheduler: SchedulerKind {
    switch self {
    case .k8sNodes, .k8sPods: .kubernetes
    default: .slurm
    }
  }

  /// The fleet the files describe. Each file's `node` names the host of an nvidia-smi or
  /// rocm-smi capture, which does not say it.
  public func state(
    files: [(name: String, data: Data, node: String)], layout: ClusterLayout, at time: Date
  ) throws -> FleetState {
    // The files are one source: their states side by side, as a poll's answers would be. The
    // join with other sources happens when the cache is read.
    var union = FleetState()
    for file in files {
      let part = try state(file.data, source: file.name, layout: layout, node: file.node, at: time)
      union.clusters += part.clusters.filter { cluster in
        !union.clusters.contains { $0.name == cluster.name }
      }
      union.nodes += part.nodes
      union.gpus += part.gpus
      union.jobs += part.jobs
      union.gpuSamples.merge(part.gpuSamples) { _, newer in newer }
      union.nodeSamples.merge(part.nodeSamples) { _, newer in newer }
      union.allocations.merge(part.allocations) { _, newer in newer }
    }
    return union
  }

  private func state(
    _ data: Data, source: String, layout: ClusterLayout, node: String, at time: Date
  ) throws -> FleetState {
    func text() throws -> String {
      guard let text = String(data: data, encoding: .utf8) else {
        throw InputError(source: source, message: "not UTF-8 text")
      }
      return text
    }
    switch self {
    case .nvidiaSMI:
      var csv = try text()
      var processes: [NvidiaSMIProcess] = []
      // A capture file: its last query-gpu section is the latest state, with the processes of
      // the same phase.
      let sections = NvidiaSMIQuery.captureSections(csv)
      if let section = sections.last(where: { $0.name.contains(":: query-gpu") }) {
        csv = section.body
        let phase = section.name.prefix { $0 != ":" }
        if let apps = sections.last(where: {
          $0.name.hasPrefix(phase) && $0.name.contains(":: query-compute-apps")
        }) {
          processes = try NvidiaSMIQuery.computeApps(apps.body, source: source)
        }
      }
      return NvidiaSMIInventory.state(
        try NvidiaSMIQuery.parse(csv, source: source), processes: processes, node: node,
        layout: layout, at: time)
    case .nvidiaSMIXML:
      return NvidiaSMIInventory.state(
        try NvidiaSMIXML.parse(data, source: source), node: node, layout: layout, at: time)
    case .rocmSMI:
      return RocmSMIInventory.state(
        try RocmSMIJSON.parse(data, source: source), node: node, layout: layout, at: time)
    case .dcgm:
      let scrape = DCGMExposition.parse(try text())
      guard !scrape.gpus.isEmpty else {
        throw InputError(source: source, message: "no DCGM_FI_* series that name a GPU")
      }
      return DCGMInventory.state(scrape.gpus, layout: layout, at: time)
    case .prometheusJSON:
      let series = try PrometheusAPI.parse(data, source: source)
      let gpus = DCGMExposition.gpus(from: PrometheusAPI.samples(series, at: nil)).gpus
      guard !gpus.isEmpty else {
        let labels = Set(series.flatMap(\.labels.keys)).sorted().joined(separator: ", ")
        throw InputError(
          source: source,
          message: "no DCGM series that name a GPU (its \(series.count) series carry labels: "
            + "\(labels.isEmpty ? "none" : labels))")
      }
      let at = series.compactMap { $0.points.last?.time }.max() ?? time
      return DCGMInventory.state(gpus, layout: layout, at: at)
    case .slurmNodes:
      let nodes =
        data.first == UInt8(ascii: "{")
        ? try SlurmNodes.parse(data, source: source)
        : try SlurmText.scontrolNodes(try text(), source: source)
      return SlurmInventory.state(nodes: nodes, jobs: [], layout: layout)
    case .slurmJobs:
      return SlurmInventory.state(
        nodes: [], jobs: try SlurmJobs.parse(data, source: source), layout: layout)
    case .slurmDBJobs:
      return SlurmInventory.state(
        nodes: [], jobs: try SlurmDBJobs.parse(data, source: source), layout: layout)
    case .k8sNodes:
      return KubernetesInventory.state(
        nodes: try Kubernetes.nodes(data, source: source).items, pods: [], layout: layout)
    case .k8sPods:
      return KubernetesInventory.state(
        nodes: [], pods: try Kubernetes.pods(data, source: source).items, layout: layout)
    }
  }
}
