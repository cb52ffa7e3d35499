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
    let observability = try Observability.start(settings)
    defer { observability?.stopWaiting() }
    SignalTrap.install()
    let backend = try TerminalScreen.starting { try CursesBackend(ascii: ascii) }
    // The first frame comes at once, saying what it waits for; the cache is opened (and, owned,
    // checked: seconds at 131,072 GPUs) behind it.
    session.start(settings: settings)
    CockpitApp(
      backend: backend, theme: loadedTheme,
      loadTheme: { try Theme.load($0, userDirectory: settings.themeDirectory) },
      actions: .cockpit, origin: session.origin, latest: { session.loaded },
      shouldStop: { SignalTrap.received != nil || session.failure != nil }
    ).run()
    backend.shutdown()
    session.stop()
    if let failure = session.failure {
      printError("\(failure)")
      throw ExitStatus.usage
    }
  }
}

/// The cache, the background poller (when this process owns the cache) and the model loader
/// behind one cockpit.
final class CockpitSession: Sendable {
  let origin: String
  private let lock: PollLock?
  /// The loader once the cache is open, or why it could not be.
  private let opened = Mutex<Result<ModelLoader, any Error>?>(nil)
  private let stopping = Atomic<Bool>(false)
  private let startFinished = DispatchSemaphore(value: 0)
  private let pollerStarted = Atomic<Bool>(false)
  private let pollerFinished = DispatchSemaphore(value: 0)

  /// Takes the poll lock if no other poller holds it; fast, so it happens before the screen.
  init(settings: Settings) throws {
    lock = try PollLock.acquire(forCacheAt: settings.dbPath)
    // Another poller writes the cache otherwise; this cockpit only reads what it writes.
    origin = lock != nil ? settings.origin : "shared cache"
  }

  /// Opens the cache and starts the loader and, owning the cache, the poller, off the UI
  /// thread.
  func start(settings: Settings) {
    Thread { [self] in
      defer { startFinished.signal() }
      do {
        let cache =
          lock != nil
          ? try CacheAccess.openForPolling(settings.dbPath)
          : try StateCache.openReadOnly(path: settings.dbPath)
        guard !stopping.load(ordering: .relaxed) else { return }
        let loader = ModelLoader(cache: cache, rules: settings.fleetRules, origin: origin)
        loader.start()
        opened.withLock { $0 = .success(loader) }
        if lock != nil {
          var logger = Logger(label: "factop.poll")
          logger.logLevel = .critical  // the screen is the log while the cockpit runs
          let poller = settings.poller(cache: cache, logger: logger)
          let interval = settings.pollIntervalS
          pollerStarted.store(true, ordering: .relaxed)
          Task.detached { [self] in
            await poller.run(intervalS: interval) { self.stopping.load(ordering: .relaxed) }
            pollerFinished.signal()
          }
        }
      } catch {
        opened.withLock { $0 = .failure(error) }
      }
    }.start()
  }

  /// The newest model, once the cache is open.
  var loaded: LoadedModel? {
    opened.withLock { try? $0?.get() }?.loaded
  }

  /// Why the cache could not be opened, if it could not.
  var failure: (any Error)? {
    opened.withLock { result in
      if case .failure(let error) = result { return error }
      return nil
    }
  }

  /// Stops polling and loading and waits for both, so the process never exits in the middle of
  /// a write to the cache.
  func stop() {
    guard !stopping.exchange(true, ordering: .relaxed) else { return }
    _ = startFinished.wait(timeout: .now() + 10)
    opened.withLock { try? $0?.get() }?.stop()
    if pollerStarted.load(ordering: .relaxed) { _ = pollerFinished.wait(timeout: .now() + 10) }
  }
}
