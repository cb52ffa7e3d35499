import Foundation
import Subprocess

#if canImport(System)
  import System
#else
  import SystemPackage
#endif

/// A command a source runs (`sinfo --json`, `nvidia-smi --query-gpu=…`): its output when it
/// exits 0, else an error that says what it printed. The poller's timeout cancels it, and
/// cancelling kills the process, so a hung command never outlives its poll.
public struct Command: Sendable, Hashable, CustomStringConvertible {
  public let executable: String
  public let arguments: [String]

  public init(_ executable: String, _ arguments: [String] = []) {
    self.executable = executable
    self.arguments = arguments
  }

  public var description: String { ([executable] + arguments).joined(separator: " ") }

  /// The command as an error names it: the program and its first argument, a long query cut
  /// short (`nvidia-smi --query-gpu=… …`), so what went wrong fits on the Sources line.
  var shown: String {
    let program = (executable as NSString).lastPathComponent
    guard let first = arguments.first else { return program }
    let argument = first.firstIndex(of: "=").map { first[...$0] + "…" } ?? Substring(first)
    return "\(program) \(argument)" + (arguments.count > 1 ? " …" : "")
  }

  /// The most output a source may print; beyond it the poll fails rather than eat memory.
  public static let outputLimit = 64 << 20

  public func output() async throws -> String {
    let executable: Executable =
      self.executable.contains("/") ? .path(FilePath(self.executable)) : .name(self.executable)
    let result: ExecutionResult<Void, StringOutput<UTF8>, StringOutput<UTF8>>
    do {
      result = try await run(
        executable, arguments: Arguments(arguments),
        output: .string(limit: Self.outputLimit), error: .string(limit: 64 << 10))
    } catch let error as SubprocessError {
      throw CommandError(command: shown, message: "\(error)")
    }
    guard case .exited(0) = result.terminationStatus else {
      let said = result.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
      throw CommandError(
        command: shown,
        message: "\(result.terminationStatus)" + (said.isEmpty ? "" : ": \(said.suffix(500))"))
    }
    BytesRead.add(result.standardOutput.utf8.count)
    return result.standardOutput
  }
}

/// A command that could not run or did not exit 0.
public struct CommandError: Error, CustomStringConvertible, Equatable {
  public let command: String
  public let message: String
  public var description: String { "\(command): \(message)" }
}
