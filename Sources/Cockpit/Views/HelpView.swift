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

  func render(in area: Rect, into buffer: inout Buffer) {
    let entries = Glossary.entries(for: about)
    // The glossary takes what it needs: it cannot scroll, and the keys below it can.
    let (top, keysArea) = area.splitTop(
      entries.isEmpty ? 0 : min(entries.count + 3, area.height - 5))
    if top.height >= 4 {
      ListPanel(
        title: "On \(about.title)", note: "what each figure means, and where it comes from",
        theme: theme,
        columns: [
          .init("FIGURE", width: 14, priority: 10),
          .init("MEANING", width: 20, priority: 9, flexible: true),
        ],
        rowCount: entries.count, selected: -1
      ) { i in
        [
          Span(entries[i].term, theme.style(.highlightForeground).bold),
          Span(entries[i].meaning, theme.text),
        ]
      }.render(in: top, into: &buffer)
    }
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
    }.render(in: top.height >= 4 ? keysArea : area, into: &buffer)
  }
}
