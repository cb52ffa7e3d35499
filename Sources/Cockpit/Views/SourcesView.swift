import FleetModel
import Foundation
import TerminalKit

/// Every source: its status, the age of its data, its last error, how long a poll takes and
/// whether its TLS is verified (a source that skips verification says so, in the title too).
/// Below, what the join of the sources could not match (nodes telemetry names that no
/// scheduler lists, UUIDs reported twice, meters naming an ambiguous node).
struct SourcesView: Widget {
  let model: CockpitModel
  let theme: Theme
  let selected: Int
  let now: Date
  var sort: SortOrder?
  var filter: FilterQuery?

  func render(in area: Rect, into buffer: inout Buffer) {
    let findings = model.state.joinFindings
    // The sources first; the findings get what is left, at least a few lines.
    let findingsHeight = findings.isEmpty ? 0 : min(findings.count + 2, max(4, area.height / 2))
    let (sourcesArea, findingsArea) = area.splitBottom(findingsHeight)
    renderSources(in: sourcesArea, into: &buffer)
    if !findings.isEmpty { renderFindings(findings, in: findingsArea, into: &buffer) }
  }

  private func renderFindings(_ findings: [JoinFinding], in area: Rect, into buffer: inout Buffer) {
    let shown = max(0, area.height - 2)
    Panel(
      title: "Join: \(Format.count(findings.count)) to check",
      note: findings.count > shown
        ? "first \(shown) · factop sources lists all" : "docs/sources/join.md",
      borderStyle: theme.style(.border), titleStyle: theme.style(.warn).bold, noteStyle: theme.dim
    ).render(in: area, into: &buffer)
    let inner = Panel.inner(area).inset(dx: 1, dy: 0)
    for (i, finding) in findings.prefix(shown).enumerated() {
      buffer.put(
        finding.description, x: inner.x, y: inner.y + i, style: theme.text, maxWidth: inner.width)
    }
  }

  typealias Column = ColumnSpec<SourceHealth>

  static let columns: [Column] = [
    Column(.init("SOURCE", width: 14, priority: 10), field: "source") { s, _ in
      .text(s.name)
    } cell: { s, c in
      Span(s.name, c.theme.text.bold)
    },
    Column(.init("KIND", width: 10, priority: 6), field: "kind") { s, _ in
      .text(s.kind)
    } cell: { s, c in
      Span(s.kind, c.theme.dim)
    },
    Column(.init("STATUS", width: 8, priority: 9), field: "status") { s, c in
      .text(s.status(at: c.now).rawValue)
    } cell: { s, c in
      status(s, c)
    },
    Column(.init("AGE", width: 8, alignment: .right, priority: 8), field: "age") { s, c in
      .number(s.ageS(at: c.now))
    } cell: { s, c in
      Span(Format.age(s.ageS(at: c.now)), c.theme.text)
    },
    Column(.init("EVERY", width: 6, alignment: .right, priority: 4), field: "every") { s, _ in
      .number(s.intervalS)
    } cell: { s, c in
      Span(Format.age(s.intervalS), c.theme.dim)
    },
    Column(.init("POLL", width: 8, alignment: .right, priority: 5), field: "poll") { s, _ in
      .number(s.pollDurationS)
    } cell: { s, c in
      pollDuration(s, c)
    },
    Column(.init("TLS", width: 10, priority: 6), field: "tls") { s, _ in
      .text(s.tls?.rawValue ?? "")
    } cell: { s, c in
      switch s.tls {
      case nil: Span("—", c.theme.dim)
      case .verified: Span("verified", c.theme.dim)
      case .unverified: Span("UNVERIFIED", c.theme.style(.warn).bold)
      }
    },
    Column(.init("LAST ERROR", width: 20, priority: 7, flexible: true), field: "error") { s, _ in
      .text(s.lastError ?? "")
    } cell: { s, c in
      lastError(s, c)
    },
  ]

  static let fields = columns.fields()

  /// A source's status, coloured by how much it needs looking at (the Overview's too).
  static func status(_ s: SourceHealth, _ c: Column.Context) -> Span {
    let status = s.status(at: c.now)
    let style: Style =
      switch status {
      case .ok: c.theme.style(.ok)
      case .stale, .pending: c.theme.style(.warn).bold
      case .error: c.theme.style(.crit).bold
      }
    return Span(status.rawValue, style)
  }

  static func pollDuration(_ s: SourceHealth, _ c: Column.Context) -> Span {
    Span(
      s.pollDurationS.map { String(format: "%.0f ms", $0 * 1_000) } ?? Format.unknown, c.theme.dim)
  }

  static func lastError(_ s: SourceHealth, _ c: Column.Context) -> Span {
    Span(s.lastError ?? "—", s.lastError == nil ? c.theme.dim : c.theme.style(.crit))
  }

  /// The rows shown: filtered, then sorted.
  var rows: [SourceHealth] {
    Self.columns.visible(
      model.sources, filter: filter, sort: sort, context: Column.Context(theme: theme, now: now))
  }

  private func renderSources(in area: Rect, into buffer: inout Buffer) {
    let unverified = model.sources.filter { $0.tls == .unverified }.count
    ListPanel(
      title: "Sources",
      note: "stale after 3 poll intervals"
        + (unverified == 0 ? "" : " · \(unverified) with TLS unverified"), theme: theme, now: now,
      columns: Self.columns, rows: rows, selected: selected,
      filtered: filter.map { (model.sources.count, $0.text) }, sort: sort
    ).render(in: area, into: &buffer)
  }
}
