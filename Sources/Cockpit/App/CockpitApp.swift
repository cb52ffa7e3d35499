import Foundation
import TerminalKit

/// The cockpit's loop: draw when the model or the clock's second changed, send only the changed
/// cells, handle one key, repeat. It never waits on anything but the keyboard, and at most
/// 100 ms at a time, so a signal or a new model shows at once.
public final class CockpitApp {
  private let backend: any TerminalBackend
  private let theme: Theme
  private let actions: ActionRegistry
  private let origin: String
  private let latest: () -> LoadedModel?
  private let shouldStop: () -> Bool
  private let clock: () -> Date

  public init(
    backend: any TerminalBackend, theme: Theme, actions: ActionRegistry, origin: String,
    latest: @escaping () -> LoadedModel?, shouldStop: @escaping () -> Bool,
    clock: @escaping () -> Date = Date.init
  ) {
    self.backend = backend
    self.theme = theme
    self.actions = actions
    self.origin = origin
    self.latest = latest
    self.shouldStop = shouldStop
    self.clock = clock
  }

  /// Runs until the user quits or `shouldStop` says so.
  public func run() {
    var previous: Buffer?
    var shownVersion = -1
    var shownSecond = -1
    while !shouldStop() {
      let now = clock()
      let loaded = latest()
      let second = Int(now.timeIntervalSince1970)
      if previous == nil || (loaded?.version ?? 0) != shownVersion || second != shownSecond {
        shownVersion = loaded?.version ?? 0
        shownSecond = second
        let size = backend.size
        let frame = Screen(model: loaded?.model, theme: theme, actions: actions, origin: origin)
          .render(width: size.width, height: size.height, now: now)
        backend.draw(frame.changes(since: previous))
        previous = frame
      }
      switch backend.readEvent(timeoutMs: 100) {
      case .resize:
        previous = nil
      case .character(let key):
        if actions.action(forKey: String(key))?.command == .quit { return }
      default:
        break
      }
    }
  }
}
