import Foundation

/// One table of a snapshot view, with typed cells so every format writes numbers as numbers,
/// unknown as empty (CSV) or `N/A` (Markdown), and text as text.
public struct ExportTable: Sendable, Equatable {
  public enum Cell: Sendable, Equatable {
    case text(String)
    case number(Double)
    case integer(Int)
    /// Money from a bill, exact.
    case decimal(Decimal)
    case time(Date)
    case unknown

    /// `value` as a number cell, or unknown.
    static func number(_ value: Double?) -> Cell { value.map(Cell.number) ?? .unknown }
    static func integer(_ value: Int?) -> Cell { value.map(Cell.integer) ?? .unknown }
    /// `value` as a text cell, or unknown.
    static func text(_ value: String?) -> Cell { value.map(Cell.text) ?? .unknown }
    static func time(_ value: Date?) -> Cell { value.map(Cell.time) ?? .unknown }

    /// The cell as plain text: numbers unformatted (no separators, `.` decimals), times in
    /// ISO-8601 UTC, unknown as the empty string.
    public var plain: String {
      switch self {
      case .text(let text): text
      case .number(let value): Self.plain(value)
      case .integer(let value): String(value)
      case .decimal(let value): "\(value)"
      case .time(let date): date.formatted(.iso8601)
      case .unknown: ""
      }
    }

    /// Shortest round-tripping form, without exponent for everyday magnitudes.
    static func plain(_ value: Double) -> String {
      if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
      return "\(value)"
    }
  }

  public let name: String
  public let columns: [String]
  public let rows: [[Cell]]

  public init(name: String, columns: [String], rows: [[Cell]]) {
    self.name = name
    self.columns = columns
    self.rows = rows
  }
}
