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

  private func renderSources(in area: Rect, into buffer: inout Buffer) {
    let sources = model.sources
    let unverified = sources.filter { $0.tls == .unverified }.count
    ListPanel(
      title: "Sources",
      note: "stale after 3 poll intervals"
        + (unverified == 0 ? "" : " · \(unverified) with TLS unverified"), theme: theme,
      columns: [
        .init("SOURCE", width: 14, priority: 10), .init("KIND", width: 10, priority: 6),
        .init("STATUS", width: 8, priority: 9),
        .init("AGE", width: 8, alignment: .right, priority: 8),
        .init("EVERY", width: 6, alignment: .right, priority: 4),
        .init("POLL", width: 8, alignment: .right, priority: 5),
        .init("TLS", width: 10, priority: 6),
        .init("LAST ERROR", width: 20, priority: 7, flexible: true),
      ],
      rowCount: sources.count, selected: selected
    ) { i in
      let s = sources[i]
      let status = s.status(at: now)
      let style: Style =
        switch status {
        case .ok: theme.style(.ok)
        case .stale, .pending: theme.style(.warn).bold
        case .error: theme.style(.crit).bold
        }
      return [
        Span(s.name, theme.text.bold), Span(s.kind, theme.dim), Span(status.rawValue, style),
        Span(Format.age(s.ageS(at: now)), theme.text), Span(Format.age(s.intervalS), theme.dim),
        Span(
          s.pollDurationS.map { String(format: "%.0f ms", $0 * 1_000) } ?? Format.unknown, theme.dim
        ),
        tls(s.tls),
        Span(s.lastError ?? "—", s.lastError == nil ? theme.dim : theme.style(.crit)),
      ]
    }.render(in: area, into: &buffer)
  }

  private func tls(_ check: TLSVerification?) -> Span {
    switch check {
    case nil: Span("—", theme.dim)
    case .verified: Span("verified", theme.dim)
    case .unverified: Span("UNVERIFIED", theme.style(.warn).bold)
    }
  }
}
