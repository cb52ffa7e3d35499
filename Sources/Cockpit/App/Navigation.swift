import TerminalKit

/// Which view is shown and which row each view has selected. A value the app loop keeps and the
/// screen renders; commands change it, nothing else does.
public struct Navigation: Sendable, Equatable {
  public var view: CockpitView = .overview
  public var previous: CockpitView = .overview
  public var selection: [CockpitView: Int] = [:]
  /// The view whose selected row's details are open, if any.
  public var drilled: CockpitView?
  /// How each list is sorted; a list nobody sorted keeps its source's order.
  public var sort: [CockpitView: SortOrder] = [:]

  public func sortOrder(of view: CockpitView) -> SortOrder? { sort[view] }

  /// Each list's filter.
  public var filter: [CockpitView: FilterQuery] = [:]
  /// The filter or command being typed, if any.
  public var prompt: Prompt?
  /// What the GPUs heatmap colours by.
  public var heatmapMetric: HeatmapMetric = .activity

  /// Feeds a key to the open prompt: typing edits it, Enter applies it (or shows where it is
  /// wrong), Esc closes it. Returns a command only the app can carry out (a theme, quitting).
  @discardableResult
  public mutating func edit(_ event: InputEvent, fields: [String]) -> PromptCommand? {
    guard var prompt else { return nil }
    switch event {
    case .character(let character):
      if prompt.isOffered { prompt.text = "" }
      prompt.text.append(character)
    case .backspace: if !prompt.text.isEmpty { prompt.text.removeLast() }
    case .escape:
      self.prompt = nil
      return nil
    case .enter:
      do {
        switch prompt.kind {
        case .filter:
          let query = try FilterQuery.parse(prompt.text, fields: fields)
          filter[view] = query.terms.isEmpty ? nil : query
          selection[view] = 0
        case .command:
          let command = try PromptCommand.parse(prompt.text)
          self.prompt = nil
          if case .show(let target) = command {
            go(to: target)
            return nil
          }
          return command
        }
        self.prompt = nil
      } catch {
        self.prompt?.error = error
      }
      return nil
    default: return nil
    }
    prompt.error = nil
    prompt.isOffered = false
    self.prompt = prompt
    return nil
  }

  public init() {}

  public func selected(in view: CockpitView) -> Int { selection[view] ?? 0 }

  /// Applies a command, given how many rows the current view has and how many fit on a page.
  public mutating func apply(_ command: Action.Command, rowCount: Int, pageSize: Int) {
    let views = CockpitView.allCases
    let index = views.firstIndex(of: view) ?? 0
    switch command {
    case .quit: break
    case .show(let target): go(to: target)
    case .nextView: go(to: views[(index + 1) % views.count])
    case .previousView: go(to: views[(index + views.count - 1) % views.count])
    case .back:
      if drilled != nil {
        drilled = nil
      } else if filter[view] != nil {
        filter[view] = nil
      } else {
        go(to: previous)
      }
    case .filter: prompt = Prompt(.filter, text: filter[view]?.text ?? "")
    case .command: prompt = Prompt(.command)
    case .cycleMetric: heatmapMetric = heatmapMetric.next
    case .drill: if rowCount > 0 { drilled = view }
    case .sortNext:
      if sort[view] == nil { sort[view] = SortOrder() } else { sort[view]!.column += 1 }
    case .sortReverse:
      if sort[view] == nil {
        sort[view] = SortOrder(descending: true)
      } else {
        sort[view]!.descending.toggle()
      }
    case .move(let rows): select(selected(in: view) + rows, rowCount: rowCount)
    case .page(let pages): select(selected(in: view) + pages * max(1, pageSize), rowCount: rowCount)
    case .top: select(0, rowCount: rowCount)
    case .bottom: select(rowCount - 1, rowCount: rowCount)
    }
  }

  private mutating func go(to target: CockpitView) {
    guard target != view else { return }
    drilled = nil
    previous = view
    view = target
  }

  private mutating func select(_ row: Int, rowCount: Int) {
    selection[view] = max(0, min(row, rowCount - 1))
  }

  /// The name of a key event in the action registry.
  public static func key(for event: InputEvent) -> String? {
    switch event {
    case .character(let character): String(character)
    case .up: "up"
    case .down: "down"
    case .left: "left"
    case .right: "right"
    case .pageUp: "pgup"
    case .pageDown: "pgdn"
    case .home: "home"
    case .end: "end"
    case .enter: "enter"
    case .escape: "esc"
    case .tab: "tab"
    case .backTab: "backtab"
    case .backspace: "backspace"
    case .resize: nil
    }
  }
}
