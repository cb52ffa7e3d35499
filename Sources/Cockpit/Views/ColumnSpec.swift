import Foundation
import TerminalKit

/// One column of a table, whole: its header and width, its cell, and (in a list `/` filters and
/// `s` sorts) the field that names it and the key it sorts by. A table's columns are one list of
/// these, so a column's title, field, key and cell cannot fall out of step as parallel lists kept
/// by index could.
struct ColumnSpec<Row>: Sendable {
  /// What a cell is drawn and a key is made with.
  struct Context {
    let theme: Theme
    let now: Date
  }

  /// How `/` names the column and what `/` and `s` compare.
  struct Order: Sendable {
    /// The name `/` filters it by (`util<5`).
    let field: String
    let key: @Sendable (Row, Context) -> SortKey
  }

  let column: Table.Column
  /// Nil in a table whose order is its meaning (the power tree, a panel's top few).
  let order: Order?
  let cell: @Sendable (Row, Context) -> Span

  /// A column of a list the user filters and sorts.
  init(
    _ column: Table.Column, field: String, key: @escaping @Sendable (Row, Context) -> SortKey,
    cell: @escaping @Sendable (Row, Context) -> Span
  ) {
    self.column = column
    self.order = Order(field: field, key: key)
    self.cell = cell
  }

  /// A column shown in the order its rows come in.
  init(_ column: Table.Column, cell: @escaping @Sendable (Row, Context) -> Span) {
    self.column = column
    self.order = nil
    self.cell = cell
  }
}

extension Array {
  /// The names `/` filters these columns by, in column order.
  func fields<Row>() -> [String] where Element == ColumnSpec<Row> {
    compactMap(\.order?.field)
  }

  /// A list's rows as shown with these columns: those the filter keeps, in the sort's order
  /// (else the source's).
  func visible<Row>(
    _ rows: [Row], filter: FilterQuery?, sort: SortOrder?, context: ColumnSpec<Row>.Context
  ) -> [Row] where Element == ColumnSpec<Row> {
    func key(_ row: Row, _ order: ColumnSpec<Row>.Order?) -> SortKey {
      order?.key(row, context) ?? .text("")
    }
    let kept =
      filter.map { query in
        rows.filter { row in
          query.matches { field in key(row, first { $0.order?.field == field }?.order) }
        }
      } ?? rows
    return sort?.apply(kept, columns: count) { row, column in key(row, self[column].order) }
      ?? kept
  }

  /// The cells of one row.
  func cells<Row>(_ row: Row, _ context: ColumnSpec<Row>.Context) -> [Span]
  where Element == ColumnSpec<Row> {
    map { $0.cell(row, context) }
  }
}

extension Table {
  /// A table of `rows` drawn with `columns`.
  init<Row>(
    _ columns: [ColumnSpec<Row>], rows: [Row], theme: Theme, now: Date
  ) {
    let context = ColumnSpec<Row>.Context(theme: theme, now: now)
    self.init(
      columns: columns.map(\.column), rowCount: rows.count,
      headerStyle: theme.style(.headerForeground).bold
    ) { i in
      columns.cells(rows[i], context)
    }
  }
}

extension ListPanel {
  /// A list of `rows` drawn with `columns`; `filtered` and `sort` say what the user asked of it.
  init<Row>(
    title: String, note: String, theme: Theme, now: Date, columns: [ColumnSpec<Row>],
    rows: [Row], selected: Int, filtered: (total: Int, query: String)? = nil,
    sort: SortOrder? = nil
  ) {
    let context = ColumnSpec<Row>.Context(theme: theme, now: now)
    self.init(
      title: title, note: note, theme: theme, columns: columns.map(\.column),
      rowCount: rows.count, selected: selected, filtered: filtered, sort: sort
    ) { i in
      columns.cells(rows[i], context)
    }
  }
}
