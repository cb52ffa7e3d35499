/// Something a key does. Every binding lives in one registry: help and key hints are generated
/// from it, and read-only modes remove dangerous actions here, in one place, never per view.
public struct Action: Sendable, Hashable {
  public enum Command: Sendable, Hashable {
    case quit
  }

  public let keys: [String]
  public let title: String
  public let description: String
  public let command: Command
  /// Changes something outside factop. None exist yet: factop is read-only by construction.
  public let dangerous: Bool
  /// Shown in the status bar's key hints.
  public let hinted: Bool
}

/// The registry of actions, possibly with the dangerous ones removed.
public struct ActionRegistry: Sendable {
  public let actions: [Action]

  public static let cockpit = ActionRegistry(actions: [
    Action(
      keys: ["q"], title: "quit", description: "Leave factop and restore the terminal",
      command: .quit, dangerous: false, hinted: true)
  ])

  /// The registry a read-only session (a wallboard) gets.
  public var readOnly: ActionRegistry {
    ActionRegistry(actions: actions.filter { !$0.dangerous })
  }

  /// The action bound to a key, if any.
  public func action(forKey key: String) -> Action? {
    actions.first { $0.keys.contains(key) }
  }
}
