import ArgumentParser
import Cockpit
import Config
import Foundation
import StateCache
import TerminalKit

struct WallboardCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "wallboard",
    abstract: "Show a read-only, input-locked wallboard that rotates through views.",
    discussion: """
      Reads the cache that a `factop poll` beside it writes; it never polls or writes itself.
      Every key is ignored; Ctrl-C or SIGTERM ends it.
      """)

  @OptionGroup var global: GlobalOptions

  @Option(help: "Seconds each view stays on screen.")
  var rotate = 15

  @Option(
    help: ArgumentHelp(
      "The views to rotate through, comma-separated (\(CockpitView.wallboardViews)).",
      valueName: "views"))
  var views = "overview,power,cost,savings"

  @Option(help: "Theme name (factop theme list) or path to a .theme file.")
  var theme: String?

  @Flag(help: "Draw with ASCII only (the default when the locale is not UTF-8).")
  var ascii = false

  func validate() throws {
    guard rotate >= 1 else { throw ValidationError("--rotate must be at least 1 second") }
    _ = try shownViews()
  }

  func shownViews() throws -> [CockpitView] {
    try views.split(separator: ",").map { name in
      let name = name.trimmingCharacters(in: .whitespaces).lowercased()
      guard let view = CockpitView(rawValue: name), view != .help else {
        throw ValidationError(
          "unknown view \"\(name)\" in --views (views: \(CockpitView.wallboardViews))")
      }
      return view
    }
  }

  func run() throws {
    try TerminalScreen.requireTerminal(for: "wallboard")
    let settings = try Settings.resolve(global)
    let loadedTheme = try TerminalScreen.theme(theme, settings)
    let loader = try TerminalScreen.starting {
      ModelLoader(
        cache: try StateCache.openReadOnly(path: settings.dbPath), rules: settings.fleetRules,
        origin: settings.dbPath)
    }
    SignalTrap.install()
    loader.start()
    defer { loader.stop() }
    let backend = try TerminalScreen.starting { try CursesBackend(ascii: ascii, lockedKeys: true) }
    defer { backend.shutdown() }
    let views = try shownViews()
    let rotate = rotate
    WallboardApp(
      backend: backend,
      screen: { model in
        WallboardScreen(
          model: model, theme: loadedTheme, views: views, rotateS: rotate, origin: "shared cache")
      },
      latest: { loader.loaded }, shouldStop: { SignalTrap.received != nil }
    ).run()
  }
}

extension CockpitView {
  /// The views a wallboard can show, for help and errors.
  static var wallboardViews: String {
    allCases.filter { $0 != .help }.map(\.rawValue).joined(separator: ",")
  }
}
