import Foundation

/// How a list view is sorted: by which of its columns, and which way. `s` moves to the next
/// column, `S` reverses.
public struct SortOrder: Sendable, Equatable {
  public var column: Int
  public var descending: Bool

  public init(column: Int = 0, descending: Bool = false) {
    self.column = column
    self.descending = descending
  }

  /// `rows` in this order, by the key each column gives a row; unknown values sort last either
  /// way, and ties keep the source order so the list does not jump between frames.
  func apply<Row>(_ rows: [Row], columns: Int, key: (Row, Int) -> SortKey) -> [Row] {
    let column = self.column % max(1, columns)
    return rows.enumerated().sorted { a, b in
      let (x, y) = (key(a.element, column), key(b.element, column))
      if x == y { return a.offset < b.offset }
      if x.isUnknown != y.isUnknown { return y.isUnknown }
      return descending ? y < x : x < y
    }.map(\.element)
  }

  /// A column title with the arrow of the sort it carries.
  func title(_ title: String, column: Int, columns: Int) -> String {
    column == self.column % max(1, columns) ? title + (descending ? "▼" : "▲") : title
  }
}

/// What a row sorts by in one column.
enum SortKey: Comparable {
  case text(String)
  case number(Double?)

  var isUnknown: Bool {
    if case .number(nil) = self { return true }
    return false
  }

  static func < (a: SortKey, b: SortKey) -> Bool {
    switch (a, b) {
    case (.number(let x), .number(let y)): (x ?? .infinity) < (y ?? .infinity)
    case (.text(let x), .text(let y)): x.localizedStandardCompare(y) == .orderedAscending
    case (.number, .text): true
    case (.text, .number): false
    }
  }
}
