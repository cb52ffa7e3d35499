import FleetModel
import Foundation
import TerminalKit

/// Failures as they happened, newest first (`s` sorts by dollars), each priced; Enter shows
/// its events, the jobs it hit and what its price assumes. The nodes to repair first take the
/// bottom when the window has room.
struct IncidentsView: Widget {
  let model: CockpitModel
  let theme: Theme
  let selected: Int
  let drilled: Bool
  let note: String
  let now: Date
  var sort: SortOrder?
  var filter: FilterQuery?

  typealias Column = ColumnSpec<PricedIncident>

  static let columns: [Column] = [
    Column(.init("STARTED", width: 16, priority: 9), field: "started") { p, _ in
      .number(p.incident.start.timeIntervalSince1970)
    } cell: { p, c in
      Span(Format.utcMinute(p.incident.start), c.theme.text)
    },
    Column(.init("STATE", width: 5, priority: 8), field: "state") { p, _ in
      .text(p.incident.isOpen ? "open" : "over")
    } cell: { p, c in
      Span(
        p.incident.isOpen ? "open" : "over",
        p.incident.isOpen ? c.theme.style(.warn).bold : c.theme.dim)
    },
    Column(.init("$", width: 9, alignment: .right, priority: 10), field: "usd") { p, _ in
      .number(p.cost.usd)
    } cell: { p, c in
      Span(Format.dollars(p.cost.usd), c.theme.text.bold)
    },
    Column(.init("GPU-H", width: 8, alignment: .right, priority: 6), field: "gpuh") { p, _ in
      .number(p.cost.gpuHours)
    } cell: { p, c in
      Span(String(format: "%.1f", p.cost.gpuHours), c.theme.text)
    },
    Column(.init("JOBS", width: 4, alignment: .right, priority: 5), field: "jobs") { p, _ in
      .number(Double(p.incident.jobs.count))
    } cell: { p, c in
      Span(String(p.incident.jobs.count), p.incident.jobs.isEmpty ? c.theme.dim : c.theme.text)
    },
    Column(.init("CAUSE", width: 13, priority: 7), field: "cause") { p, _ in
      .text(p.incident.cause.kind.rawValue)
    } cell: { p, c in
      Span(p.incident.cause.kind.rawValue, c.theme.dim)
    },
    Column(.init("NODE", width: 12, priority: 8), field: "node") { p, _ in
      .text(p.incident.node ?? "")
    } cell: { p, c in
      Span(p.incident.node ?? "—", c.theme.text)
    },
    Column(.init("WHAT", width: 30, priority: 9, flexible: true), field: "what") { p, _ in
      .text(p.incident.what)
    } cell: { p, c in
      Span(p.incident.what, c.theme.text)
    },
  ]

  /// The filter's field names, one per column, in column order.
  static let fields = columns.fields()

  /// The rows shown: filtered, then sorted (else newest first).
  var rows: [PricedIncident] {
    Self.columns.visible(
      model.incidents?.incidents ?? [], filter: filter, sort: sort,
      context: Column.Context(theme: theme, now: now))
  }

  func render(in area: Rect, into buffer: inout Buffer) {
    let rows = self.rows
    if drilled, rows.indices.contains(selected) {
      renderDetail(rows[selected], in: area, into: &buffer)
      return
    }
    let summary = model.incidents
    let repair = Array((summary?.repairFirst ?? []).prefix(5))
    let repairRows = repair.isEmpty ? 0 : repair.count + 3
    let (listArea, repairArea) = area.splitBottom(
      area.height >= repairRows + 10 ? repairRows : 0)
    let title =
      summary.map {
        "Incidents · \(Format.dollars($0.lastDay.usd)) last day, \(Format.dollars($0.lastWeek.usd)) last week"
      } ?? "Incidents"
    ListPanel(
      title: title, note: note, theme: theme, now: now, columns: Self.columns, rows: rows,
      selected: selected,
      filtered: filter.map { (summary?.incidents.count ?? 0, $0.text) }, sort: sort
    ).render(in: listArea, into: &buffer)
    if !repairArea.isEmpty { renderRepairFirst(repair, in: repairArea, into: &buffer) }
  }

  /// The nodes whose incidents cost most over 30 days, with what to do about each.
  private func renderRepairFirst(
    _ targets: [IncidentSummary.RepairTarget], in area: Rect, into buffer: inout Buffer
  ) {
    Panel(
      title: "Repair first · 30 days", note: "factop incidents", borderStyle: theme.style(.border),
      titleStyle: theme.style(.title).bold, noteStyle: theme.dim
    ).render(in: area, into: &buffer)
    let inner = Panel.inner(area).inset(dx: 1, dy: 0)
    Table(Self.repairColumns, rows: targets, theme: theme, now: now).render(
      in: inner, into: &buffer)
  }

  static let repairColumns: [ColumnSpec<IncidentSummary.RepairTarget>] = [
    .init(.init("NODE", width: 12, priority: 10)) { t, c in Span(t.node, c.theme.text.bold) },
    .init(.init("N", width: 3, alignment: .right, priority: 8)) { t, c in
      Span(String(t.incidents), c.theme.text)
    },
    .init(.init("$", width: 9, alignment: .right, priority: 10)) { t, c in
      Span(Format.dollars(t.usd), c.theme.style(.highlightForeground).bold)
    },
    .init(.init("CAUSE", width: 24, priority: 7)) { t, c in Span(t.cause, c.theme.text) },
    .init(.init("ACTION", width: 20, priority: 9, flexible: true)) { t, c in
      Span(t.action ?? "—", c.theme.text)
    },
  ]

  /// One incident: its price and what it rests on, its events, the jobs it hit, the outage.
  private func renderDetail(_ p: PricedIncident, in area: Rect, into buffer: inout Buffer) {
    let incident = p.incident
    Panel(
      title: incident.title, note: "\(note) · Esc: back", borderStyle: theme.style(.border),
      titleStyle: theme.style(.title).bold, noteStyle: theme.dim
    ).render(in: area, into: &buffer)
    let inner = Panel.inner(area).inset(dx: 1, dy: 0)
    let label = theme.style(.headerForeground).bold
    func hours(_ value: Double) -> String { String(format: "%.1f GPU-h", value) }
    var lines: [[Span]] = [
      [
        Span("Cost    ", label),
        Span(Format.dollars(p.cost.usd), theme.style(.highlightForeground).bold),
        Span(
          "  \(hours(p.cost.gpuHours)): lost work \(hours(p.cost.lostWorkGPUHours)), waiting \(hours(p.cost.waitGPUHours)), idle while out \(hours(p.cost.idleGPUHours))",
          theme.dim),
      ],
      [
        Span("When    ", label),
        Span(
          Format.utcMinute(incident.start) + " → "
            + (incident.end.map(Format.utcMinute) ?? "still going on"), theme.text),
      ],
    ]
    if let action = incident.cause.action {
      lines.append([Span("Action  ", label), Span(action, theme.text)])
    }
    lines += [[], [Span("Events", label)]]
    lines += incident.events.map { event in
      let times =
        event.repeats > 1 ? " \(event.repeats)× until \(Format.utcMinute(event.lastTime))" : ""
      return [
        Span("  \(Format.utcMinute(event.time))  ", theme.dim),
        Span("\(event.subject): \(event.detail)", theme.text), Span(times, theme.dim),
      ]
    }
    if !incident.jobs.isEmpty { lines += [[], [Span("Jobs hit", label)]] }
    for job in incident.jobs {
      let checkpoint =
        job.lastCheckpoint.map {
          "checkpoint \(Int(job.stopped.timeIntervalSince($0) / 60)) min before"
        } ?? "checkpoint not seen"
      let again =
        job.ranAgain.map { "ran again after \(Int($0.timeIntervalSince(job.stopped) / 60)) min" }
        ?? (job.gaveUp
          ? "not run again" : job.requeued ? "waiting in the queue" : "not run again yet")
      lines.append([
        Span("  \(job.name) ", theme.text.bold),
        Span(
          "\(job.job.id) · \(job.gpus) GPUs · team \(job.team) · \(checkpoint) · \(again)",
          theme.dim),
      ])
    }
    if let outage = incident.outage {
      lines += [
        [],
        [
          Span("Outage  ", label),
          Span(
            "\(outage.gpus) GPUs out of service from \(Format.utcMinute(outage.start))"
              + (outage.end.map { " to \(Format.utcMinute($0))" } ?? ", still out"), theme.text),
        ],
      ]
    }
    if !p.cost.assumptions.isEmpty { lines += [[], [Span("Assumed", label)]] }
    for assumption in p.cost.assumptions {
      for part in TerminalText.wrapped(assumption, to: max(1, inner.width - 2)) {
        lines.append([Span("  " + part, theme.text)])
      }
    }
    for (i, spans) in lines.enumerated() where i < inner.height {
      Line(spans).render(in: inner.row(i), into: &buffer)
    }
  }
}
