import Benchmark
import Cockpit
import Exports
import FleetModel
import FleetSim
import Foundation

/// The performance targets of the foundation, at 16,384 GPUs: a JSON snapshot and one Overview
/// frame with its diff. Targets: snapshot well under the 3 s budget of `factop snapshot`; a frame
/// well under the 100 ms a keypress may take.
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

  Benchmark("Snapshot JSON, 16,384 GPUs") { benchmark in
    for _ in benchmark.scaledIterations {
      let snapshot = Snapshot(state: state, sources: sources, prices: .demo, now: now)
      blackHole(try JSONOutput.encode(snapshot, pretty: false))
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
}
