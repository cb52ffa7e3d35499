import ArgumentParser
import Config
import Feeds
import Foundation
import Logging
import Polling
import StateCache

struct PollCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "poll",
    abstract: "Poll the sources into the state cache, once or as a daemon.",
    discussion: """
      Only one poller writes a cache: a second one exits 1. Stops cleanly on SIGTERM, SIGINT,
      SIGHUP or SIGQUIT. Logs go to standard error.
      """)

  @OptionGroup var global: GlobalOptions

  @Flag(help: "Poll every source once, then exit (1 if a source failed).") var once = false

  @Option(help: "Seconds between polls (default: poll.interval_s from the config, else 10).")
  var interval: Double?

  func validate() throws {
    if let interval, !(interval >= 1 && interval.isFinite) {
      throw ValidationError("--interval must be at least 1 second (and finite)")
    }
  }

  func run() async throws {
    let settings = try Settings.resolve(global)
    let observability = try Observability.start(settings)
    do {
      try await poll(settings)
    } catch {
      await observability?.stop()
      throw error
    }
    await observability?.stop()
  }

  private func poll(_ settings: Settings) async throws {
    let logger = Logger(label: "factop.poll")
    let cache: StateCache
    let lock: PollLock
    do {
      guard let acquired = try PollLock.acquire(forCacheAt: settings.dbPath) else {
        throw NeedsAttention("another poller is already writing \(settings.dbPath)")
      }
      lock = acquired
      cache = try CacheAccess.openForPolling(settings.dbPath)
    } catch let error as CacheError {
      printError(error.description)
      throw ExitStatus.usage
    }
    let poller = settings.poller(cache: cache, logger: logger)
    if once {
      let failed = await poller.pollOnce(at: Date()).filter { $0.error != nil }
      if !failed.isEmpty {
        throw NeedsAttention(failed.map { "source \($0.source) failed: \($0.error ?? "")" })
      }
      return
    }
    SignalTrap.install()
    let intervalS = interval ?? settings.pollIntervalS
    logger.info(
      "polling \(poller.feeds.count) source(s) every \(intervalS) s into \(settings.dbPath)")
    await poller.run(intervalS: intervalS) { SignalTrap.received != nil }
    logger.info("stopped by signal \(SignalTrap.received ?? 0)")
    withExtendedLifetime(lock) {}
  }
}
