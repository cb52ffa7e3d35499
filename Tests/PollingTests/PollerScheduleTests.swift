import Feeds
import FleetModel
import Foundation
import Logging
import Polling
import StateCache
import Synchronization
import Testing

@Suite struct PollScheduleTests {
  @Test func backsOffAfterFailuresWithJitter() {
    let schedule = PollSchedule(intervalS: 10, maxBackoffS: 60, jitter: 0.1)
    #expect(schedule.delayS(afterFailures: 0, random: 0.5) == 10)
    #expect(schedule.delayS(afterFailures: 0, random: 0) == 9)
    #expect(abs(schedule.delayS(afterFailures: 0, random: 0.999_999) - 11) < 1e-4)
    #expect(schedule.delayS(afterFailures: 1, random: 0.5) == 20)
    #expect(schedule.delayS(afterFailures: 2, random: 0.5) == 40)
    #expect(schedule.delayS(afterFailures: 3, random: 0.5) == 60)
    #expect(schedule.delayS(afterFailures: 500, random: 0.5) == 60)
  }
}

/// A source that counts its polls and answers, fails or hangs as told.
private final class ScriptedFeed: Feed {
  enum Behaviour { case answer, fail, hang }
  let name: String
  let kind = "test"
  let intervalS: Double
  let timeoutS: Double?
  let behaviour: Behaviour
  let polls = Mutex(0)

  init(_ name: String, _ behaviour: Behaviour, intervalS: Double = 1, timeoutS: Double? = nil) {
    self.name = name
    self.behaviour = behaviour
    self.intervalS = intervalS
    self.timeoutS = timeoutS
  }

  struct Broken: Error {}

  func poll(at time: Date) async throws -> FleetState {
    polls.withLock { $0 += 1 }
    switch behaviour {
    case .answer:
      return FleetState(
        nodes: [Node(name: name, cluster: "c", rack: "r", state: .idle)])
    case .fail: throw Broken()
    case .hang:
      try await Task.sleep(for: .seconds(3_600))
      return FleetState()
    }
  }
}

@Suite struct PollerScheduleTests {
  /// Each source on its own schedule: a healthy one keeps its interval while another fails
  /// (and backs off) and a third hangs until its own timeout; the healthy one's data and
  /// health are current, the others' errors recorded.
  @Test func aBrokenOrHungSourceNeverDelaysAnother() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-poller-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let cache = try StateCache.open(path: folder.appendingPathComponent("cache.sqlite").path)
    let healthy = ScriptedFeed("healthy", .answer)
    let broken = ScriptedFeed("broken", .fail)
    let hung = ScriptedFeed("hung", .hang, timeoutS: 0.5)
    let poller = Poller(
      cache: cache, feeds: [healthy, broken, hung], rules: FleetRules(prices: .demo), timeoutS: 30,
      logger: Logger(label: "test"))
    // Until the healthy source has answered four times (about 3 s; the deadline only guards
    // against a hang). Counts, not clock readings: a busy test machine slows every task alike,
    // and on CI's two cores the tests beside this one can hold both threads of Swift's pool
    // for a minute (a sync test blocks its thread), so the guard is generous.
    let deadline = Date().addingTimeInterval(300)
    await poller.run(intervalS: 1) { healthy.polls.withLock { $0 } >= 4 || Date() > deadline }
    #expect(healthy.polls.withLock { $0 } >= 4)
    // Meanwhile the failing one backed off (polled at once, then ~2 s later, then ~4 s after
    // that) and the hung one timed out each time without holding up the others.
    let brokenPolls = broken.polls.withLock { $0 }
    #expect(brokenPolls >= 1 && brokenPolls <= 3)
    let health = Dictionary(
      uniqueKeysWithValues: try cache.sourceHealth().map { ($0.name, $0) })
    #expect(health["healthy"]?.lastError == nil && health["healthy"]?.lastSuccess != nil)
    #expect(health["broken"]?.lastError?.contains("Broken") == true)
    #expect(health["hung"]?.lastError == "no answer within 0.5 s")
    #expect(try cache.fleetState().nodes.map(\.name) == ["healthy"])
  }
}

@Suite struct CommandTimeoutTests {
  /// A command that hangs (Slurm clients do while slurmctld is down) is killed when its poll
  /// times out: nothing is left running.
  @Test func aHungCommandIsKilledAtTheTimeout() async throws {
    let marker = "factop-hang-\(UUID().uuidString.prefix(8))"
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(marker)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let script = folder.appendingPathComponent("nvidia-smi")
    // `tail -f` never ends; naming the script keeps the marker in its command line.
    try "#!/bin/sh\nexec tail -f /dev/null \"$0\"\n".write(
      to: script, atomically: true, encoding: .utf8)
    chmod(script.path, 0o755)
    let feed = NvidiaSMIFeed(
      name: "hang",
      layout: ClusterLayout(
        cluster: Cluster(name: "c", scheduler: .slurm, site: "s", pricing: .owned)),
      node: "n", executable: script.path, timeoutS: 1, intervalS: 10)
    let cache = try StateCache.open(path: folder.appendingPathComponent("cache.sqlite").path)
    let poller = Poller(
      cache: cache, feeds: [feed], rules: FleetRules(prices: .demo), logger: Logger(label: "test"))
    let outcome = try #require(await poller.pollOnce(at: Date()).first)
    #expect(outcome.error == "no answer within 1 s")
    // Give the kill a moment to land, then look for survivors.
    var survivors = 1
    for _ in 0..<50 where survivors > 0 {
      survivors = try runningProcesses().filter { $0.hasPrefix("tail") && $0.contains(marker) }
        .count
      if survivors > 0 { try await Task.sleep(for: .milliseconds(100)) }
    }
    #expect(survivors == 0)
  }

  /// Every process's command line, from /proc.
  private func runningProcesses() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: "/proc").compactMap { pid in
      guard Int(pid) != nil,
        let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
      else { return nil }
      return String(decoding: raw.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
    }
  }
}
