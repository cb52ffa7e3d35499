import Cockpit
import Config
import Foundation
import TerminalKit

#if canImport(Glibc)
  import Glibc
#endif

/// What the cockpit and the wallboard share before they take over the terminal: a terminal to
/// draw on, and every failure to start reported as a usage error (exit 2) that says why.
enum TerminalScreen {
  /// Fails unless standard input and output are a terminal, pointing scripts to the snapshot.
  static func requireTerminal(for what: String) throws {
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
      printError("the \(what) needs a terminal; for scripts use `factop snapshot --format json`")
      throw ExitStatus.usage
    }
    // A dumb terminal cannot move the cursor: a screen drawn on it is a smear of lines.
    let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
    guard !term.isEmpty, term != "dumb" else {
      printError(
        "the \(what) needs a terminal that can move the cursor, and "
          + (term.isEmpty ? "TERM is not set; " : "TERM=\(term) cannot; ")
          + "set TERM (xterm-256color, screen, tmux-256color) or use `factop snapshot`")
      throw ExitStatus.usage
    }
  }

  /// Runs `step`, turning any error into a message and exit status 2.
  static func starting<T>(_ step: () throws -> T) throws -> T {
    do {
      return try step()
    } catch {
      printError("\(error)")
      throw ExitStatus.usage
    }
  }

  /// The theme named on the command line, or else in the config.
  static func theme(_ name: String?, _ settings: Settings) throws -> Theme {
    try starting { try Theme.load(name ?? settings.theme, userDirectory: settings.themeDirectory) }
  }
}
