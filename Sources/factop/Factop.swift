import ArgumentParser
import Exports
import Foundation
import Logging
import StateCache
import UntrustedText

@main
struct Factop: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "factop",
    abstract: "A terminal cockpit for AI factories: GPU fleets, their power and their money.",
    discussion: """
      With no subcommand, factop opens the cockpit on the built-in demo fleet and keeps it live.
      Exit codes: 0 ok, 1 ran but found a problem worth alerting on, 2 usage or input error.
      """,
    version: FactopVersion.current,
    subcommands: [
      CockpitCommand.self, SnapshotCommand.self, SavingsCommand.self, IncidentsCommand.self,
      ProjectCommand.self,
      PollCommand.self, WallboardCommand.self, ImportCommand.self, ThemeCommand.self,
      ModelCommand.self, SourcesCommand.self, AlertsCommand.self, ConfigCommand.self,
    ],
    defaultSubcommand: CockpitCommand.self)

  /// Runs the command line, with usage errors exiting 2 (ArgumentParser's default is 64).
  static func main() async {
    LoggingSystem.bootstrap { InertLogHandler(inner: StreamLogHandler.standardError(label: $0)) }
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch let attention as NeedsAttention {
      attention.reasons.forEach(printError)
      Foundation.exit(1)
    } catch let error as CacheError {
      // Found while reading, after the command opened the cache: the file, not the command.
      printError(error.description)
      Foundation.exit(ExitStatus.usage.rawValue)
    } catch {
      let code = exitCode(for: error)
      // --help and --version print to standard output and end well.
      if code == .success { exit(withError: error) }
      // Errors quote files, sources and servers: written through InertText, made inert.
      InertText.standardError.write(fullMessage(for: error) + "\n")
      Foundation.exit(code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
    }
  }
}

/// Exit codes scripts rely on. Exit 1 has no code here: it is `NeedsAttention`, which cannot
/// be thrown without saying why.
enum ExitStatus {
  static let usage = ExitCode(2)
}

/// Exit 1: the command ran, but something deserves attention; each reason is printed on
/// standard error, so a cron mail or a script's log says what.
struct NeedsAttention: Error {
  let reasons: [String]

  init(_ reasons: [String]) {
    precondition(!reasons.isEmpty, "exit 1 names what deserves attention")
    self.reasons = reasons
  }

  init(_ reason: String) { self.init([reason]) }
}

/// Prints `message` to standard error, prefixed with the program name.
func printError(_ message: String) {
  var stderr = InertText.standardError
  print("factop: \(message)", to: &stderr)
}

/// Prints text people read (a table, a summary) to standard output, each line made inert.
func printText(_ text: String) {
  var stdout = InertText.standardOutput
  print(text, to: &stdout)
}

/// Standard output or error as text for a terminal. What factop writes there quotes what other
/// people wrote (a job's name in a savings title, a server's error text, a file's contents), so
/// each line is made inert on its way out. JSON does not come this way: it escapes every control.
struct InertText: TextOutputStream {
  static var standardOutput: InertText { InertText(handle: .standardOutput) }
  static var standardError: InertText { InertText(handle: .standardError) }

  let handle: FileHandle

  func write(_ string: String) {
    let lines = string.split(separator: "\n", omittingEmptySubsequences: false)
    let inert = lines.map { UntrustedText.inert(String($0)) }.joined(separator: "\n")
    handle.write(Data(inert.utf8))
  }
}

/// The log, through standard error like every other message: each message and its metadata
/// made inert, as a source's error can carry what its server sent.
struct InertLogHandler: LogHandler {
  var inner: StreamLogHandler

  var logLevel: Logger.Level {
    get { inner.logLevel }
    set { inner.logLevel = newValue }
  }
  var metadata: Logger.Metadata {
    get { inner.metadata }
    set { inner.metadata = newValue }
  }
  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { inner[metadataKey: key] }
    set { inner[metadataKey: key] = newValue }
  }

  func log(event: LogEvent) {
    var event = event
    event.message = "\(UntrustedText.inert(event.message.description))"
    event.metadata = event.metadata?.mapValues { .string(UntrustedText.inert($0.description)) }
    inner.log(event: event)
  }
}
