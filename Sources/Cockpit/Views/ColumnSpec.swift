import Foundation
import TerminalKit

/// One column of a list view, whole: its header and width, the filter field that names it, what
/// it sorts and filters by, and its cell. A view's columns are one list of these, so a column's
/// title, field, key and cell cannot fall out of step as parallel lists kept by index could.
struct ColumnSpec<Row>: Sendable {
  /// What a cell is drawn and a key is made with.
  struct Context {
    let theme: Theme
    let now: Date
  }

  let column: Table.Column
  /// The name `/` filters it by (`util<5`).
  let field: String
  let key: @Sendable (Row, Context) -> SortKey
  let cell: @Sendable (Row, Context) -> Span

  init(
    _ column: Table.Column, field: String, key: @escaping @Sendable (Row, Context) -> SortKey,
    cell: @escaping @Sendable (Row, Context) -> Span
  ) {
    self.column = column
    self.field = field
    self.key = key
    self.cell = cell
  }
}

extension Array {
  /// A list's rows as shown with these columns: those the filter keeps, in the sort's order
  /// (else the source's).
  func visible<Row>(
    _ rows: [Row], filter: FilterQuery?, sort: SortOrder?, context: ColumnSpec<Row>.Context
  ) -> [Row] where Element == ColumnSpec<Row> {
    let fields = map(\.field)
    let kept =
      filter.map { query in
        rows.filter { row in
          query.matches { field in self[fields.firstIndex(of: field) ?? 0].key(row, context) }
        }
      } ?? rows
    return sort?.apply(kept, columns: count) { row, column in self[column].key(row, context) }
      ?? kept
  }
}
