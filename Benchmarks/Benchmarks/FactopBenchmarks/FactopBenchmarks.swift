import Benchmark
import Cockpit
import Exports
import Feeds
import FleetModel
import FleetSim
import Foundation
import StateCache

/// The performance targets of the foundation, at 16,384 GPUs: a JSON snapshot and one Overview
/// frame with its diff. Targets: snapshot well under the 3 s budget of `factop snapshot`; a frame
/// well under the 100 ms a keypress may take. The join of the sources, which every read of the
/// cache makes, the cache's write and read, a Prometheus answer's parse, and every view's frame,
/// at 16,384 and 131,072 GPUs. And a hostile slurmdbd answer, read well within the poll interval.
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
    maxDuration: .seconds(10), maxIterations: 50)

  let now = Date(timeIntervalSince1970: 1_795_010_400)
  let fleet = try! DemoFleet(gpus: 16_384, seed: 1)
  let state = fleet.state(at: now)
  let sources = [
    SourceHealth(name: "demo", kind: "sim", intervalS: 10, lastAttempt: now, lastSuccess: now)
  ]

  // The report every snapshot makes (summary, spend, power, savings, alerts), then its JSON.
  Benchmark("Snapshot JSON, 16,384 GPUs") { benchmark in
    for _ in benchmark.scaledIterations {
      let report = FleetReport(
        state: state, sources: sources, history: FleetHistory(), rules: FleetRules(prices: .demo),
        now: now)
      blackHole(try JSONOutput.encode(Snapshot(report: report), pretty: false))
    }
  }

  let model = CockpitModel(
    state: state, sources: sources, utilHistory: Array(repeating: 60, count: 360), prices: .demo,
    origin: "demo fleet · 16,384 GPUs · seed 1")
  let screen = Screen(
    model: model, theme: try! Theme.bundledDefault(), actions: .cockpit, origin: model.origin)
  let previous = screen.render(width: 200, height: 60, now: now)

  Benchmark("Overview frame + diff, 200×60, 16,384 GPUs") { benchmark in
    for _ in benchmark.scaledIterations {
      let frame = screen.render(width: 200, height: 60, now: now.addingTimeInterval(1))
      blackHole(frame.changes(since: previous))
    }
  }

  // The one join of the sources' states, as every cache read makes it: a scheduler's view
  // (node states, jobs, GPUs it only counts, placements) and a telemetry view (the same GPUs
  // by UUID with readings, nodes of unknown state), at both sizes the product claims.
  for gpus in [16_384, 131_072] {
    let whole = try! DemoFleet(gpus: gpus, seed: 1).state(at: now)
    var scheduler = FleetState(
      clusters: whole.clusters, nodes: whole.nodes,
      gpus: whole.gpus.map { GPU.placeholder(node: $0.node, index: $0.index, model: $0.model) },
      jobs: whole.jobs)
    scheduler.allocations = whole.allocations
    let telemetry = FleetState(
      clusters: whole.clusters,
      nodes: whole.nodes.map {
        Node(name: $0.name, cluster: $0.cluster, rack: Node.unracked, state: .unknown)
      },
      gpus: whole.gpus, gpuSamples: whole.gpuSamples, nodeSamples: whole.nodeSamples)
    Benchmark("Join of a scheduler and telemetry, \(gpus.formatted()) GPUs") { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(FleetState(joining: ["slurm": scheduler, "dcgm": telemetry]))
      }
    }
  }

  // One source's answer written to the cache (what each poll does after the feed answered, the
  // simulator's own cost left out), then read back and joined (what every reader does), at
  // both sizes the product claims. The cache lives in a temporary folder; each write replaces
  // the source's rows, as a poll does.
  for gpus in [16_384, 131_072] {
    let state = try! DemoFleet(gpus: gpus, seed: 1).state(at: now)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-bench-\(UUID().uuidString)")
    let cache = try! StateCache.open(path: folder.appendingPathComponent("cache.sqlite").path)
    let health = SourceHealth(
      name: "demo", kind: "sim", intervalS: 10, lastAttempt: now, lastSuccess: now)
    try! cache.record(state, from: health)
    Benchmark("Cache write of one poll, \(gpus.formatted()) GPUs") { benchmark in
      for _ in benchmark.scaledIterations {
        try cache.record(state, from: health)
      }
    }
    Benchmark("Cache read and join, \(gpus.formatted()) GPUs") { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(try cache.fleetState())
      }
    }
  }

  // The savings ledger's step, as the poller takes it every ten minutes: the finder over the
  // fleet, then its verdicts applied to a ledger that already holds the step before's.
  for gpus in [16_384, 131_072] {
    let state = try! DemoFleet(gpus: gpus, seed: 1).state(at: now)
    let context = SavingsContext(state: state, prices: .demo, now: now)
    var ledger = SavingsLedger()
    ledger.record(SavingsFinder.find(context).opportunities, at: now.addingTimeInterval(-600))
    Benchmark("Savings ledger step, \(gpus.formatted()) GPUs") { benchmark in
      for _ in benchmark.scaledIterations {
        var next = ledger
        next.record(SavingsFinder.find(context).opportunities, at: now)
        blackHole(next)
      }
    }
  }

  // The incident log's step, as the poller takes it after every poll: the fleet compared with
  // the marks of the poll before (every GPU's XID, ECC and NVLink marks, the nodes out, the jobs
  // running), priced where something changed.
  for gpus in [16_384, 131_072] {
    let demo = try! DemoFleet(gpus: gpus, seed: 1)
    let before = demo.state(at: now.addingTimeInterval(-10))
    let state = demo.state(at: now)
    var log = IncidentLog()
    log.record(before, at: now.addingTimeInterval(-10), prices: .demo)
    Benchmark("Incident log step, \(gpus.formatted()) GPUs") { benchmark in
      for _ in benchmark.scaledIterations {
        var next = log
        next.record(state, at: now, prices: .demo)
        blackHole(next)
      }
    }
  }

  // A poll's ingest from Prometheus, as a real fleet answers it: the answer of the feed's one
  // query (five DCGM metrics per GPU, with the labels `max by` keeps) parsed into the fleet
  // state the cache then writes. Made here from the demo fleet, at both sizes.
  for gpus in [16_384, 131_072] {
    let state = try! DemoFleet(gpus: gpus, seed: 1).state(at: now)
    let time = now.timeIntervalSince1970
    var series: [String] = []
    series.reserveCapacity(gpus * 5)
    for gpu in state.gpus {
      let sample = state.gpuSamples[gpu.id]
      let labels =
        #""Hostname":"\#(gpu.node.name)","UUID":"\#(gpu.uuid ?? "")","gpu":"\#(gpu.index)","#
        + #""modelName":"\#(gpu.model.name)""#
      for (name, value) in [
        ("DCGM_FI_DEV_GPU_UTIL", sample?.utilPct), ("DCGM_FI_PROF_SM_ACTIVE", sample?.smActivePct),
        ("DCGM_FI_DEV_POWER_USAGE", sample?.powerW), ("DCGM_FI_DEV_GPU_TEMP", sample?.tempC),
        ("DCGM_FI_DEV_FB_USED", sample?.memUsedMiB),
      ] {
        series.append(
          #"{"metric":{"__name__":"\#(name)",\#(labels)},"value":[\#(time),"\#(value ?? 0)"]}"#)
      }
    }
    let answer = Data(
      (#"{"status":"success","data":{"resultType":"vector","result":["#
        + series.joined(separator: ",") + "]}}").utf8)
    let layout = ClusterLayout(cluster: state.clusters[0])
    Benchmark(
      "Prometheus answer to one poll, parsed, \(gpus.formatted()) GPUs (\(answer.count / 1_000_000) MB)"
    ) { benchmark in
      for _ in benchmark.scaledIterations {
        let samples = PrometheusAPI.samples(
          try PrometheusAPI.parse(answer, source: "bench"), at: nil)
        blackHole(
          DCGMInventory.state(DCGMExposition.gpus(from: samples).gpus, layout: layout, at: now))
      }
    }
  }

  // A key's answer in every view at 131,072 GPUs: the frame the key leads to, rendered whole
  // (the rows of its list made, filtered and sorted as they are on every frame).
  do {
    let state = try! DemoFleet(gpus: 131_072, seed: 1).state(at: now)
    let report = FleetReport(
      state: state, sources: sources, history: FleetHistory(), rules: FleetRules(prices: .demo),
      now: now)
    var history = GPUHistory()
    history.append(state)
    let model = CockpitModel(report: report, gpuHistory: history, origin: "demo fleet")
    let theme = try! Theme.bundledDefault()
    for view in CockpitView.allCases {
      var navigation = Navigation()
      navigation.apply(.show(view), rowCount: 0, pageSize: 1)
      let screen = Screen(
        model: model, theme: theme, actions: .cockpit, origin: model.origin,
        navigation: navigation)
      Benchmark("\(view.title) frame, 200×60, 131,072 GPUs") { benchmark in
        for _ in benchmark.scaledIterations {
          blackHole(screen.render(width: 200, height: 60, now: now))
        }
      }
    }
  }

  // 300 hostlist items of 100,000 long names each, 15 KB in all: 1.9 GB of names if expanded,
  // of which one answer's budget keeps 64 MiB and the rest stay as written.
  let item = { (i: Int) in String(repeating: "x", count: 40) + "\(i)[0-99999]" }
  let job = { (id: Int) in
    #"{"job_id":\#(id),"state":{"current":["COMPLETED"]},"nodes":""#
      + (0..<100).map(item).joined(separator: ",") + #""}"#
  }
  let hostile = Data((#"{"jobs":["# + (0..<3).map(job).joined(separator: ",") + "]}").utf8)

  Benchmark("slurmdbd answer asking for 1.9 GB of node names") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try SlurmDBJobs.parse(hostile, source: "sacct"))
    }
  }
}
