import FleetModel
import FleetSim
import Foundation
import StateCache
import Synchronization
import Testing

/// One poller and eight readers (cockpits, wallboards, snapshots: each its own read-only
/// connection) on one cache at once. Every read sees one whole poll, no reader ever fails, and
/// every sample the poller wrote is there at the end. Runs for FACTOP_STRESS_S seconds (10 by
/// default; docs/reliability.md gives the ten-minute run's figures).
// On the main actor: it waits ten seconds in blocking calls, which on one of the cooperative
// pool's threads (as many as cores) would stall the async tests beside it.
@MainActor @Suite struct CacheStressTests {
  static let seconds =
    Double(ProcessInfo.processInfo.environment["FACTOP_STRESS_S"] ?? "") ?? 10

  @Test func aPollerAndEightReadersLoseNothing() throws {
    let path = temporaryCachePath()
    let fleet = try DemoFleet(gpus: 1_024, seed: 4)
    let writer = try StateCache.open(path: path)
    try writer.record(fleet.state(at: t0), from: health())
    let stop = Atomic(false)
    let polls = Atomic(0)
    let reads = Atomic(0)
    let failures = Mutex<[String]>([])
    let group = DispatchGroup()

    group.enter()
    Thread.detachNewThread {
      defer { group.leave() }
      var i = 0
      while !stop.load(ordering: .relaxed) {
        i += 1
        // Poll times a second apart: at ten polls a second, ten minutes stay inside the two
        // hours of raw points the cache keeps.
        let time = t0.addingTimeInterval(Double(i))
        do {
          try writer.record(fleet.state(at: time), from: health(at: time))
          try writer.append(
            [SeriesPoint(entity: "fleet", metric: "poll", time: time, value: Double(i))],
            now: time)
          polls.store(i, ordering: .relaxed)
        } catch {
          failures.withLock { $0.append("poll \(i): \(error)") }
        }
        Thread.sleep(forTimeInterval: 0.1)
      }
    }
    for reader in 0..<8 {
      group.enter()
      Thread.detachNewThread {
        defer { group.leave() }
        do {
          let cache = try StateCache.openReadOnly(path: path)
          var seen = 0
          while !stop.load(ordering: .relaxed) {
            let state = try cache.fleetState()
            let times = Set(state.gpuSamples.values.map(\.time))
            if times.count != 1 || state.gpus.count != 1_024 {
              failures.withLock { $0.append("reader \(reader) saw \(times.count) polls mixed") }
            }
            let points = try cache.series(
              entity: "fleet", metric: "poll", resolution: .raw, since: t0)
            if points.count < seen {
              failures.withLock {
                $0.append("reader \(reader): samples went from \(seen) to \(points.count)")
              }
            }
            seen = points.count
            _ = try cache.sourceHealth()
            reads.add(1, ordering: .relaxed)
          }
        } catch {
          failures.withLock { $0.append("reader \(reader): \(error)") }
        }
      }
    }
    Thread.sleep(forTimeInterval: Self.seconds)
    stop.store(true, ordering: .relaxed)
    #expect(group.wait(timeout: .now() + 60) == .success)

    #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0.prefix(5) })")
    let written = polls.load(ordering: .relaxed)
    let kept = try writer.series(entity: "fleet", metric: "poll", resolution: .raw, since: t0)
    #expect(written > 0 && kept.map(\.mean) == (1...written).map(Double.init))
    print(
      "cache stress: \(Self.seconds) s, \(written) polls of 1,024 GPUs, "
        + "\(reads.load(ordering: .relaxed)) reads by 8 readers, 0 errors")
  }
}
