import FleetModel
import Foundation
import TerminalKit

/// Every job: who, what, how big, how busy, and what it costs.
struct JobsView: Widget {
  let model: CockpitModel
  let theme: Theme
  let selected: Int
  let note: String
  let now: Date
  var sort: SortOrder?
  var filter: FilterQuery?

  typealias Column = ColumnSpec<JobRow>

  static let columns: [Column] = [
    Column(.init("ID", width: 18, priority: 9), field: "id") { r, _ in
      .text(r.job.id)
    } cell: { r, c in
      Span(r.job.id, c.theme.dim)
    },
    // Job ids repeat across clusters (two Slurm clusters both run 4242).
    Column(.init("CLUSTER", width: 10, priority: 5), field: "cluster") { r, _ in
      .text(r.job.cluster)
    } cell: { r, c in
      Span(r.job.cluster, c.theme.dim)
    },
    Column(.init("NAME", width: 18, priority: 10, flexible: true), field: "name") { r, _ in
      .text(r.job.name)
    } cell: { r, c in
      Span(r.job.name, c.theme.text.bold)
    },
    Column(.init("USER", width: 13, priority: 6), field: "user") { r, _ in
      .text(r.job.user)
    } cell: { r, c in
      Span(r.job.user, c.theme.text)
    },
    Column(.init("TEAM", width: 12, priority: 7), field: "team") { r, _ in
      .text(r.job.team)
    } cell: { r, c in
      Span(r.job.team, c.theme.text)
    },
    Column(.init("KIND", width: 11, priority: 3), field: "kind") { r, _ in
      .text(r.job.kind.rawValue)
    } cell: { r, c in
      Span(r.job.kind.rawValue, c.theme.dim)
    },
    Column(.init("STATE", width: 8, priority: 8), field: "state") { r, _ in
      .text(r.job.state.rawValue)
    } cell: { r, c in
      Span(r.job.state.rawValue, r.job.state == .pending ? c.theme.style(.warn) : c.theme.text)
    },
    Column(.init("GPUS", width: 5, alignment: .right, priority: 9), field: "gpus") { r, _ in
      .number(Double(r.job.gpus))
    } cell: { r, c in
      Span(Format.count(r.job.gpus), c.theme.text)
    },
    Column(.init("RUNTIME", width: 7, alignment: .right, priority: 5), field: "runtime_s") {
      r, c in
      .number(runtime(r, c.now))
    } cell: { r, c in
      Span(runtime(r, c.now).map { Format.age($0) } ?? "—", c.theme.text)
    },
    Column(.init("UTIL", width: 7, alignment: .right, priority: 8), field: "util") { r, _ in
      .number(r.utilPct)
    } cell: { r, c in
      Span(Format.percent(r.utilPct), r.utilPct.map { c.theme.utilization($0) } ?? c.theme.dim)
    },
    Column(.init("$/H", width: 8, alignment: .right, priority: 7), field: "cost") { r, _ in
      .number(r.costUSDPerHour)
    } cell: { r, c in
      Span(Format.dollars(r.costUSDPerHour), c.theme.text)
    },
    Column(.init("COST", width: 9, alignment: .right, priority: 4), field: "cost_so_far") {
      r, c in
      .number(costSoFar(r, c.now))
    } cell: { r, c in
      Span(Format.dollarsCompact(costSoFar(r, c.now)), c.theme.text)
    },
  ]

  /// The filter's field names, one per column, in column order.
  static let fields = columns.fields()

  /// Seconds since the job started; nil before it has.
  static func runtime(_ r: JobRow, _ now: Date) -> Double? {
    r.job.start.map { max(0, now.timeIntervalSince($0)) }
  }

  /// What the job has cost since it started, at its current rate.
  static func costSoFar(_ r: JobRow, _ now: Date) -> Double? {
    r.costUSDPerHour.flatMap { rate in runtime(r, now).map { rate * $0 / 3_600 } }
  }

  private var context: Column.Context { Column.Context(theme: theme, now: now) }

  /// The rows shown: filtered, then sorted.
  var rows: [JobRow] {
    Self.columns.visible(model.jobRows, filter: filter, sort: sort, context: context)
  }

  func render(in area: Rect, into buffer: inout Buffer) {
    ListPanel(
      title: "Jobs", note: note, theme: theme, now: now, columns: Self.columns, rows: rows,
      selected: selected, filtered: filter.map { (model.jobRows.count, $0.text) }, sort: sort
    ).render(in: area, into: &buffer)
  }
}
