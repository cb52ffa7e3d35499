import ArgumentParser
import Exports
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The one output format of commands whose contract is JSON only.
enum JSONFormat: String, ExpressibleByArgument, CaseIterable {
  case json
}

/// Reports people read as a table and scripts as JSON.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
  case json, table

  func print<T: Encodable>(_ report: T, table: (T) -> String) throws {
    switch self {
    case .json: try printJSON(report)
    case .table: printText(table(report))
    }
  }
}

/// Prints a report as JSON on standard output: pretty on a terminal, compact for scripts.
func printJSON<T: Encodable>(_ value: T) throws {
  var output = try JSONOutput.encode(value, pretty: isTerminal)
  output.append(0x0A)
  FileHandle.standardOutput.write(output)
}

/// `text` padded with spaces to `width` columns, on the right (or the left, for numbers).
func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
  let fill = String(repeating: " ", count: max(0, width - text.count))
  return right ? fill + text : text + fill
}

/// Whether standard output is a terminal (people get pretty JSON; scripts compact).
var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

/// Where a command's output goes.
enum Output {
  /// Writes `text` to standard output, or to `path`: through a temporary file beside it,
  /// created with mode 0600 and renamed over the target, so a reader never sees half a file and
  /// nobody else can read it.
  static func write(_ text: String, to path: String?) throws {
    guard let path else {
      FileHandle.standardOutput.write(Data(text.utf8))
      return
    }
    let target = URL(fileURLWithPath: path)
    let temporary = target.deletingLastPathComponent().appendingPathComponent(
      ".\(target.lastPathComponent).\(getpid()).tmp")
    // Created 0600 from the start: never readable by others, not even for a moment.
    let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o600)
    guard fd >= 0 else {
      printError("cannot write \(path): \(String(cString: strerror(errno)))")
      throw ExitStatus.usage
    }
    let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    do {
      try handle.write(contentsOf: Data(text.utf8))
      try handle.synchronize()
      try handle.close()
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      printError("cannot write \(path): \(error.localizedDescription)")
      throw ExitStatus.usage
    }
    guard rename(temporary.path, target.path) == 0 else {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(at: temporary)
      printError("cannot write \(path): \(reason)")
      throw ExitStatus.usage
    }
  }
}
