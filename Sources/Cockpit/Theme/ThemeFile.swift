import Foundation
import TerminalKit
import Themes

/// Why a theme could not be loaded; names the file and the line.
public struct ThemeError: Error, CustomStringConvertible, Equatable {
  public let source: String
  public let line: Int?
  public let message: String

  public init(source: String, line: Int?, message: String) {
    self.source = source
    self.line = line
    self.message = message
  }

  public var description: String {
    "theme \(source)\(line.map { " line \($0)" } ?? ""): \(message)"
  }
}

extension Theme {
  /// Parses a theme file (`theme[key]="value"` lines, `#` comments). Keys it leaves out come
  /// from `base`, so a user theme can change only what it cares about.
  public static func parse(_ text: String, name: String, source: String, base: Theme? = nil)
    throws(ThemeError) -> Theme
  {
    let (theme, problems) = read(text, name: name, source: source, base: base)
    if let first = problems.first { throw first }
    return theme!
  }

  /// Every problem of a theme file, in line order (what `factop theme validate` reports).
  public static func problems(in text: String, source: String) -> [ThemeError] {
    read(text, name: source, source: source, base: nil).problems
  }

  private static func read(_ text: String, name: String, source: String, base: Theme?)
    -> (theme: Theme?, problems: [ThemeError])
  {
    var problems: [ThemeError] = []
    var colors = Dictionary(
      uniqueKeysWithValues: Role.allCases.compactMap { role in
        base.map { (role, $0.color(role)) }
      })
    for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") { continue }
      guard line.hasPrefix("theme["), let close = line.firstIndex(of: "]"),
        let equals = line[close...].firstIndex(of: "=")
      else {
        problems.append(
          ThemeError(source: source, line: number + 1, message: "expected theme[key]=\"value\""))
        continue
      }
      let key = String(line[line.index(line.startIndex, offsetBy: 6)..<close])
      let value = line[line.index(after: equals)...].trimmingCharacters(
        in: CharacterSet(charactersIn: "\" "))
      guard let role = Role(rawValue: key) else {
        problems.append(
          ThemeError(
            source: source, line: number + 1,
            message:
              "unknown key \(key) (known: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))"
          ))
        continue
      }
      guard let color = Color(hex: value) else {
        problems.append(
          ThemeError(
            source: source, line: number + 1,
            message: "\(key) is \"\(value)\"; expected #rrggbb, 0…255 or \"\""))
        continue
      }
      colors[role] = color
    }
    let missing = Role.allCases.filter { colors[$0] == nil }
    if !missing.isEmpty {
      problems.append(
        ThemeError(
          source: source, line: nil,
          message: "missing \(missing.map(\.rawValue).joined(separator: ", "))"))
    }
    return (problems.isEmpty ? Theme(name: name, colors: colors) : nil, problems)
  }

  /// The bundled default theme; every other theme falls back to it key by key.
  public static func bundledDefault() throws(ThemeError) -> Theme {
    guard let text = BundledThemes.text(named: "default") else {
      throw ThemeError(source: "default", line: nil, message: "not bundled with this build")
    }
    return try parse(text, name: "default", source: "default.theme")
  }

  /// Loads a theme by name or path: a path (containing `/`) is read as is; a name is looked up
  /// in `userDirectory` first, then among the bundled themes.
  public static func load(_ nameOrPath: String, userDirectory: String?) throws(ThemeError) -> Theme
  {
    let base = try bundledDefault()
    if nameOrPath.contains("/") {
      return try parse(try read(nameOrPath), name: nameOrPath, source: nameOrPath, base: base)
    }
    if let userDirectory {
      let path = "\(userDirectory)/\(nameOrPath).theme"
      if FileManager.default.fileExists(atPath: path) {
        return try parse(try read(path), name: nameOrPath, source: path, base: base)
      }
    }
    guard let text = BundledThemes.text(named: nameOrPath) else {
      throw ThemeError(
        source: nameOrPath, line: nil,
        message: "no such theme (bundled: \(BundledThemes.names.joined(separator: ", ")))")
    }
    return try parse(text, name: nameOrPath, source: "\(nameOrPath).theme", base: base)
  }

  public static func read(_ path: String) throws(ThemeError) -> String {
    do {
      return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw ThemeError(
        source: path, line: nil, message: "cannot read it: \(error.localizedDescription)")
    }
  }
}
