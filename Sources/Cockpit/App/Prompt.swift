/// The line at the bottom of the screen where a `/` filter or a `:` command is typed.
public struct Prompt: Sendable, Equatable {
  public enum Kind: String, Sendable {
    case filter = "/"
    case command = ":"
  }

  public var kind: Kind
  public var text: String
  /// What is wrong with the text, shown above it with a caret, until the text changes.
  public var error: PromptError?
  /// The text is the filter already in force, offered as a search box offers its last query:
  /// the first character typed replaces it, Backspace keeps it to edit.
  public var isOffered: Bool

  public init(_ kind: Kind, text: String = "") {
    self.kind = kind
    self.text = text
    self.isOffered = !text.isEmpty
  }
}

/// What is wrong with a filter or a command, and at which column (0-based) of its text.
public struct PromptError: Error, Sendable, Equatable {
  public let column: Int
  public let message: String

  public init(column: Int, message: String) {
    self.column = column
    self.message = message
  }
}
