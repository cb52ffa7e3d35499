/// Bad input from a file or a source, with where it was: scripts and people both need the file,
/// the line and the column to fix it.
public struct InputError: Error, CustomStringConvertible, Equatable {
  public let source: String
  public let line: Int?
  public let column: String?
  public let message: String

  public init(source: String, line: Int? = nil, column: String? = nil, message: String) {
    self.source = source
    self.line = line
    self.column = column
    self.message = message
  }

  public var description: String {
    var location = source
    if let line { location += " line \(line)" }
    if let column { location += " column \(column)" }
    return "\(location): \(message)"
  }
}
