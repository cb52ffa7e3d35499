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
    var navigation = Navigation()
    var shownNavigation = navigation
    while !shouldStop() {
      let now = clock()
      let loaded = latest()
      let second = Int(now.timeIntervalSince1970)
      let screen = Screen(
        model: loaded?.model, theme: theme, actions: actions, origin: origin,
        navigation: navigation)
      if previous == nil || (loaded?.version ?? 0) != shownVersion || second != shownSecond
        || navigation != shownNavigation
      {
        shownVersion = loaded?.version ?? 0
        shownSecond = second
        shownNavigation = navigation
        let size = backend.size
        let frame = screen.render(width: size.width, height: size.height, now: now)
        backend.draw(frame.changes(since: previous))
        previous = frame
      }
      guard let event = backend.readEvent(timeoutMs: 100) else { continue }
      if event == .resize {
        previous = nil
        continue
      }
      if navigation.prompt != nil {
        navigation.edit(event, fields: screen.filterFields)
        continue
      }
      guard let key = Navigation.key(for: event), let action = actions.action(forKey: key) else {
        continue
      }
      if action.command == .quit { return }
      navigation.apply(
        action.command, rowCount: screen.rowCount(at: now),
        pageSize: Screen.pageSize(height: backend.size.height))
    }
  }
}
