/// A `:` command: `view jobs` (or just `jobs`), `theme light`, `help`, `quit`.
public enum PromptCommand: Sendable, Equatable {
  case show(CockpitView)
  case theme(String)
  case quit

  /// The commands, as the prompt's hint and errors list them.
  static let summary = "view NAME · theme NAME · help · quit"

  public static func parse(_ text: String) throws(PromptError) -> PromptCommand {
    let words = text.split(separator: " ")
    guard let first = words.first else {
      throw PromptError(column: 0, message: "type a command: \(summary)")
    }
    let start = text.distance(from: text.startIndex, to: first.startIndex)
    let argumentColumn =
      words.count > 1
      ? text.distance(from: text.startIndex, to: words[1].startIndex) : start + first.count + 1
    guard words.count <= 2 else {
      let extra = text.distance(from: text.startIndex, to: words[2].startIndex)
      throw PromptError(column: extra, message: "\"\(first)\" takes one word")
    }
    switch first.lowercased() {
    case "q", "quit": return .quit
    case "help": return .show(.help)
    case "view", "v":
      guard words.count == 2 else {
        throw PromptError(column: argumentColumn, message: "which view? \(viewNames)")
      }
      guard let view = view(named: words[1]) else {
        throw PromptError(
          column: argumentColumn, message: "unknown view \"\(words[1])\" (\(viewNames))")
      }
      return .show(view)
    case "theme":
      guard words.count == 2 else {
        throw PromptError(column: argumentColumn, message: "which theme? (factop theme list)")
      }
      return .theme(String(words[1]))
    default:
      if words.count == 1, let view = view(named: first) { return .show(view) }
      throw PromptError(column: start, message: "unknown command \"\(first)\": \(summary)")
    }
  }

  private static var viewNames: String {
    CockpitView.allCases.map(\.rawValue).joined(separator: " ")
  }

  private static func view(named name: Substring) -> CockpitView? {
    CockpitView(rawValue: name.lowercased())
  }
}
