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
    case .table: Swift.print(table(report))
    }
  }
}

/// Prints a report as JSON on standard output: pretty on a terminal, compact for scripts.
func printJSON<T: Encodable>(_ value: T) throws {
  var output = try JSONOutput.encode(value, pretty: isatty(STDOUT_FILENO) == 1)
  output.append(0x0A)
  FileHandle.standardOutput.write(output)
}
