import ArgumentParser
import Cockpit
import Config
import Feeds
import FleetModel
import Foundation
import Logging
import Polling
import StateCache
import Synchronization
import TerminalKit

struct CockpitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cockpit",
    abstract: "Open the cockpit (the default): a live view of the fleet.",
    discussion: """
      Polls the sources in the background unless another poller (`factop poll`) already writes
      the cache, in which case it only reads. Needs a terminal; scripts use `factop snapshot`.
      """)

  @OptionGroup var global: GlobalOptions

  @Option(help: "Theme name (factop theme list) or path to a .theme file.")
  var theme: String?

  @Flag(help: "Draw with ASCII only (the default when the locale is not UTF-8).")
  var ascii = false

  func run() throws {
    try TerminalScreen.requireTerminal(for: "cockpit")
    let settings = try Settings.resolve(global)
    let loadedTheme = try TerminalScreen.theme(theme, settings)
    let session = try TerminalScreen.starting { try CockpitSession(settings: settings) }
    SignalTrap.install()
    defer { session.stop() }
    let backend = try TerminalScreen.starting { try CursesBackend(ascii: ascii) }
    defer { backend.shutdown() }
    CockpitApp(
      backend: backend, theme: loadedTheme,
      loadTheme: { try Theme.load($0, userDirectory: settings.themeDirectory) },
      actions: .cockpit, origin: session.origin,
      latest: { session.loader.loaded }, shouldStop: { SignalTrap.received != nil }
    ).run()
  }
}

/// The cache, the background poller (when this process owns the cache) and the model loader
/// behind one cockpit.
final class CockpitSession: Sendable {
  let loader: ModelLoader
  let origin: String
  private let lock: PollLock?
  private let stopping = Atomic<Bool>(false)
  private let pollerFinished = DispatchSemaphore(value: 0)

  init(settings: Settings) throws {
    lock = try PollLock.acquire(forCacheAt: settings.dbPath)
    let cache: StateCache
    if lock != nil {
      cache = try CacheAccess.openForPolling(settings.dbPath)
      origin = settings.origin
    } else {
      // Another poller writes this cache; we only read what it writes.
      cache = try StateCache.openReadOnly(path: settings.dbPath)
      origin = "shared cache"
    }
    loader = ModelLoader(cache: cache, rules: settings.fleetRules, origin: origin)
    loader.start()
    if lock != nil {
      var logger = Logger(label: "factop.poll")
      logger.logLevel = .critical  // the screen is the log while the cockpit runs
      let poller = settings.poller(cache: cache, logger: logger)
      let interval = settings.pollIntervalS
      Task.detached { [self] in
        await poller.run(intervalS: interval) { self.stopping.load(ordering: .relaxed) }
        pollerFinished.signal()
      }
    }
  }

  /// Stops polling and loading and waits for both, so the process never exits in the middle of
  /// a write to the cache.
  func stop() {
    guard !stopping.exchange(true, ordering: .relaxed) else { return }
    loader.stop()
    if lock != nil { _ = pollerFinished.wait(timeout: .now() + 10) }
  }
}
