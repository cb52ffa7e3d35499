import ArgumentParser
import Foundation

@main
struct Factop: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "factop",
    abstract: "A terminal cockpit for AI factories: GPU fleets, their power and their money.",
    discussion: """
      With no subcommand, factop opens the cockpit on the built-in demo fleet and keeps it live.
      Exit codes: 0 ok, 1 ran but found a problem worth alerting on, 2 usage or input error.
      """,
    subcommands: [
      CockpitCommand.self, SnapshotCommand.self, SavingsCommand.self, ProjectCommand.self,
      PollCommand.self, WallboardCommand.self, ImportCommand.self, ThemeCommand.self,
      ModelCommand.self, SourcesCommand.self,
    ],
    defaultSubcommand: CockpitCommand.self)

  /// Runs the command line, with usage errors exiting 2 (ArgumentParser's default is 64).
  static func main() async {
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      if exitCode(for: error) == .validationFailure {
        StandardError().write(fullMessage(for: error) + "\n")
        Foundation.exit(ExitStatus.usage.rawValue)
      }
      exit(withError: error)
    }
  }
}

/// Exit codes scripts rely on.
enum ExitStatus {
  static let attention = ExitCode(1)
  static let usage = ExitCode(2)
}

/// Prints `message` to standard error, prefixed with the program name.
func printError(_ message: String) {
  var stderr = StandardError()
  print("factop: \(message)", to: &stderr)
}

struct StandardError: TextOutputStream {
  func write(_ string: String) {
    FileHandle.standardError.write(Data(string.utf8))
  }
}
