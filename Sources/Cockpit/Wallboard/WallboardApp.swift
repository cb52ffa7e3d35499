import Foundation
import TerminalKit

/// The wallboard's loop: draw when the model or the second changed, and read keys only to throw
/// them away. No key reaches a prompt, a filter, a command line or an action, because this loop
/// has no path from a key to anything, and the backend it is given locks the terminal's
/// control keys (`CursesBackend(lockedKeys:)`); Ctrl-C arrives as SIGINT, through `shouldStop`.
public final class WallboardApp {
  private let backend: any TerminalBackend
  private let screen: (CockpitModel?) -> WallboardScreen
  private let latest: () -> LoadedModel?
  private let shouldStop: () -> Bool
  private let clock: () -> Date

  public init(
    backend: any TerminalBackend, screen: @escaping (CockpitModel?) -> WallboardScreen,
    latest: @escaping () -> LoadedModel?, shouldStop: @escaping () -> Bool,
    clock: @escaping () -> Date = Date.init
  ) {
    self.backend = backend
    self.screen = screen
    self.latest = latest
    self.shouldStop = shouldStop
    self.clock = clock
  }

  public func run() {
    var sender = FrameSender(backend: backend)
    var shown: (version: Int, second: Int)?
    while !shouldStop() {
      let now = clock()
      let loaded = latest()
      let current = (loaded?.version ?? 0, Int(now.timeIntervalSince1970))
      if sender.needsFrame || shown.map({ $0 != current }) ?? true {
        shown = current
        let size = backend.size
        sender.send(screen(loaded?.model).render(width: size.width, height: size.height, now: now))
      }
      if backend.readEvent(timeoutMs: 100) == .resize { sender.invalidate() }
    }
  }
}
