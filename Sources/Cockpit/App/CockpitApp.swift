import Foundation
import Metrics
import TerminalKit

/// The cockpit's loop: draw when the model, the clock's second or the navigation changed, send
/// only the changed cells, handle one key, repeat. It never waits on anything but the keyboard,
/// and at most 100 ms at a time, so a signal or a new model shows at once.
public final class CockpitApp {
  private let backend: any TerminalBackend
  private var theme: Theme
  private let loadTheme: (String) throws -> Theme
  private let actions: ActionRegistry
  private let origin: String
  private let latest: () -> LoadedModel?
  private let shouldStop: () -> Bool
  private let clock: () -> Date

  /// `loadTheme` finds a theme by name for `:theme NAME`.
  public init(
    backend: any TerminalBackend, theme: Theme,
    loadTheme: @escaping (String) throws -> Theme = { try Theme.load($0, userDirectory: nil) },
    actions: ActionRegistry, origin: String, latest: @escaping () -> LoadedModel?,
    shouldStop: @escaping () -> Bool, clock: @escaping () -> Date = Date.init
  ) {
    self.backend = backend
    self.theme = theme
    self.loadTheme = loadTheme
    self.actions = actions
    self.origin = origin
    self.latest = latest
    self.shouldStop = shouldStop
    self.clock = clock
  }

  /// Runs until the user quits or `shouldStop` says so.
  public func run() {
    var sender = FrameSender(backend: backend)
    let frameTime = Timer(label: "factop_frame_duration", preferredDisplayUnit: .seconds)
    var shown: (version: Int, second: Int, navigation: Navigation, theme: String)?
    var navigation = Navigation()
    while !shouldStop() {
      let now = clock()
      let loaded = latest()
      let screen = Screen(
        model: loaded?.model, theme: theme, actions: actions, origin: origin,
        navigation: navigation)
      let current = (loaded?.version ?? 0, Int(now.timeIntervalSince1970), navigation, theme.name)
      if sender.needsFrame || shown.map({ $0 != current }) ?? true {
        shown = current
        let size = backend.size
        let started = ContinuousClock.now
        sender.send(screen.render(width: size.width, height: size.height, now: now))
        // Drawn and sent: what an OTLP collector sees as the cockpit's frame time (a no-op
        // unless `[otel] endpoint` bootstrapped one).
        frameTime.recordSeconds((ContinuousClock.now - started) / .seconds(1))
      }
      guard let event = backend.readEvent(timeoutMs: 100) else { continue }
      if event == .resize {
        sender.invalidate()
        continue
      }
      if navigation.prompt != nil {
        switch navigation.edit(event, fields: screen.filterFields) {
        case .quit: return
        case .theme(let name): switchTheme(to: name, &navigation)
        case .show, nil: break
        }
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

  /// Loads and shows a theme; when it cannot be loaded, the command line opens again with the
  /// reason under the name.
  private func switchTheme(to name: String, _ navigation: inout Navigation) {
    do {
      theme = try loadTheme(name)
    } catch {
      var prompt = Prompt(.command, text: "theme \(name)")
      prompt.error = PromptError(column: 6, message: "\(error)")
      navigation.prompt = prompt
    }
  }
}
