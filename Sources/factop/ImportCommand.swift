import ArgumentParser
import Feeds
import FleetModel
import Foundation
import StateCache

struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Read a file into the cache: a FOCUS bill.",
    discussion: """
      The file is parsed whole before anything is written: a bad file exits 2 naming the file,
      the line and the column, and the cache keeps what it had. Importing the same file again
      replaces what it brought before.
      """,
    subcommands: [ImportFocusCommand.self])
}

struct ImportFocusCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "focus",
    abstract: "Import a FOCUS 1.0–1.2 billing export (CSV).")

  @OptionGroup var global: GlobalOptions

  @Argument(help: "The FOCUS CSV file.") var file: String

  func run() throws {
    let settings = try Settings.resolve(global)
    let rows = try ImportFile.read(file) { text in try FocusFile.parse(text, source: file) }
    try ImportFile.write(settings) { cache in
      try cache.replaceBilling(rows, from: URL(fileURLWithPath: file).standardizedFileURL.path)
    }
    let summary = BillingSummary(rows)
    print(
      "imported \(rows.count) charges from \(file): \(summary.currency ?? "mixed currencies")"
        + " \(summary.effectiveCost) effective cost, \(summary.byService.count) services")
  }
}

/// The two halves of every import: read and parse the file (exit 2 on anything wrong), then
/// write to the cache in one transaction.
enum ImportFile {
  static func read<T>(_ path: String, parse: (String) throws -> T) throws -> T {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      printError("\(path): cannot read it: \(error.localizedDescription)")
      throw ExitStatus.usage
    }
    do {
      return try parse(text)
    } catch {
      printError("\(error)")
      throw ExitStatus.usage
    }
  }

  static func write(_ settings: Settings, _ body: (StateCache) throws -> Void) throws {
    do {
      try body(try StateCache.open(path: settings.dbPath))
    } catch let error as CacheError {
      printError(error.description)
      throw ExitStatus.usage
    }
  }
}
