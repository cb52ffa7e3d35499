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
  let row: (Int) -> [Span]

  /// Rows that fit in `area` below the panel border and the header.
  static func pageSize(height: Int) -> Int { max(1, height - 3) }

  func render(in area: Rect, into buffer: inout Buffer) {
    guard area.height >= 3 else { return }
    Panel(
      title: "\(title) (\(Format.count(rowCount)))", note: note,
      borderStyle: theme.style(.border), titleStyle: theme.style(.title).bold, noteStyle: theme.dim
    ).render(in: area, into: &buffer)
    let inner = Panel.inner(area).inset(dx: 1, dy: 0)
    let visible = Self.pageSize(height: area.height)
    Table(
      columns: columns, rowCount: rowCount,
      offset: Table.offset(keeping: selected, visible: visible),
      headerStyle: theme.style(.headerForeground).bold, selected: selected,
      selectedStyle: theme.bar.reversed, row: row
    ).render(in: inner, into: &buffer)
  }
}

/// Every node: where it is, its state and why, and what its GPUs are doing.
struct NodesView {
  let model: CockpitModel
  let theme: Theme
  let selected: Int
  let note: String

  func render(in area: Rect, into buffer: inout Buffer) {
    let rows = model.nodeRows
    ListPanel(
      title: "Nodes", note: note, theme: theme,
      columns: [
        .init("CLUSTER", width: 10, priority: 5), .init("RACK", width: 7, priority: 3),
        .init("NODE", width: 12, priority: 10), .init("STATE", width: 9, priority: 9),
        .init("GPUS", width: 5, alignment: .right, priority: 8),
        .init("UTIL", width: 7, alignment: .right, priority: 8),
        .init("POWER", width: 9, alignment: .right, priority: 6),
        .init("HOT", width: 5, alignment: .right, priority: 4),
        .init("XID", width: 3, alignment: .right, priority: 4),
        .init("DBE", width: 3, alignment: .right, priority: 2),
        .init("REASON", width: 16, priority: 7, flexible: true),
      ],
      rowCount: rows.count, selected: selected
    ) { i in
      let r = rows[i]
      let stateStyle: Style =
        switch r.node.state {
        case .down: theme.style(.crit).bold
        case .drained, .draining, .unknown: theme.style(.warn).bold
        default: theme.text
        }
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

/// Every job: who, what, how big, how busy, and what it costs.
struct JobsView {
  let model: CockpitModel
  let theme: Theme
  let selected: Int
  let note: String
  let now: Date

  func render(in area: Rect, into buffer: inout Buffer) {
    let rows = model.jobRows
    ListPanel(
      title: "Jobs", note: note, theme: theme,
      columns: [
        .init("ID", width: 18, priority: 9), .init("NAME", width: 18, priority: 10, flexible: true),
        .init("USER", width: 13, priority: 6), .init("TEAM", width: 12, priority: 7),
        .init("KIND", width: 11, priority: 3), .init("STATE", width: 8, priority: 8),
        .init("GPUS", width: 5, alignment: .right, priority: 9),
        .init("RUNTIME", width: 7, alignment: .right, priority: 5),
        .init("UTIL", width: 7, alignment: .right, priority: 8),
        .init("$/H", width: 8, alignment: .right, priority: 7),
        .init("COST", width: 9, alignment: .right, priority: 4),
      ],
      rowCount: rows.count, selected: selected
    ) { i in
      let r = rows[i]
      let runtime = r.job.start.map { max(0, now.timeIntervalSince($0)) }
      let costSoFar = r.costUSDPerHour.flatMap { rate in runtime.map { rate * $0 / 3_600 } }
      return [
        Span(r.job.id, theme.dim), Span(r.job.name, theme.text.bold), Span(r.job.user, theme.text),
        Span(r.job.team, theme.text), Span(r.job.kind.rawValue, theme.dim),
        Span(r.job.state.rawValue, r.job.state == .pending ? theme.style(.warn) : theme.text),
        Span(Format.count(r.job.gpus), theme.text),
        Span(runtime.map { Format.age($0) } ?? "—", theme.text),
        Span(Format.percent(r.utilPct), r.utilPct.map { theme.utilization($0) } ?? theme.dim),
        Span(Format.dollars(r.costUSDPerHour), theme.text),
        Span(Format.dollarsCompact(costSoFar), theme.text),
      ]
    }.render(in: area, into: &buffer)
  }
}

/// Every key binding, generated from the action registry so it cannot drift from what keys do.
struct HelpView {
  let actions: ActionRegistry
  let theme: Theme
  let selected: Int

  func render(in area: Rect, into buffer: inout Buffer) {
    let actions = actions.actions
    ListPanel(
      title: "Keys", note: "factop is read-only: no key changes the fleet", theme: theme,
      columns: [
        .init("KEYS", width: 12, priority: 10), .init("ACTION", width: 14, priority: 9),
        .init("WHAT IT DOES", width: 20, priority: 8, flexible: true),
      ],
      rowCount: actions.count, selected: selected
    ) { i in
      [
        Span(actions[i].keys.joined(separator: " "), theme.style(.highlightForeground).bold),
        Span(actions[i].title, theme.text), Span(actions[i].description, theme.dim),
      ]
    }.render(in: area, into: &buffer)
  }
}
