import Feeds
import FleetModel
import Foundation
import Logging
import StateCache
import Synchronization
import Tracing

/// Asks every feed for its state, writes the answers to the cache and records each source's
/// health. A failing or slow source never holds up the others: each is polled concurrently with
/// its own timeout, and its last good data stays in the cache.
public final class Poller: Sendable {
  public let cache: StateCache
  public let feeds: [any Feed]
  /// The rules the fleet is judged by: prices for the series, savings rules for the ledger.
  public let rules: FleetRules
  public let timeoutS: Double
  private let logger: Logger
  /// Each source's last good answer, so the fleet series still count a source that just failed.
  private let latest = Mutex<[String: FleetState]>([:])
  /// Held while the ledger is read, changed and written, so the backfill's replay and the
  /// periodic step never overwrite each other.
  private let ledgerTurn = Mutex(())
  /// The incident log between steps, and when this poller last wrote it: a log another process
  /// wrote since (a cron's `poll --once`) is read again. Held for the whole of a step.
  private let incidentLog = Mutex<(log: IncidentLog, writtenAt: Date)?>(nil)

  public init(
    cache: StateCache, feeds: [any Feed], rules: FleetRules, timeoutS: Double = 10,
    logger: Logger
  ) {
    self.cache = cache
    self.feeds = feeds
    self.rules = rules
    self.timeoutS = timeoutS
    self.logger = logger
  }

  /// The outcome of polling one source once.
  public struct Outcome: Sendable {
    public let source: String
    public let error: String?
  }

  /// Removes what the cache holds from sources this poller does not poll: the demo fleet once a
  /// real cluster is configured, a source taken out of the config. Otherwise they would be
  /// shown beside the configured fleet, and their staleness would fail every snapshot. Imports
  /// stay: no poller writes them. A simulated source's history goes with it. Logged once each.
  func forgetSourcesNoLongerPolled() {
    let polled = Set(feeds.map(\.name))
    let gone = ((try? cache.sourceHealth()) ?? []).filter {
      $0.kind != Self.importKind && !polled.contains($0.name)
    }
    for source in gone {
      let simulated = source.kind == SimulatorFeed.kindName
      do {
        try cache.forget(source: source.name, history: simulated)
        let what = simulated ? "nodes, GPUs, jobs and simulated history" : "nodes, GPUs and jobs"
        logger.warning(
          "source \(source.name) is no longer configured: its \(what) were removed from the cache")
      } catch {
        logger.error("cannot remove source \(source.name) from the cache: \(error)")
      }
    }
  }

  /// The kind of the sources `factop import` records: kept whatever is configured.
  public static let importKind = "import"

  /// Polls every feed once, concurrently, and writes what came back.
  @discardableResult
  public func pollOnce(at now: Date) async -> [Outcome] {
    forgetSourcesNoLongerPolled()
    let outcomes = await withTaskGroup(of: Outcome.self) { group in
      for feed in feeds {
        group.addTask { await self.poll(feed, at: now) }
      }
      return await group.reduce(into: []) { $0.append($1) }
    }
    recordSeries(at: now)
    recordLedgerIfDue(at: now)
    return outcomes.sorted { $0.source < $1.source }
  }

  /// Polls until `shouldStop` says so (checked at least every 200 ms); returns once nothing it
  /// started still writes to the cache. Every source is polled at once first, so the screen has
  /// data at once; then each on its own schedule (its interval, backing off after failures), so
  /// a slow or broken source never delays another. The fleet's series are recorded every
  /// `intervalS` from each source's last good answer.
  public func run(intervalS: Double, shouldStop: @escaping @Sendable () -> Bool) async {
    let started = Date()
    await pollOnce(at: started)
    // History for the day before is filled in beside the polls, which never wait for it.
    let history = Task { await self.backfill(before: started) }
    await withTaskGroup(of: Void.self) { group in
      for feed in feeds {
        group.addTask { await self.keepPolling(feed, since: started, shouldStop: shouldStop) }
      }
      group.addTask {
        var next = started.addingTimeInterval(intervalS)
        while !shouldStop() {
          if Date() >= next {
            self.recordSeries(at: Date())
            self.recordLedgerIfDue(at: Date())
            next = next.addingTimeInterval(intervalS)
          }
          try? await Task.sleep(for: .milliseconds(200))
        }
      }
    }
    history.cancel()
    await history.value
  }

  private func keepPolling(
    _ feed: any Feed, since started: Date, shouldStop: @Sendable () -> Bool
  ) async {
    let schedule = PollSchedule(intervalS: feed.intervalS)
    var failures = 0
    var next = started.addingTimeInterval(
      schedule.delayS(afterFailures: 0, random: Double.random(in: 0..<1)))
    while !shouldStop() {
      if Date() >= next {
        let outcome = await poll(feed, at: Date())
        failures = outcome.error == nil ? 0 : failures + 1
        next = Date().addingTimeInterval(
          schedule.delayS(afterFailures: failures, random: Double.random(in: 0..<1)))
      }
      try? await Task.sleep(for: .milliseconds(200))
    }
  }

  /// One poll of `feed`, traced: a span for each, and the poll's duration and outcome as
  /// metrics (`PollTelemetry`).
  private func poll(_ feed: any Feed, at now: Date) async -> Outcome {
    await withSpan("poll \(feed.kind)", ofKind: .client) { span in
      let started = ContinuousClock.now
      let read = BytesRead()
      let (outcome, rows) = await BytesRead.$current.withValue(read) {
        await pollUntraced(feed, at: now, started: started)
      }
      PollTelemetry.record(
        feed, outcome: outcome, rows: rows, bytes: read.count,
        seconds: (ContinuousClock.now - started) / .seconds(1), cacheBytes: cache.sizeBytes,
        in: span)
      return outcome
    }
  }

  /// The poll itself, and how many rows (nodes, GPUs, jobs, fabric ports) its answer held.
  /// `started` times it for the source's health as for the telemetry: one clock for both.
  private func pollUntraced(_ feed: any Feed, at now: Date, started: ContinuousClock.Instant)
    async -> (Outcome, Int?)
  {
    var health =
      (try? cache.sourceHealth().first { $0.name == feed.name })
      ?? SourceHealth(name: feed.name, kind: feed.kind, intervalS: feed.intervalS)
    health.intervalS = feed.intervalS
    health.tls = feed.tls
    let lastAnswered = health.lastSuccess
    health.lastAttempt = now
    do {
      let state = try await withTimeout(seconds: feed.timeoutS ?? timeoutS) {
        try await feed.poll(at: now, since: lastAnswered)
      }
      health.lastSuccess = now
      health.lastError = nil
      // The cache write is part of the poll: the Sources view shows the whole of it.
      try cache.record(state, from: health, pollStarted: started)
      latest.withLock { $0[feed.name] = state }
      let rows = state.nodes.count + state.gpus.count + state.jobs.count + state.fabric.count
      return (Outcome(source: feed.name, error: nil), rows)
    } catch {
      let message = "\(error)"
      logger.warning("source \(feed.name) failed: \(message)")
      health.lastError = message
      health.pollDurationS = (ContinuousClock.now - started) / .seconds(1)
      try? cache.recordFailure(health)
      return (Outcome(source: feed.name, error: message), nil)
    }
  }

  /// Appends the KPIs of everything known (each source's last good answer) to the series, and
  /// applies it to the incident log.
  private func recordSeries(at now: Date) {
    let merged = latest.withLock { Self.merge($0) }
    guard !merged.isEmpty else { return }
    do {
      try cache.append(points(of: merged, at: now), now: now)
    } catch {
      logger.error("cannot write series to the cache: \(error)")
    }
    recordIncidents(merged, at: now)
  }

  /// Applies `state` to the incident log and writes what changed; never a moment before the
  /// last one applied. A stopped job's checkpoints are read from its activity series.
  func recordIncidents(_ state: FleetState, at now: Date) {
    incidentLog.withLock { kept in
      do {
        let recorded = try cache.incidentsRecorded()
        // The cache keeps whole seconds.
        let mine = kept.flatMap {
          Int($0.writtenAt.timeIntervalSince1970)
            == recorded.map { Int($0.last.timeIntervalSince1970) } ? $0.log : nil
        }
        let before = try mine ?? cache.incidentLog()
        if let last = before.marks.recordedAt, now <= last { return }
        var log = before
        let cache = cache
        log.record(
          state, at: now, prices: rules.prices.at(now), rules: rules.incidents
        ) { job in
          let since = now.addingTimeInterval(-6 * 3_600)
          let points = try? cache.series(
            .utilMeanPct, of: .job(job), resolution: .minute, since: since)
          return (points ?? []).map { ($0.time, $0.mean) }
        }
        try cache.saveIncidents(
          log, replacing: before,
          adding: log.costAdded(since: before, at: now, rules: rules.incidents), at: now,
          keepS: rules.incidents.keepS)
        // Closed incidents never change again: the next step needs only the open ones.
        kept = (IncidentLog(log.incidents.filter(\.isOpen), marks: log.marks), now)
      } catch {
        kept = nil
        logger.error("cannot record incidents: \(error)")
      }
    }
  }

  /// Runs the savings finder over what the cache holds and applies its verdicts to the ledger,
  /// at most once a ledger step (a cron's `poll --once` every minute does not run it every
  /// minute), and never for a moment before the last one applied.
  func recordLedgerIfDue(at now: Date) {
    let ledgerRules = rules.savings.ledger
    ledgerTurn.withLock { _ in
      do {
        if let last = try cache.ledgerRecordedAt(),
          now.timeIntervalSince(last) < ledgerRules.stepS
        {
          return
        }
        let state = try cache.fleetState()
        guard !state.isEmpty else { return }
        var ledger = try cache.ledger()
        ledger.record(
          findings(in: state, at: now, history: try cache.history(of: state, now: now)),
          at: now, rules: ledgerRules)
        try cache.replaceLedger(ledger, recordedAt: now)
      } catch {
        logger.error("cannot record the savings ledger: \(error)")
      }
    }
  }

  /// What the savings finder raises on `state` at `now`.
  private func findings(in state: FleetState, at now: Date, history: FleetHistory)
    -> [Opportunity]
  {
    SavingsFinder.find(
      SavingsContext(
        state: rules.prices.repricing(state, at: now), prices: rules.prices.at(now), now: now,
        history: history),
      rules: rules.savings
    ).opportunities
  }

  /// Whether the backfill replays its window into a fresh ledger: only when every feed answers
  /// for the past, as a partial past fleet would raise findings that seem to vanish at `now`,
  /// savings that never happened.
  private var replaysLedger: Bool { feeds.allSatisfy(\.answersForThePast) }

  /// How far apart the replayed verdicts are over a backfilled window: 48 of them at most (half
  /// an hour apart over a day; hourly ones would all land on the same minute of hourly
  /// checkpoints and miss what those hide), and never closer than a ledger step.
  private func replaySpacing(windowS: Double) -> Double {
    max(rules.savings.ledger.stepS, windowS / 48)
  }

  /// Gives a ledger that has found nothing yet the verdicts the finder would have reached at
  /// `states` (the backfill's, a replay spacing apart), then the one at `now`: the ledger has a
  /// day behind it from the first minute.
  private func replayLedger(_ states: [(time: Date, state: FleetState)], until now: Date) {
    let ledgerRules = rules.savings.ledger
    ledgerTurn.withLock { _ in
      do {
        guard try cache.ledger().entries.allSatisfy({ $0.status == .pending }) else { return }
        var ledger = SavingsLedger()
        for (time, state) in states {
          guard !Task.isCancelled else { return }
          ledger.record(
            findings(in: state, at: time, history: FleetHistory()), at: time,
            rules: ledgerRules)
        }
        let current = try cache.fleetState()
        ledger.record(
          findings(in: current, at: now, history: try cache.history(of: current, now: now)),
          at: now, rules: ledgerRules)
        try cache.replaceLedger(ledger, recordedAt: now)
      } catch {
        logger.error("cannot replay the savings ledger over the backfilled history: \(error)")
      }
    }
  }

  /// The KPIs of `state` at `time`, priced as the book stands then (scheduled prices that have
  /// come, reservation terms that have ended).
  private func points(of state: FleetState, at time: Date) -> [KPIPoint] {
    KPI.points(of: rules.prices.repricing(state, at: time), prices: rules.prices.at(time), at: time)
  }

  /// The sources' states as one fleet.
  static func merge(_ states: [String: FleetState]) -> FleetState {
    FleetState(joining: states)
  }

  /// Gives a cache with no history before `now` the last `windowS` of it, from the feeds that can
  /// answer for the past, so utilization graphs and the day-shaped savings detectors work from
  /// the first minute. Does nothing when the cache already has history, or no feed can look back.
  /// Steps are 5 minutes (the cockpit's graph resolution) up to 16,384 GPUs, and grow beyond so
  /// the work stays near five million GPU readings; the fleet's size is what the last poll saw,
  /// so poll first.
  public func backfill(before now: Date, windowS: Double = FleetHistory.windowS) async {
    let feeds = feeds.filter(\.answersForThePast)
    let start = now.addingTimeInterval(-windowS)
    let existing = try? cache.series(.utilMeanPct, of: .fleet, resolution: .minute, since: start)
    // Minute rollups start at their minute: a poll just before `now` sits up to a minute back.
    let earlier = now.addingTimeInterval(-120)
    guard !feeds.isEmpty, let existing, !existing.contains(where: { $0.time < earlier }) else {
      return
    }
    let gpus = latest.withLock { $0.values.reduce(0) { $0 + $1.gpus.count } }
    let steps = min(288, max(24, 5_000_000 / Double(max(1, gpus))))
    let stepS = (windowS / steps / 300).rounded(.up) * 300
    // Each feed answers for the whole window at once; their answers meet at the step they
    // fall in.
    var byStep: [Int: [String: FleetState]] = [:]
    for feed in feeds {
      guard let states = try? await feed.history(from: start, to: now, stepS: stepS) else {
        continue
      }
      for (time, state) in states {
        let step = Int((time.timeIntervalSince(start) / stepS).rounded())
        byStep[step, default: [:]][feed.name] = state
      }
    }
    var points: [KPIPoint] = []
    // The few states the ledger's replay judges; the rest go once their points are made.
    var replayed: [(time: Date, state: FleetState)] = []
    // Every state goes through a fresh incident log, when the cache's began with this run.
    let incidentsBegan = (try? cache.incidentsRecorded())?.first ?? now
    var incidents =
      replaysLedger && incidentsBegan >= now.addingTimeInterval(-1) ? IncidentLog() : nil
    let spacing = replaySpacing(windowS: windowS)
    for step in byStep.keys.sorted() where !Task.isCancelled {
      let time = start.addingTimeInterval(Double(step) * stepS)
      guard time < now else { continue }
      let state = Self.merge(byStep[step]!)
      points += self.points(of: state, at: time)
      incidents?.record(
        state, at: time, prices: rules.prices.at(time), rules: rules.incidents)
      if replaysLedger,
        replayed.last.map({ time.timeIntervalSince($0.time) >= spacing }) ?? true
      {
        replayed.append((time, state))
      }
    }
    guard !Task.isCancelled else { return }
    do {
      try cache.append(points, now: now)
      logger.info("backfilled \(Int(windowS / 3_600)) h of history at \(Int(stepS / 60)) min steps")
    } catch {
      logger.error("cannot write the backfilled history to the cache: \(error)")
      return
    }
    if replaysLedger { replayLedger(replayed, until: now) }
    if let incidents { replayIncidents(incidents, since: start, begun: now) }
  }

  /// Gives an incident log that began at `begun` (this run's start) the incidents `replayed`
  /// found over the backfilled window, then applies the fleet as it is now: the log has a day
  /// behind it from the first minute. A log another process began earlier is left as it is.
  private func replayIncidents(_ replayed: IncidentLog, since start: Date, begun: Date) {
    let now = Date()
    let current = latest.withLock { Self.merge($0) }
    incidentLog.withLock { kept in
      do {
        if let first = try cache.incidentsRecorded()?.first, first < begun.addingTimeInterval(-1) {
          return
        }
        var log = replayed
        log.record(current, at: now, prices: rules.prices.at(now), rules: rules.incidents)
        try cache.replaceIncidents(log, since: start, at: now, rules: rules.incidents)
        kept = nil
      } catch {
        logger.error("cannot replay incidents over the backfilled history: \(error)")
      }
    }
  }
}
