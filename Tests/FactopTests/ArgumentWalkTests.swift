import Foundation
import Testing

/// Every command-line option that takes a number, a choice, a time or a list, found in
/// factop's own description of its commands (`--experimental-dump-help`), given values it must
/// refuse: exit 2 and an error that names the option (and, for a choice, the choices). Options
/// that take a free name or a path (`--db`, `--node`, `--cluster`, a file) are checked where
/// they are used, by the tests of those commands.
@MainActor @Suite struct ArgumentWalkTests {
  /// Value names that stand for free text: anything is a valid name or path.
  static let freeText: Set<String> = [
    "path", "file", "files", "node", "chassis", "pdu", "cluster", "theme",
  ]
  /// `model occupancy` names the file's columns: any name is one.
  static let columnOptions: Set<String> = ["time", "allocated", "total", "pending"]

  @Test func everyTypedOptionRefusesBadValuesByName() throws {
    let folder = temporaryFolder()
    let sweep = folder.appendingPathComponent("sweep.csv")
    try "dataset,network,batch_size,optimizer,power_limit,time_per_epoch,average_power\n"
      .write(to: sweep, atomically: true, encoding: .utf8)
    let occupancy = folder.appendingPathComponent("occupancy.csv")
    try "t,a,n\n2026-01-01T00:00:00Z,1,2\n".write(to: occupancy, atomically: true, encoding: .utf8)
    // What each command needs besides the option under test.
    let required: [String: [String]] = [
      "project": ["--days", "7"],
      "model reliability": ["--gpus", "1024", "--failure-rate", "5"],
      "model powercap": ["--sweep", sweep.path],
      "model occupancy": [occupancy.path, "--time", "t", "--allocated", "a", "--total", "n"],
    ]
    let help = try run(try factopBinary(), ["--experimental-dump-help"])
    let root = try #require(
      (try JSONSerialization.jsonObject(with: help.stdout) as? [String: Any])?["command"]
        as? [String: Any])
    let options = Self.options(of: root, path: [])
    // Where a command reads the cache, a fresh one of its own.
    let readsCache = Set(options.filter { $0.1.name == "db" }.map(\.0))
    var walked = 0
    for (command, option) in options {
      guard let name = option.name, !Self.freeText.contains(option.valueName),
        !(command == "model occupancy" && Self.columnOptions.contains(name))
      else { continue }
      // `at` reads a time, `views` a list, the rest numbers or choices: none of these is one.
      for bad in ["not-a-value", "-5", "1e999"] {
        let db = folder.appendingPathComponent("cache.sqlite").path
        let arguments =
          command.split(separator: " ").map(String.init) + (required[command] ?? [])
          + ["--\(name)=\(bad)"] + (readsCache.contains(command) ? ["--db", db] : [])
        let result = try run(try factopBinary(), arguments)
        let said = "factop \(arguments.joined(separator: " ")): \(result.stderr)"
        #expect(result.status == 2, "\(said)")
        #expect(result.stderr.contains("--\(name)"), "\(said)")
        for value in option.allValues {
          #expect(result.stderr.contains(value), "\(said)")
        }
      }
      walked += 1
    }
    #expect(walked > 20)
    print("argument walk: \(walked) typed options, each refusing three bad values by name")
  }

  struct Option {
    let name: String?
    let valueName: String
    let allValues: [String]
  }

  /// Every option that takes a value, with the command it belongs to (`model pricing`).
  static func options(of command: [String: Any], path: [String]) -> [(String, Option)] {
    let mine = (command["arguments"] as? [[String: Any]] ?? []).compactMap {
      argument -> (String, Option)? in
      guard argument["kind"] as? String == "option" else { return nil }
      let names = (argument["names"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
      return (
        path.joined(separator: " "),
        Option(
          name: names.first { $0.count > 1 }, valueName: argument["valueName"] as? String ?? "",
          allValues: argument["allValues"] as? [String] ?? [])
      )
    }
    let below = (command["subcommands"] as? [[String: Any]] ?? []).flatMap {
      options(of: $0, path: path + [$0["commandName"] as? String ?? ""])
    }
    return mine + below
  }
}
