import FleetModel
import Foundation
import TerminalKit

/// The savings finder's ranked opportunities with the 1 % line; Enter shows one's evidence.
struct SavingsView: Widget {
  let model: CockpitModel
  let theme: Theme
  let selected: Int
  let drilled: Bool
  let note: String

  func render(in area: Rect, into buffer: inout Buffer) {
    let opportunities = model.savings?.opportunities ?? []
    let line = model.savings?.onePercentLine
    if drilled, opportunities.indices.contains(selected) {
      renderEvidence(opportunities[selected], in: area, into: &buffer)
      return
    }
    ListPanel(
      title: "Savings · 1 % of spend = \(Format.dollars(line?.usdPerMonth))/month", note: note,
      theme: theme,
      columns: [
        .init("#", width: 3, alignment: .right, priority: 8),
        .init("$/MONTH", width: 11, alignment: .right, priority: 10),
        .init("SPEND", width: 7, alignment: .right, priority: 9),
        .init("CONF", width: 4, alignment: .right, priority: 5),
        .init("KIND", width: 25, priority: 4), .init("LINE", width: 4, priority: 6),
        .init("TITLE", width: 30, priority: 9, flexible: true),
      ],
      rowCount: opportunities.count, selected: selected
    ) { i in
      let o = opportunities[i]
      let inLine = i < (line?.opportunities ?? 0)
      return [
        Span(String(i + 1), theme.dim),
        Span(
          Format.dollars(o.usdPerMonth),
          inLine ? theme.style(.highlightForeground).bold : theme.text),
        Span(String(format: "%.2f %%", o.pctOfSpend), theme.text),
        Span(String(format: "%.1f", o.confidence), theme.dim), Span(o.kind.rawValue, theme.dim),
        Span(inLine ? "1 %" : "", theme.style(.highlightForeground)), Span(o.title, theme.text),
      ]
    }.render(in: area, into: &buffer)
  }

  private func renderEvidence(_ o: Opportunity, in area: Rect, into buffer: inout Buffer) {
    Panel(
      title: o.title, note: "\(note) · Esc: back", borderStyle: theme.style(.border),
      titleStyle: theme.style(.title).bold, noteStyle: theme.dim
    ).render(in: area, into: &buffer)
    let inner = Panel.inner(area).inset(dx: 1, dy: 0)
    let label = theme.style(.headerForeground).bold
    var lines: [[Span]] = [
      [
        Span("Saves  ", label),
        Span("\(Format.dollars(o.usdPerMonth))/month", theme.style(.highlightForeground).bold),
        Span(
          String(format: "  (%.2f %% of spend, confidence %.1f)", o.pctOfSpend, o.confidence),
          theme.dim),
      ],
      [
        Span("Kind   ", label), Span(o.kind.rawValue, theme.text), Span("   Scope ", label),
        Span(o.scope, theme.text),
      ],
    ]
    // Rules and actions are sentences: wrap them under their label.
    for (title, text) in [("Rule   ", o.rule), ("Action ", o.action)] {
      for (i, part) in TerminalText.wrapped(text, to: max(1, inner.width - 7)).enumerated() {
        lines.append([Span(i == 0 ? title : "       ", label), Span(part, theme.text)])
      }
    }
    lines += [
      [],
      [Span("Evidence", label)],
    ]
    lines += o.evidence.map {
      [
        Span("  \($0.type.padding(toLength: 7, withPad: " ", startingAt: 0)) ", theme.dim),
        Span($0.detail, theme.text),
      ]
    }
    for (i, spans) in lines.enumerated() where i < inner.height {
      Line(spans).render(in: inner.row(i), into: &buffer)
    }
  }
}
