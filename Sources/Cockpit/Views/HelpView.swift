import FleetModel
import Foundation
import TerminalKit

/// What the figures of the view it was opened from mean (`Glossary`), then every key binding,
/// generated from the action registry so it cannot drift from what keys do.
struct HelpView: Widget {
  let actions: ActionRegistry
  let theme: Theme
  let selected: Int
  /// The view `?` was pressed on.
  let about: CockpitView
  let now: Date

  func render(in area: Rect, into buffer: inout Buffer) {
    let entries = Glossary.entries(for: about)
    // The glossary takes what it needs: it cannot scroll, and the keys below it can.
    let (top, keysArea) = area.splitTop(
      entries.isEmpty ? 0 : min(entries.count + 3, area.height - 5))
    if top.height >= 4 {
      ListPanel(
        title: "On \(about.title)", note: "what each figure means, and where it comes from",
        theme: theme, now: now, columns: Self.glossaryColumns, rows: entries, selected: -1
      ).render(in: top, into: &buffer)
    }
    ListPanel(
      title: "Keys", note: "factop is read-only: no key changes the fleet", theme: theme,
      now: now, columns: Self.keyColumns, rows: actions.actions, selected: selected
    ).render(in: top.height >= 4 ? keysArea : area, into: &buffer)
  }

  static let glossaryColumns: [ColumnSpec<Glossary.Entry>] = [
    .init(.init("FIGURE", width: 14, priority: 10)) { e, c in
      Span(e.term, c.theme.style(.highlightForeground).bold)
    },
    .init(.init("MEANING", width: 20, priority: 9, flexible: true)) { e, c in
      Span(e.meaning, c.theme.text)
    },
  ]

  static let keyColumns: [ColumnSpec<Action>] = [
    .init(.init("KEYS", width: 12, priority: 10)) { a, c in
      Span(a.keys.joined(separator: " "), c.theme.style(.highlightForeground).bold)
    },
    .init(.init("ACTION", width: 14, priority: 9)) { a, c in Span(a.title, c.theme.text) },
    .init(.init("WHAT IT DOES", width: 20, priority: 8, flexible: true)) { a, c in
      Span(a.description, c.theme.dim)
    },
  ]
}
