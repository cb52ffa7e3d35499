import FleetModel
import Foundation
import TerminalKit

/// Every key binding, generated from the action registry so it cannot drift from what keys do.
struct HelpView {
  let actions: ActionRegistry
  let theme: Theme
  let selected: Int

  func render(in area: Rect, into buffer: inout Buffer) {
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
    }.render(in: area, into: &buffer)
  }
}
