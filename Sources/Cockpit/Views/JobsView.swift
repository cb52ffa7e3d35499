import FleetModel
import Foundation
import TerminalKit

/// Every job: who, what, how big, how busy, and what it costs.
struct JobsView {
  let model: CockpitModel
  let theme: Theme
  let selected: Int
  let note: String
  let now: Date
  var sort: SortOrder?
  var filter: FilterQuery?

  /// The filter's field names, one per column, in column order.
  static let fields = [
    "id", "cluster", "name", "user", "team", "kind", "state", "gpus", "runtime_s", "util", "cost",
    "cost_so_far",
  ]

  /// The rows shown: filtered, then sorted.
  var rows: [JobRow] {
    visibleRows(model.jobRows, filter: filter, sort: sort, fields: Self.fields, key: sortKey)
  }

  /// What each column sorts by, in column order.
  func sortKey(_ r: JobRow, _ column: Int) -> SortKey {
    switch column {
    case 0: .text(r.job.id)
    case 1: .text(r.job.cluster)
    case 2: .text(r.job.name)
    case 3: .text(r.job.user)
    case 4: .text(r.job.team)
    case 5: .text(r.job.kind.rawValue)
    case 6: .text(r.job.state.rawValue)
    case 7: .number(Double(r.job.gpus))
    case 8: .number(r.job.start.map { now.timeIntervalSince($0) })
    case 9: .number(r.utilPct)
    case 10: .number(r.costUSDPerHour)
    default: .number(costSoFar(r))
    }
  }

  func costSoFar(_ r: JobRow) -> Double? {
    r.costUSDPerHour.flatMap { rate in
      r.job.start.map { rate * max(0, now.timeIntervalSince($0)) / 3_600 }
    }
  }

  func render(in area: Rect, into buffer: inout Buffer) {
    let columns: [Table.Column] = [
      .init("ID", width: 18, priority: 9),
      // Job ids repeat across clusters (two Slurm clusters both run 4242).
      .init("CLUSTER", width: 10, priority: 5),
      .init("NAME", width: 18, priority: 10, flexible: true),
      .init("USER", width: 13, priority: 6), .init("TEAM", width: 12, priority: 7),
      .init("KIND", width: 11, priority: 3), .init("STATE", width: 8, priority: 8),
      .init("GPUS", width: 5, alignment: .right, priority: 9),
      .init("RUNTIME", width: 7, alignment: .right, priority: 5),
      .init("UTIL", width: 7, alignment: .right, priority: 8),
      .init("$/H", width: 8, alignment: .right, priority: 7),
      .init("COST", width: 9, alignment: .right, priority: 4),
    ]
    let rows = self.rows
    ListPanel(
      title: "Jobs", note: note, theme: theme, columns: columns,
      rowCount: rows.count, selected: selected,
      filtered: filter.map { (model.jobRows.count, $0.text) }, sort: sort
    ) { i in
      let r = rows[i]
      let runtime = r.job.start.map { max(0, now.timeIntervalSince($0)) }
      return [
        Span(r.job.id, theme.dim), Span(r.job.cluster, theme.dim),
        Span(r.job.name, theme.text.bold), Span(r.job.user, theme.text),
        Span(r.job.team, theme.text), Span(r.job.kind.rawValue, theme.dim),
        Span(r.job.state.rawValue, r.job.state == .pending ? theme.style(.warn) : theme.text),
        Span(Format.count(r.job.gpus), theme.text),
        Span(runtime.map { Format.age($0) } ?? "—", theme.text),
        Span(Format.percent(r.utilPct), r.utilPct.map { theme.utilization($0) } ?? theme.dim),
        Span(Format.dollars(r.costUSDPerHour), theme.text),
        Span(Format.dollarsCompact(costSoFar(r)), theme.text),
      ]
    }.render(in: area, into: &buffer)
  }
}
