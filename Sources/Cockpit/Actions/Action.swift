/// The cockpit's views, in the order number keys and Tab visit them.
public enum CockpitView: String, CaseIterable, Sendable, Hashable {
  case overview, nodes, gpus, jobs, power, cost, savings, sources, incidents, help

  public var title: String {
    self == .gpus ? "GPUs" : rawValue.prefix(1).uppercased() + rawValue.dropFirst()
  }
}

/// Something a key does. Every binding lives in one registry: help and key hints are generated
/// from it. No action changes anything outside factop (it is read-only by construction), and
/// the wallboard's loop reaches none of them.
public struct Action: Sendable, Hashable {
  public enum Command: Sendable, Hashable {
    case quit
    case show(CockpitView)
    case nextView, previousView, back
    /// Move the selection by this many rows.
    case move(Int)
    /// Move the selection by this many pages.
    case page(Int)
    case top, bottom
    /// Open the selected row's detail; `back` closes it.
    case drill
    /// Sort by the next column; reverse the sort.
    case sortNext, sortReverse
    /// Open the filter prompt; open the command line.
    case filter, command
    /// Colour the GPUs heatmap by its next metric.
    case cycleMetric
  }

  public let keys: [String]
  public let title: String
  public let description: String
  public let command: Command
  /// Shown in the status bar's key hints.
  public let hinted: Bool

  public init(
    keys: [String], title: String, description: String, command: Command, hinted: Bool = false
  ) {
    self.keys = keys
    self.title = title
    self.description = description
    self.command = command
    self.hinted = hinted
  }
}

/// The registry of actions.
public struct ActionRegistry: Sendable {
  public let actions: [Action]

  public static let cockpit = ActionRegistry(
    actions: CockpitView.allCases.enumerated().map { index, view in
      Action(
        keys: [view == .help ? "?" : String(index + 1)], title: view.title.lowercased(),
        description: "Show the \(view.title) view", command: .show(view), hinted: view == .help)
    } + [
      Action(
        keys: ["tab"], title: "next view", description: "Show the next view", command: .nextView,
        hinted: true),
      Action(
        keys: ["backtab"], title: "previous view", description: "Show the previous view",
        command: .previousView),
      Action(
        keys: ["j", "down"], title: "down", description: "Select the next row", command: .move(1)),
      Action(
        keys: ["k", "up"], title: "up", description: "Select the previous row", command: .move(-1)),
      Action(
        keys: ["h", "left"], title: "previous",
        description: "Select the previous row (on the heatmap, the node before)",
        command: .move(-1)),
      Action(
        keys: ["l", "right"], title: "next",
        description: "Select the next row (on the heatmap, the node after)", command: .move(1)),
      Action(
        keys: ["pgdn"], title: "page down", description: "Move a page down", command: .page(1)),
      Action(keys: ["pgup"], title: "page up", description: "Move a page up", command: .page(-1)),
      Action(
        keys: ["g", "home"], title: "top", description: "Select the first row", command: .top),
      Action(
        keys: ["G", "end"], title: "bottom", description: "Select the last row", command: .bottom),
      Action(
        keys: ["/"], title: "filter",
        description: "Filter the list: util<5 team=vision state=running node~gpu-1 (Esc clears)",
        command: .filter, hinted: true),
      Action(
        keys: [":"], title: "command", description: "Run a command: \(PromptCommand.summary)",
        command: .command),
      Action(
        keys: ["t"], title: "metric",
        description: "Colour the GPUs heatmap by the next metric (\(HeatmapMetric.names))",
        command: .cycleMetric),
      Action(
        keys: ["s"], title: "sort", description: "Sort by the next column", command: .sortNext),
      Action(
        keys: ["S"], title: "reverse", description: "Reverse the sort", command: .sortReverse),
      Action(
        keys: ["enter"], title: "details", description: "Show the selected row's details",
        command: .drill),
      Action(
        keys: ["esc"], title: "back",
        description: "Close the details, or go back to the previous view", command: .back),
      Action(
        keys: ["q"], title: "quit", description: "Leave factop and restore the terminal",
        command: .quit, hinted: true),
    ])

  /// The action bound to a key, if any.
  public func action(forKey key: String) -> Action? {
    actions.first { $0.keys.contains(key) }
  }
}
