import FleetModel
import Foundation
import TerminalKit

/// Every node: where it is, its state and why, and what its GPUs are doing.
struct NodesView {
  let model: CockpitModel
  let theme: Theme
  let selected: Int
  let note: String
  var sort: SortOrder?
  var filter: FilterQuery?

  /// The filter's field names, one per column, in column order.
  static let fields = [
    "cluster", "rack", "node", "state", "gpus", "util", "power", "temp", "xid", "dbe", "reason",
  ]

  /// The rows shown: filtered, then sorted.
  var rows: [NodeRow] {
    visibleRows(model.nodeRows, filter: filter, sort: sort, fields: Self.fields, key: Self.sortKey)
  }

  /// What each column sorts by, in column order.
  static func sortKey(_ r: NodeRow, _ column: Int) -> SortKey {
    switch column {
    case 0: .text(r.node.cluster)
    case 1: .text(r.node.rack)
    case 2: .text(r.node.name)
    case 3: .text(r.node.state.rawValue)
    case 4: .number(Double(r.gpusAllocated))
    case 5: .number(r.utilPct)
    case 6: .number(r.powerW)
    case 7: .number(r.hottestC)
    case 8: .number(Double(r.gpusWithXID))
    case 9: .number(Double(r.eccDoubleBit))
    default: .text(r.node.reason ?? "")
    }
  }

  func render(in area: Rect, into buffer: inout Buffer) {
    let columns: [Table.Column] = [
      .init("CLUSTER", width: 10, priority: 5), .init("RACK", width: 7, priority: 3),
      .init("NODE", width: 12, priority: 10), .init("STATE", width: 9, priority: 9),
      .init("GPUS", width: 5, alignment: .right, priority: 8),
      .init("UTIL", width: 7, alignment: .right, priority: 8),
      .init("POWER", width: 9, alignment: .right, priority: 6),
      .init("HOT", width: 5, alignment: .right, priority: 4),
      .init("XID", width: 3, alignment: .right, priority: 4),
      .init("DBE", width: 3, alignment: .right, priority: 2),
      .init("REASON", width: 16, priority: 7, flexible: true),
    ]
    let rows = self.rows
    ListPanel(
      title: "Nodes", note: note, theme: theme, columns: columns,
      rowCount: rows.count, selected: selected,
      filtered: filter.map { (model.nodeRows.count, $0.text) }, sort: sort
    ) { i in
      let r = rows[i]
      let stateStyle = theme.nodeState(r.node.state)
      return [
        Span(r.node.cluster, theme.dim), Span(r.node.rack, theme.dim),
        Span(r.node.name, theme.text.bold),
        Span(r.node.state.rawValue, stateStyle),
        Span("\(r.gpusAllocated)/\(r.gpusTotal)", theme.text),
        Span(Format.percent(r.utilPct), theme.utilization(r.utilPct ?? 0)),
        Span(Format.power(r.powerW), theme.text),
        Span(r.hottestC.map { String(format: "%.0f°", $0) } ?? Format.unknown, theme.text),
        Span(String(r.gpusWithXID), r.gpusWithXID > 0 ? theme.style(.warn) : theme.dim),
        Span(String(r.eccDoubleBit), r.eccDoubleBit > 0 ? theme.style(.crit) : theme.dim),
        Span(r.node.reason ?? "", theme.text),
      ]
    }.render(in: area, into: &buffer)
  }
}
