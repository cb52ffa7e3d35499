import FleetModel
import FleetSim
import Foundation
import StateCache
import Synchronization
import Testing

/// A fresh folder for one test's cache files.
func temporaryCachePath() -> String {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("factop-cache-\(UUID().uuidString)")
  try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder.appendingPathComponent("cache.sqlite").path
}

let t0 = Date(timeIntervalSince1970: 1_795_000_000)

func health(_ name: String = "demo", at time: Date = t0) -> SourceHealth {
  SourceHealth(
    name: name, kind: "sim", intervalS: 10, lastAttempt: time, lastSuccess: time,
    pollDurationS: 0.01)
}

@Suite struct StateCacheTests {
  let fleet = try! DemoFleet(gpus: 256, seed: 5)

  @Test func roundTripsAFleetThroughACloseAndReopen() throws {
    let path = temporaryCachePath()
    var state = fleet.state(at: t0)
    // InfiniBand ports: one with every figure, whose source knew its node; one that keeps no
    // counter (unknown stays nil), named as node exporter's config names it, which the read's
    // join matches to its node.
    state.fabric = [
      // The demo's own kind: it knows the node.
      FabricPort(
        node: "gpu-a0001", nodeID: NodeID(cluster: "train-a", name: "gpu-a0001"),
        device: "mlx5_0", port: "1", stateID: 4, physicalStateID: 5,
        rateBytesPerS: 5e10, receivedBytesPerS: 1.5e9, transmittedBytesPerS: 1.2e9,
        linkDownedTotal: 3, linkDownedNew: 1, receiveErrorsTotal: 7, symbolErrorsTotal: 5,
        linkErrorRecoveryTotal: 2, time: t0),
      FabricPort(node: "gpu-a0001", device: "mlx5_1", port: "1", time: t0),
    ]
    // A job's end and its pod's restarts; a GPU's NVLink error rate.
    state.jobs[0].end = t0.addingTimeInterval(-60)
    state.jobs[1].restarts = ContainerRestarts(
      count: 2, lastExit: "Error, exit 1: CUDA error", lastExitAt: t0.addingTimeInterval(-90),
      runningSince: t0.addingTimeInterval(-30))
    state.jobs[2].restarts = ContainerRestarts(count: 0)
    let sampled = try #require(state.gpuSamples.keys.min())
    state.gpuSamples[sampled]?.nvlinkErrorsPerS = 0.25
    do {
      let cache = try StateCache.open(path: path)
      try cache.record(state, from: health())
    }
    var joined = state
    joined.fabric[1].nodeID = NodeID(cluster: "train-a", name: "gpu-a0001")
    let reopened = try StateCache.open(path: path)
    #expect(try reopened.fleetState() == joined)
    #expect(try reopened.sourceHealth() == [health()])
    let readOnly = try StateCache.openReadOnly(path: path)
    #expect(try readOnly.fleetState() == joined)
  }

  /// The incident log's marks and hit jobs come back as they were written: a pod's restart
  /// count (the next poll compares with it) and a hit job's start.
  @Test func incidentMarksAndHitJobsRoundTrip() throws {
    let cache = try StateCache.open(path: temporaryCachePath())
    var marks = IncidentMarks()
    marks.recordedAt = t0
    let pod = JobID(cluster: "k8s", id: "llm/pretrain-0")
    marks.running[pod] = IncidentMarks.RunningJob(
      name: "pretrain", user: "", team: "llm", gpus: 8, gpusByNode: ["n1": 8],
      usdPerGPUHour: 2, restarts: 3)
    let hit = HitJob(
      job: pod, name: "pretrain", team: "llm", gpus: 8, nodes: ["n1"], gpusOnNode: 0,
      usdPerGPUHour: 2, started: t0.addingTimeInterval(-600), stopped: t0.addingTimeInterval(-60),
      lastCheckpoint: nil, requeued: true, ranAgain: t0)
    let incident = Incident(
      id: "job k8s/llm/pretrain-0 @1", cluster: "k8s", node: nil, start: t0, lastEvent: t0,
      end: nil,
      events: [IncidentEvent(time: t0, kind: .podRestarted, subject: pod.id, detail: "restarted")],
      jobs: [hit], outage: nil)
    let log = IncidentLog([incident], marks: marks)
    try cache.saveIncidents(
      log, replacing: IncidentLog(), adding: (0, 0), at: t0, keepS: 86_400)
    let read = try cache.incidentLog()
    #expect(read.marks.running[pod]?.restarts == 3)
    #expect(read.incidents.first?.jobs == [hit])
    #expect(read.incidents.first?.events.first?.kind == .podRestarted)
  }

  /// The poll time a source shows counts the cache write: it is stamped at the end of it.
  @Test func thePollTimeIncludesTheWrite() throws {
    let cache = try StateCache.open(path: temporaryCachePath())
    let state = try DemoFleet(gpus: 4_096, seed: 5).state(at: t0)
    let started = ContinuousClock.now - .milliseconds(1_500)
    let beforeWrite = ContinuousClock.now - started
    try cache.record(state, from: health(), pollStarted: started)
    let afterWrite = ContinuousClock.now - started
    let recorded = try #require(try cache.sourceHealth().first?.pollDurationS)
    // Writing 4,096 GPUs takes time: the duration counts it, and nothing after it.
    #expect(recorded > beforeWrite / .seconds(1))
    #expect(recorded <= afterWrite / .seconds(1))
  }

  @Test func readOnlyOpeningNeverCreatesAFile() {
    let path = temporaryCachePath()
    #expect(throws: CacheError.missing(path: path)) { try StateCache.openReadOnly(path: path) }
    #expect(!FileManager.default.fileExists(atPath: path))
  }

  @Test func anEmptyFileReadsAsAnEmptyCache() throws {
    let path = temporaryCachePath()
    _ = FileManager.default.createFile(atPath: path, contents: Data())
    let cache = try StateCache.openReadOnly(path: path)
    #expect(try cache.fleetState().isEmpty)
    #expect(try cache.sourceHealth().isEmpty)
  }

  @Test func aNewerSchemaIsRefused() throws {
    let path = temporaryCachePath()
    _ = try StateCache.open(path: path)
    let sqlite = Process()
    sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    sqlite.arguments = [
      "python3", "-c",
      "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"INSERT INTO grdb_migrations VALUES ('v99: from the future')\"); c.commit()",
      path,
    ]
    try sqlite.run()
    sqlite.waitUntilExit()
    #expect(sqlite.terminationStatus == 0)
    #expect(throws: CacheError.newerSchema(path: path)) { try StateCache.open(path: path) }
    #expect(throws: CacheError.newerSchema(path: path)) { try StateCache.openReadOnly(path: path) }
  }

  @Test func notACacheIsCalledDamaged() throws {
    let path = temporaryCachePath()
    try Data("this is not sqlite, it is a text file of some length".utf8).write(
      to: URL(fileURLWithPath: path))
    #expect {
      try StateCache.open(path: path)
    } throws: { error in
      guard case CacheError.corrupt(let errorPath, _) = error else { return false }
      return errorPath == path
    }
  }

  /// A cache cut short (a copy that stopped half way, a crash on a bad disk) fails SQLite's
  /// integrity check on opening; moved aside, it leaves room for a new one and is kept whole.
  @Test func aTruncatedCacheIsDetectedAndMovedAsideWhole() throws {
    let path = temporaryCachePath()
    do {
      let cache = try StateCache.open(path: path)
      try cache.record(try DemoFleet(gpus: 1_024, seed: 3).state(at: t0), from: health())
    }
    let size = try #require(
      try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    #expect(truncate(path, off_t(size / 2)) == 0)
    #expect(throws: CacheError.self) { try StateCache.open(path: path) }
    let aside = try StateCache.moveAside(path: path, at: t0)
    #expect(aside == path + ".corrupt-1795000000")
    #expect(!FileManager.default.fileExists(atPath: path))
    #expect(
      try FileManager.default.attributesOfItem(atPath: aside)[.size] as? Int == size / 2)
    let fresh = try StateCache.open(path: path)
    #expect(try fresh.fleetState().isEmpty)
  }

  /// A full disk (here a page limit, which SQLite meets exactly as it meets a full disk): the
  /// write is refused as "cache not writable", and what was written before is still there.
  @Test func aFullDiskRefusesTheWriteAndKeepsWhatIsThere() throws {
    let path = temporaryCachePath()
    let small = try DemoFleet(gpus: 256, seed: 1).state(at: t0)
    do {
      let cache = try StateCache.open(path: path)
      try cache.record(small, from: health())
    }
    let pages =
      try #require(
        try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) / 4_096
    let full = try StateCache.open(path: path, pageLimit: pages + 8)
    let big = try DemoFleet(gpus: 8_192, seed: 1).state(at: t0.addingTimeInterval(10))
    #expect {
      try full.record(big, from: health(at: t0.addingTimeInterval(10)))
    } throws: { error in
      guard case CacheError.notWritable(_, let reason) = error else { return false }
      return reason == "disk full" && "\(error)".hasPrefix("cache not writable")
    }
    #expect(try full.fleetState() == small)
    #expect(try full.sourceHealth().first?.lastSuccess == t0)
  }

  @Test func theCacheIsReadableByItsOwnerOnly() throws {
    let path = temporaryCachePath()
    let cache = try StateCache.open(path: path)
    try cache.record(fleet.state(at: t0), from: health())
    for file in [path, path + "-wal"] {
      let mode = try #require(
        try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
      #expect(mode == 0o600, "\(file): \(String(mode, radix: 8))")
    }
  }

  @Test func aFailedPollKeepsTheLastGoodData() throws {
    let cache = try StateCache.open(path: temporaryCachePath())
    let state = fleet.state(at: t0)
    try cache.record(state, from: health())
    var failed = health()
    failed.lastAttempt = t0.addingTimeInterval(10)
    failed.lastError = "timeout after 10 s"
    try cache.recordFailure(failed)
    #expect(try cache.fleetState() == state)
    let stored = try #require(try cache.sourceHealth().first)
    #expect(stored.lastError == "timeout after 10 s")
    #expect(stored.lastSuccess == t0)
    #expect(stored.status(at: t0.addingTimeInterval(11)) == .error)
  }

  @Test func eachSourceReplacesOnlyItsOwnRows() throws {
    let cache = try StateCache.open(path: temporaryCachePath())
    let other = FleetState(
      clusters: [Cluster(name: "lab", scheduler: .slurm, site: "x", pricing: .owned)],
      nodes: [Node(name: "lab-1", cluster: "lab", rack: "r", state: .idle)])
    try cache.record(other, from: health("lab"))
    try cache.record(fleet.state(at: t0), from: health("demo"))
    try cache.record(fleet.state(at: t0.addingTimeInterval(10)), from: health("demo"))
    let merged = try cache.fleetState()
    #expect(merged.nodes.count == fleet.nodes.count + 1)
    #expect(merged.clusters.map(\.name).contains("lab"))
  }

  @Test func generationChangesWithEveryWrite() throws {
    let cache = try StateCache.open(path: temporaryCachePath())
    let before = try cache.generation()
    try cache.record(fleet.state(at: t0), from: health())
    #expect(try cache.generation() == before + 1)
  }
}

@Suite struct SeriesTests {
  @Test func rollsRawPointsUpIntoMinutesAndHours() throws {
    let cache = try StateCache.open(path: temporaryCachePath())
    let hour = (t0.timeIntervalSince1970 / 3_600).rounded(.down) * 3_600
    // Minute 0: 10, 20, 30; minute 1: 40.
    let points = [(0.0, 10.0), (20, 20), (40, 30), (60, 40)].map {
      SeriesPoint(
        entity: "fleet", metric: "util", time: Date(timeIntervalSince1970: hour + $0.0), value: $0.1
      )
    }
    let now = Date(timeIntervalSince1970: hour + 61)
    try cache.append(points, now: now)
    let since = Date(timeIntervalSince1970: hour)
    let minutes = try cache.series(
      entity: "fleet", metric: "util", resolution: .minute, since: since)
    #expect(minutes.map(\.mean) == [20, 40])
    #expect(minutes.map(\.min) == [10, 40])
    #expect(minutes.map(\.max) == [30, 40])
    let hours = try cache.series(entity: "fleet", metric: "util", resolution: .hour, since: since)
    #expect(hours.map(\.mean) == [25])  // weighted by sample count, not the mean of minute means
    #expect(hours.map(\.max) == [40])
    let raw = try cache.series(entity: "fleet", metric: "util", resolution: .raw, since: since)
    #expect(raw.count == 4)
  }

  @Test func appendingToAMinuteUpdatesItsRollup() throws {
    let cache = try StateCache.open(path: temporaryCachePath())
    let minute = (t0.timeIntervalSince1970 / 60).rounded(.down) * 60
    for (offset, value) in [(0.0, 10.0), (30, 50)] {
      let time = Date(timeIntervalSince1970: minute + offset)
      try cache.append([SeriesPoint(entity: "e", metric: "m", time: time, value: value)], now: time)
    }
    let since = Date(timeIntervalSince1970: minute)
    #expect(
      try cache.series(entity: "e", metric: "m", resolution: .minute, since: since).map(\.mean) == [
        30
      ])
  }

  @Test func retentionDropsOldPointsPerResolution() throws {
    let cache = try StateCache.open(path: temporaryCachePath())
    let old = SeriesPoint(entity: "e", metric: "m", time: t0, value: 1)
    try cache.append([old], now: t0)
    let later = t0.addingTimeInterval(3 * 3_600)
    let retention = Retention(rawS: 3_600, minuteS: 4 * 3_600, hourS: 86_400)
    try cache.append(
      [SeriesPoint(entity: "e", metric: "m", time: later, value: 2)], now: later,
      retention: retention)
    let all = Date(timeIntervalSince1970: 0)
    #expect(
      try cache.series(entity: "e", metric: "m", resolution: .raw, since: all).map(\.mean) == [2])
    #expect(
      try cache.series(entity: "e", metric: "m", resolution: .minute, since: all).map(\.mean) == [
        1, 2,
      ])
  }
}

@Suite struct ConcurrentAccessTests {
  /// One writer replaces the fleet again and again while a read-only reader in the same
  /// process reads it: every read sees one whole poll, never a mix or an error.
  @Test func readersSeeWholePollsWhileAWriterWrites() async throws {
    let path = temporaryCachePath()
    let fleet = try DemoFleet(gpus: 1_024, seed: 2)
    let writer = try StateCache.open(path: path)
    try writer.record(fleet.state(at: t0), from: health())
    let reader = try StateCache.openReadOnly(path: path)

    let writes = Task.detached {
      for i in 1...15 {
        let time = t0.addingTimeInterval(Double(i) * 10)
        try writer.record(fleet.state(at: time), from: health(at: time))
      }
    }
    for _ in 0..<10 {
      let state = try reader.fleetState()
      #expect(state.gpus.count == 1_024)
      #expect(state.gpuSamples.count == 1_024 - 8)  // the down node reports nothing
      let times = Set(state.gpuSamples.values.map(\.time))
      #expect(times.count == 1, "a read mixed \(times.count) polls")
    }
    try await writes.value
    #expect(try reader.sourceHealth().first?.lastSuccess == t0.addingTimeInterval(150))
  }
}

/// A poller and an import started together on a new cache both bring its schema up to date:
/// neither may fail because the other applied a migration first.
@Suite struct ConcurrentOpenTests {
  @Test func openersOfANewCacheRacingEachOtherAllSucceed() throws {
    for _ in 0..<20 {
      let path = temporaryCachePath()
      let failures = Mutex<[String]>([])
      DispatchQueue.concurrentPerform(iterations: 4) { _ in
        do {
          _ = try StateCache.open(path: path)
        } catch {
          failures.withLock { $0.append("\(error)") }
        }
      }
      #expect(failures.withLock { $0 }.isEmpty)
      let cache = try StateCache.open(path: path)
      #expect(try cache.sourceHealth().isEmpty, "the schema is whole: its tables read")
    }
  }
}
