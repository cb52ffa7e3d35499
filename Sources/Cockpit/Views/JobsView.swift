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
