import FleetModel
import Foundation
import TerminalKit

/// A full-screen table of rows with a selection: the shape of the Nodes, Jobs and Help views.
struct ListPanel {
  let title: String
  let note: String
  let theme: Theme
  let columns: [Table.Column]
  let rowCount: Int
  let selected: Int
  /// When a filter hides rows: how many there are in all, and the filter.
  var filtered: (total: Int, query: String)? = nil
  /// The sort the rows are in, shown as an arrow on its column.
  var sort: SortOrder? = nil
  let row: (Int) -> [Span]

  /// Rows that fit in `area` below the panel border and the header.
  static func pageSize(height: Int) -> Int { max(1, height - 3) }

  func render(in area: Rect, into buffer: inout Buffer) {
    guard area.height >= 3 else { return }
    Panel(
      title: filtered.map {
        "\(title) (\(Format.count(rowCount)) of \(Format.count($0.total)) · /\($0.query))"
      } ?? "\(title) (\(Format.count(rowCount)))", note: note,
      borderStyle: theme.style(.border), titleStyle: theme.style(.title).bold, noteStyle: theme.dim
    ).render(in: area, into: &buffer)
    let inner = Panel.inner(area).inset(dx: 1, dy: 0)
    let visible = Self.pageSize(height: area.height)
    // A list can shrink under its selection (jobs end): never select past its end.
    let selected = min(selected, max(0, rowCount - 1))
    var columns = columns
    if let sort {
      for i in columns.indices {
        columns[i].title = sort.title(columns[i].title, column: i, columns: columns.count)
      }
    }
    Table(
      columns: columns, rowCount: rowCount,
      offset: Table.offset(keeping: selected, visible: visible),
      headerStyle: theme.style(.headerForeground).bold, selected: selected,
      selectedStyle: theme.bar.reversed, row: row
    ).render(in: inner, into: &buffer)
  }
}
