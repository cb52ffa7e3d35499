import Feeds
import FleetModel
import Foundation

/// A parser of outside input under the fuzzer: its name on the command line, the real inputs
/// its corpus starts from, and a call that may refuse an input (throw) but never crash on one.
struct ParserTarget: Sendable {
  let name: String
  let seeds: @Sendable () -> [Data]
  let parse: @Sendable (Data) throws -> Void
}

extension ParserTarget {
  static let all: [ParserTarget] = [
    ParserTarget(
      name: "nvidia-smi-csv",
      // The captures' query outputs (CSV), not their help text, tables and `-q` reports:
      // libFuzzer makes inputs as long as the longest seed, and the help text is 32 KiB.
      seeds: {
        Seeds.files("nvidia-smi-captures").flatMap { NvidiaSMIQuery.captureSections(text($0)) }
          .filter { $0.name.contains("query-") && !$0.name.contains("help") }
          .map { Data($0.body.utf8) } + [Data("index, name, uuid\n0, H100, GPU-1\n".utf8)]
      },
      parse: {
        _ = try? NvidiaSMIQuery.computeApps(text($0), source: "fuzz")
        _ = try NvidiaSMIQuery.parse(text($0), source: "fuzz")
      }),
    ParserTarget(
      name: "nvidia-smi-xml", seeds: { Seeds.files("nvidia-smi-xml", ".xml") },
      parse: { _ = try NvidiaSMIXML.parse($0, source: "fuzz") }),
    ParserTarget(
      name: "rocm-smi-json", seeds: { Seeds.files("amd", ".json") },
      parse: { _ = try RocmSMIJSON.parse($0, source: "fuzz") }),
    ParserTarget(
      name: "dcgm-exposition", seeds: { Seeds.files("dcgm-exporter") },
      parse: { _ = DCGMExposition.parse(text($0)) }),
    ParserTarget(
      name: "prometheus-json", seeds: { Seeds.files("prometheus-api", ".json") },
      parse: { _ = try PrometheusAPI.parse($0, source: "fuzz") }),
    ParserTarget(
      name: "slurm-nodes-json", seeds: { Seeds.files("slurmrestd", "json") },
      parse: { slurmFleet(nodes: try SlurmNodes.parse($0, source: "fuzz")) }),
    ParserTarget(
      name: "slurm-jobs-json", seeds: { Seeds.files("slurmrestd", "json") },
      parse: { slurmFleet(jobs: try SlurmJobs.parse($0, source: "fuzz")) }),
    ParserTarget(
      name: "slurmdbd-jobs-json", seeds: { Seeds.files("slurmrestd", "json") },
      parse: { _ = try SlurmDBJobs.parse($0, source: "fuzz") }),
    ParserTarget(
      name: "slurm-text",
      seeds: {
        [
          "gpu[01-04]|idle|gpu:h100:8(S:0-1)|batch|none\ngpu05|drained*|gpu:8|debug|XID 79",
          "17|RUNNING|2|gres/gpu:8|gpu[01-02]|2026-11-24T10:00:00|ada|llm|batch|train",
          "NodeName=gpu01 State=IDLE+DRAIN Gres=gpu:h100:8 Reason=XID [root@2026-11-24T10:00:00]",
        ].map { Data($0.utf8) }
      },
      parse: {
        slurmFleet(nodes: (try? SlurmText.sinfoNodes(text($0), source: "fuzz")) ?? [])
        slurmFleet(jobs: (try? SlurmText.squeueJobs(text($0), source: "fuzz")) ?? [])
        slurmFleet(nodes: try SlurmText.scontrolNodes(text($0), source: "fuzz"))
      }),
    ParserTarget(
      name: "kubernetes-lists", seeds: { Seeds.files("k8s", ".json", under: Seeds.recorded) },
      parse: {
        let nodes = (try? Kubernetes.nodes($0, source: "fuzz"))?.items ?? []
        _ = KubernetesInventory.state(nodes: nodes, pods: [], layout: layout)
        let pods = try Kubernetes.pods($0, source: "fuzz").items
        _ = KubernetesInventory.state(nodes: nodes, pods: pods, layout: layout)
      }),
    ParserTarget(
      name: "redfish-power",
      seeds: {
        Seeds.files("redfish", "index.json").filter {
          let text = text($0)
          return text.contains("PowerControl") || text.contains("PowerWatts")
        }
      },
      parse: { _ = try RedfishPower.resource($0, source: "fuzz", node: "n", at: Date()) }),
    ParserTarget(
      name: "opencost-allocation",
      seeds: { Seeds.files("", "opencost-allocation-compute.json", under: Seeds.recorded) },
      parse: { _ = try OpenCostAllocation.parse($0, source: "fuzz") }),
    ParserTarget(
      name: "focus-csv", seeds: { Seeds.files("focus", ".csv").map(Seeds.firstLines) },
      parse: { _ = try FocusFile.parse(text($0), source: "fuzz") }),
    ParserTarget(
      name: "zeus-sweep-csv", seeds: { Seeds.files("traces/zeus", ".csv").map(Seeds.firstLines) },
      parse: { _ = try SweepFile.parse(text($0), source: "fuzz") }),
    ParserTarget(
      name: "occupancy-csv",
      seeds: {
        [
          Data(
            "time,alloc,total,pending\n2026-11-24T00:00:00Z,10,16,4\n2026-11-24T00:05:00Z,16,16,0\n"
              .utf8)
        ]
      },
      parse: {
        _ = try OccupancyFile.parse(
          text($0), source: "fuzz",
          columns: .init(time: "time", allocated: "alloc", total: "total", pending: "pending"))
      }),
    ParserTarget(
      name: "gres", seeds: { [Data("gpu:h100:8(IDX:0-3,5),gpu:a100:2(S:0)".utf8)] },
      parse: { _ = GresItem.parse(text($0)) }),
  ]

  static func named(_ name: String) -> ParserTarget? { all.first { $0.name == name } }
}

/// Scheduler answers go on into the fleet, as the poller takes them: the counts they carry
/// become GPUs there (a GPU count of `1e300` trapped there, past the parser).
private let layout = ClusterLayout(
  cluster: Cluster(name: "fuzz", scheduler: .slurm, site: "fuzz", pricing: .onDemand))

private func slurmFleet(nodes: [SlurmNode] = [], jobs: [SlurmJob] = []) {
  _ = SlurmInventory.state(nodes: nodes, jobs: jobs, layout: layout)
}

/// Parsers of text read bytes as UTF-8, replacing what is not, as factop's sources do.
private func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }
