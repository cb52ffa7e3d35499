import FleetModel
import Foundation
import TerminalKit

/// One opportunity as the Savings view lists it: its rank, and whether it is among those that
/// together reach the 1 % line.
struct SavingsRow: Sendable {
  let rank: Int
  let opportunity: Opportunity
  let inLine: Bool

  static func rows(_ report: SavingsReport?) -> [SavingsRow] {
    let line = report?.onePercentLine.opportunities ?? 0
    return (report?.opportunities ?? []).enumerated().map {
      SavingsRow(rank: $0.offset + 1, opportunity: $0.element, inLine: $0.offset < line)
    }
  }
}

/// The savings finder's ranked opportunities with the 1 % line; `/` and `s` filter and sort them,
/// Enter shows one's evidence.
struct SavingsView: Widget {
  let model: CockpitModel
  let theme: Theme
  let selected: Int
  let drilled: Bool
  let note: String
  let now: Date
  var sort: SortOrder?
  var filter: FilterQuery?

  typealias Column = ColumnSpec<SavingsRow>

  static let columns: [Column] = [
    Column(.init("#", width: 3, alignment: .right, priority: 8), field: "rank") { r, _ in
      .number(Double(r.rank))
    } cell: { r, c in
      Span(String(r.rank), c.theme.dim)
    },
    Column(.init("$/MONTH", width: 11, alignment: .right, priority: 10), field: "usd") { r, _ in
      .number(r.opportunity.usdPerMonth)
    } cell: { r, c in
      Span(
        Format.dollars(r.opportunity.usdPerMonth),
        r.inLine ? c.theme.style(.highlightForeground).bold : c.theme.text)
    },
    Column(.init("SPEND", width: 7, alignment: .right, priority: 9), field: "spend") { r, _ in
      .number(r.opportunity.pctOfSpend)
    } cell: { r, c in
      Span(String(format: "%.2f %%", r.opportunity.pctOfSpend), c.theme.text)
    },
    Column(.init("CONF", width: 4, alignment: .right, priority: 5), field: "conf") { r, _ in
      .number(r.opportunity.confidence)
    } cell: { r, c in
      Span(String(format: "%.1f", r.opportunity.confidence), c.theme.dim)
    },
    Column(.init("KIND", width: 25, priority: 4), field: "kind") { r, _ in
      .text(r.opportunity.kind.rawValue)
    } cell: { r, c in
      Span(r.opportunity.kind.rawValue, c.theme.dim)
    },
    Column(.init("LINE", width: 4, priority: 6), field: "line") { r, _ in
      .number(r.inLine ? 1 : 0)
    } cell: { r, c in
      Span(r.inLine ? "1 %" : "", c.theme.style(.highlightForeground))
    },
    Column(.init("TITLE", width: 30, priority: 9, flexible: true), field: "title") { r, _ in
      .text(r.opportunity.title)
    } cell: { r, c in
      Span(r.opportunity.title, c.theme.text)
    },
  ]

  /// The filter's field names, one per column, in column order.
  static let fields = columns.fields()

  /// The rows shown: filtered, then sorted (else in rank order).
  var rows: [SavingsRow] {
    Self.columns.visible(
      SavingsRow.rows(model.savings), filter: filter, sort: sort,
      context: Column.Context(theme: theme, now: now))
  }

  func render(in area: Rect, into buffer: inout Buffer) {
    let rows = self.rows
    if drilled, rows.indices.contains(selected) {
      renderEvidence(rows[selected].opportunity, in: area, into: &buffer)
      return
    }
    let line = model.savings?.onePercentLine
    // The ledger takes the bottom when there is room for it and the list still shows rows; on
    // a tall screen, with the findings that closed last.
    let months = model.ledger.map { Array($0.months.prefix(3)) } ?? []
    let closed =
      area.height >= 40 ? Array((model.ledger?.recentlyClosed ?? []).prefix(5)) : []
    let ledgerRows =
      model.ledger == nil ? 0 : 3 + max(1, months.count) + (closed.isEmpty ? 0 : closed.count + 1)
    let (listArea, ledgerArea) = area.splitBottom(area.height >= ledgerRows + 10 ? ledgerRows : 0)
    ListPanel(
      title: "Savings · 1 % of spend = \(Format.dollars(line?.usdPerMonth))/month", note: note,
      theme: theme, now: now, columns: Self.columns, rows: rows, selected: selected,
      filtered: filter.map { (model.savings?.opportunities.count ?? 0, $0.text) }, sort: sort
    ).render(in: listArea, into: &buffer)
    if let ledger = model.ledger, !ledgerArea.isEmpty {
      renderLedger(ledger, months: months, closed: closed, in: ledgerArea, into: &buffer)
    }
  }

  /// Found, realized and moved dollars of the last three months, what is open now, and the
  /// findings that closed last.
  private func renderLedger(
    _ ledger: LedgerSummary, months: [LedgerSummary.Month], closed: [LedgerEntry], in area: Rect,
    into buffer: inout Buffer
  ) {
    Panel(
      title: "Ledger · open \(Format.dollars(ledger.openUSDPerMonth))/month in \(ledger.open)",
      note: "factop savings --ledger", borderStyle: theme.style(.border),
      titleStyle: theme.style(.title).bold, noteStyle: theme.dim
    ).render(in: area, into: &buffer)
    let inner = Panel.inner(area).inset(dx: 1, dy: 0)
    func cell(_ text: String, _ width: Int) -> String {
      String(repeating: " ", count: max(0, width - text.count)) + text
    }
    let header = theme.style(.headerForeground).bold
    Line([
      Span("MONTH  ", header), Span(cell("FOUND $/MONTH", 22), header),
      Span(cell("REALIZED $/MONTH", 20), header), Span(cell("MOVED $/MONTH", 18), header),
    ]).render(in: inner.row(0), into: &buffer)
    guard !months.isEmpty else {
      Line([Span("nothing yet: a finding counts once it has lasted an hour", theme.dim)])
        .render(in: inner.row(1), into: &buffer)
      return
    }
    for (i, m) in months.enumerated() {
      Line([
        Span(m.month, theme.text),
        Span(cell("\(Format.dollars(m.foundUSDPerMonth)) (\(m.found))", 22), theme.text),
        Span(
          cell("\(Format.dollars(m.realizedUSDPerMonth)) (\(m.realized))", 20),
          theme.style(.highlightForeground).bold),
        Span(cell("\(Format.dollars(m.movedUSDPerMonth)) (\(m.moved))", 18), theme.dim),
      ]).render(in: inner.row(1 + i), into: &buffer)
    }
    guard !closed.isEmpty else { return }
    let first = 2 + months.count
    Line([Span("CLOSED LAST", header)]).render(in: inner.row(first - 1), into: &buffer)
    for (i, entry) in closed.enumerated() {
      // `2026-11-17 11:59`, UTC.
      let when = (entry.closed ?? entry.lastSeen).formatted(.iso8601).prefix(16)
        .replacingOccurrences(of: "T", with: " ")
      Line([
        Span(
          entry.status.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0),
          entry.status == .realized ? theme.style(.highlightForeground).bold : theme.dim),
        Span(when + "  ", theme.dim),
        Span(cell(Format.dollars(entry.usdPerMonthLast), 10) + "/month  ", theme.text),
        Span(entry.title, theme.text),
      ]).render(in: inner.row(first + i), into: &buffer)
    }
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
