import FleetModel
import Foundation
import TerminalKit

/// Every node: where it is, its state and why, and what its GPUs are doing.
struct NodesView: Widget {
  let model: CockpitModel
  let theme: Theme
  let selected: Int
  let note: String
  let now: Date
  var sort: SortOrder?
  var filter: FilterQuery?

  typealias Column = ColumnSpec<NodeRow>

  static let columns: [Column] = [
    Column(.init("CLUSTER", width: 10, priority: 5), field: "cluster") { r, _ in
      .text(r.node.cluster)
    } cell: { r, c in
      Span(r.node.cluster, c.theme.dim)
    },
    Column(.init("RACK", width: 7, priority: 3), field: "rack") { r, _ in
      .text(r.node.rack)
    } cell: { r, c in
      Span(r.node.rack, c.theme.dim)
    },
    Column(.init("NODE", width: 12, priority: 10), field: "node") { r, _ in
      .text(r.node.name)
    } cell: { r, c in
      Span(r.node.name, c.theme.text.bold)
    },
    Column(.init("STATE", width: 9, priority: 9), field: "state") { r, _ in
      .text(r.node.state.rawValue)
    } cell: { r, c in
      Span(r.node.state.rawValue, c.theme.nodeState(r.node.state))
    },
    Column(.init("GPUS", width: 5, alignment: .right, priority: 8), field: "gpus") { r, _ in
      .number(Double(r.gpusAllocated))
    } cell: { r, c in
      Span("\(r.gpusAllocated)/\(r.gpusTotal)", c.theme.text)
    },
    Column(.init("UTIL", width: 7, alignment: .right, priority: 8), field: "util") { r, _ in
      .number(r.utilPct)
    } cell: { r, c in
      Span(Format.percent(r.utilPct), c.theme.utilization(r.utilPct ?? 0))
    },
    Column(.init("POWER", width: 9, alignment: .right, priority: 6), field: "power") { r, _ in
      .number(r.powerW)
    } cell: { r, c in
      Span(Format.power(r.powerW), c.theme.text)
    },
    Column(.init("HOT", width: 5, alignment: .right, priority: 4), field: "temp") { r, _ in
      .number(r.hottestC)
    } cell: { r, c in
      Span(r.hottestC.map { String(format: "%.0f°", $0) } ?? Format.unknown, c.theme.text)
    },
    Column(.init("XID", width: 3, alignment: .right, priority: 4), field: "xid") { r, _ in
      .number(Double(r.gpusWithXID))
    } cell: { r, c in
      Span(String(r.gpusWithXID), r.gpusWithXID > 0 ? c.theme.style(.warn) : c.theme.dim)
    },
    Column(.init("DBE", width: 3, alignment: .right, priority: 2), field: "dbe") { r, _ in
      .number(Double(r.eccDoubleBit))
    } cell: { r, c in
      Span(String(r.eccDoubleBit), r.eccDoubleBit > 0 ? c.theme.style(.crit) : c.theme.dim)
    },
    Column(.init("REASON", width: 16, priority: 7, flexible: true), field: "reason") { r, _ in
      .text(r.node.reason ?? "")
    } cell: { r, c in
      Span(r.node.reason ?? "", c.theme.text)
    },
  ]

  /// The filter's field names, one per column, in column order.
  static let fields = columns.fields()

  private var context: Column.Context { Column.Context(theme: theme, now: now) }

  /// The rows shown: filtered, then sorted.
  var rows: [NodeRow] {
    Self.columns.visible(model.nodeRows, filter: filter, sort: sort, context: context)
  }

  func render(in area: Rect, into buffer: inout Buffer) {
    ListPanel(
      title: "Nodes", note: note, theme: theme, now: now, columns: Self.columns, rows: rows,
      selected: selected, filtered: filter.map { (model.nodeRows.count, $0.text) }, sort: sort
    ).render(in: area, into: &buffer)
  }
}
