import Foundation
import TerminalKit

/// A whole frame: title bar, the current view, and the status bar with key hints and source
/// trouble. A pure function of its inputs, so tests render it to text.
public struct Screen {
  public let model: CockpitModel?
  public let theme: Theme
  public let actions: ActionRegistry
  public let origin: String
  public let navigation: Navigation

  public init(
    model: CockpitModel?, theme: Theme, actions: ActionRegistry, origin: String,
    navigation: Navigation = Navigation()
  ) {
    self.model = model
    self.theme = theme
    self.actions = actions
    self.origin = origin
    self.navigation = navigation
  }

  /// Rows of the list the current view shows at `now` (0 for the Overview), for paging.
  public func rowCount(at now: Date) -> Int {
    switch navigation.view {
    case .overview: 0
    case .nodes: model.map { nodesView($0, selected: 0, note: "", now: now).rows.count } ?? 0
    case .gpus: model?.nodeRows.count ?? 0
    case .jobs: model.map { jobsView($0, selected: 0, note: "", now: now).rows.count } ?? 0
    case .power: model.map { PowerView.rows($0.power).count } ?? 0
    case .savings:
      model.map { savingsView($0, selected: 0, note: "", now: now, drilled: false).rows.count }
        ?? 0
    case .cost: 0
    case .sources: model.map { sourcesView($0, selected: 0, now: now).rows.count } ?? 0
    case .incidents:
      model.map { incidentsView($0, selected: 0, note: "", now: now, drilled: false).rows.count }
        ?? 0
    case .help: actions.actions.count
    }
  }

  /// The fields the current view's filter knows.
  public var filterFields: [String] {
    switch navigation.view {
    case .nodes: NodesView.fields
    case .jobs: JobsView.fields
    case .savings: SavingsView.fields
    case .sources: SourcesView.fields
    case .incidents: IncidentsView.fields
    default: []
    }
  }

  func nodesView(_ model: CockpitModel, selected: Int, note: String, now: Date) -> NodesView {
    NodesView(
      model: model, theme: theme, selected: selected, note: note, now: now,
      sort: navigation.sortOrder(of: .nodes), filter: navigation.filter[.nodes])
  }

  func savingsView(
    _ model: CockpitModel, selected: Int, note: String, now: Date, drilled: Bool
  ) -> SavingsView {
    SavingsView(
      model: model, theme: theme, selected: selected, drilled: drilled, note: note, now: now,
      sort: navigation.sortOrder(of: .savings), filter: navigation.filter[.savings])
  }

  func incidentsView(
    _ model: CockpitModel, selected: Int, note: String, now: Date, drilled: Bool
  ) -> IncidentsView {
    IncidentsView(
      model: model, theme: theme, selected: selected, drilled: drilled, note: note, now: now,
      sort: navigation.sortOrder(of: .incidents), filter: navigation.filter[.incidents])
  }

  func jobsView(_ model: CockpitModel, selected: Int, note: String, now: Date) -> JobsView {
    JobsView(
      model: model, theme: theme, selected: selected, note: note, now: now,
      sort: navigation.sortOrder(of: .jobs), filter: navigation.filter[.jobs])
  }

  func sourcesView(_ model: CockpitModel, selected: Int, now: Date) -> SourcesView {
    SourcesView(
      model: model, theme: theme, selected: selected, now: now,
      sort: navigation.sortOrder(of: .sources), filter: navigation.filter[.sources])
  }

  /// Rows a page holds on a screen `height` rows tall.
  public static func pageSize(height: Int) -> Int { ListPanel.pageSize(height: height - 2) }

  public func render(width: Int, height: Int, now: Date) -> Buffer {
    var buffer = Buffer(width: width, height: height, style: theme.text)
    guard height >= 3 else {
      buffer.put("factop: window too small", x: 0, y: 0, style: theme.text)
      return buffer
    }
    let (titleRow, rest) = buffer.area.splitTop(1)
    let (body, statusRow) = rest.splitBottom(1)
    renderTitle(in: titleRow, now: now, into: &buffer)
    renderBody(in: body, now: now, into: &buffer)
    renderStatus(in: statusRow, now: now, into: &buffer)
    return buffer
  }

  /// The current view, in `body`: the whole screen but its title and status bars.
  func renderBody(in body: Rect, now: Date, into buffer: inout Buffer) {
    if navigation.view == .help {
      helpView(now: now).render(in: body, into: &buffer)
    } else if let model, model.state.isEmpty, navigation.view != .sources {
      // Sources have not answered yet (or answered with nothing): the fleet is unknown, not a
      // fleet of zero GPUs. The Sources view says why.
      centre(
        "No fleet data yet: waiting for the first answer of \(origin)… (8 Sources says why)",
        in: body, into: &buffer)
    } else if let model {
      view(of: model, now: now).render(in: body, into: &buffer)
    } else {
      // No model yet: the cache is being opened and read for the first time (a warm cache of a
      // large fleet takes seconds). An empty cache is a model too, and says so above.
      centre("Loading \(origin) from the cache…", in: body, into: &buffer)
    }
  }

  /// The view on screen, or the row drilled into. Each view clamps the selection to its rows
  /// (a list can shrink under it as jobs end), so the rows are built once per frame, by the
  /// view that shows them.
  private func view(of model: CockpitModel, now: Date) -> any Widget {
    let selected = navigation.selected(in: navigation.view)
    let drilled = navigation.drilled == navigation.view
    let note = model.ageNote(at: now)
    switch navigation.view {
    case .overview: return OverviewView(model: model, theme: theme, now: now)
    case .nodes:
      let view = nodesView(model, selected: selected, note: note, now: now)
      guard drilled, view.rows.indices.contains(selected) else { return view }
      return NodeDetailView(
        model: model, theme: theme, row: view.rows[selected], note: note, now: now)
    case .gpus:
      guard drilled, model.nodeRows.indices.contains(selected) else {
        return GPUsView(
          model: model, theme: theme, metric: navigation.heatmapMetric, selected: selected,
          note: note)
      }
      return NodeDetailView(
        model: model, theme: theme, row: model.nodeRows[selected], note: note, now: now)
    case .jobs:
      let view = jobsView(model, selected: selected, note: note, now: now)
      guard drilled, view.rows.indices.contains(selected) else { return view }
      return JobDetailView(
        model: model, theme: theme, row: view.rows[selected], note: note, now: now)
    case .power:
      return PowerView(
        model: model, theme: theme, selected: selected, drilled: drilled, note: note, now: now)
    case .savings:
      return savingsView(model, selected: selected, note: note, now: now, drilled: drilled)
    case .cost: return CostView(model: model, theme: theme, now: now)
    case .sources: return sourcesView(model, selected: selected, now: now)
    case .incidents:
      return incidentsView(model, selected: selected, note: note, now: now, drilled: drilled)
    case .help: return helpView(now: now)
    }
  }

  /// The keys, and what the figures of the view it was opened from mean.
  private func helpView(now: Date) -> HelpView {
    HelpView(
      actions: actions, theme: theme, selected: navigation.selected(in: .help),
      about: navigation.previous, now: now)
  }

  private func centre(_ message: String, in body: Rect, into buffer: inout Buffer) {
    buffer.put(
      message, x: body.x + max(0, (body.width - TerminalText.width(message)) / 2),
      y: body.y + body.height / 2, style: theme.dim, maxWidth: body.width)
  }

  /// The filter or command being typed, and, on the row above, a caret under the column that
  /// is wrong.
  private func renderPrompt(_ prompt: Prompt, in row: Rect, into buffer: inout Buffer) {
    let lead = " \(prompt.kind.rawValue) "
    let text = prompt.text
    // Offered text is drawn selected: what is typed next replaces it.
    let textStyle = prompt.isOffered ? theme.bar.reversed : theme.bar
    Line([Span(lead, theme.bar.bold), Span(text, textStyle), Span("█", theme.bar)])
      .render(in: row, into: &buffer)
    let hint =
      switch prompt.kind {
      case .filter: "  Enter apply · Esc cancel · fields: \(filterFields.joined(separator: " "))"
      case .command: "  Enter run · Esc cancel · \(PromptCommand.summary)"
      }
    if prompt.error == nil {
      buffer.put(hint, x: row.x + lead.count + text.count + 1, y: row.y, style: theme.bar)
    }
    guard let error = prompt.error, row.y > 0 else { return }
    let above = Rect(x: row.x, y: row.y - 1, width: row.width, height: 1)
    buffer.fill(above, style: theme.text)
    let caret = row.x + lead.count + min(error.column, text.count)
    buffer.put("↑ " + error.message, x: caret, y: above.y, style: theme.style(.crit).bold)
  }

  private func renderTitle(in row: Rect, now: Date, into buffer: inout Buffer) {
    buffer.fill(row, style: theme.bar)
    // The view tabs come from the registry, so they name the keys that really switch views.
    // Where every title does not fit, only the current view's is spelled out.
    func tabs(titled: Bool) -> Line {
      var spans = [Span(" factop ", theme.bar.bold), Span("│", theme.bar)]
      for action in actions.actions {
        guard case .show(let view) = action.command else { continue }
        let current = view == navigation.view
        let label = titled || current ? " \(action.keys[0]) \(view.title) " : " \(action.keys[0]) "
        spans.append(Span(label, current ? theme.bar.bold.reversed : theme.bar))
      }
      return Line(spans)
    }
    // What is watched and when matter more than the other views' titles: those go first.
    let right = "\(origin) · \(Format.utc(now)) "
    let width = TerminalText.width(right)
    let full = tabs(titled: true)
    let tabsLine = full.width + 2 + width <= row.width ? full : tabs(titled: false)
    tabsLine.render(in: row, into: &buffer)
    if tabsLine.width + 2 + width <= row.width {
      buffer.put(right, x: row.maxX - width, y: row.y, style: theme.bar)
    }
  }

  private func renderStatus(in row: Rect, now: Date, into buffer: inout Buffer) {
    buffer.fill(row, style: theme.bar)
    if let prompt = navigation.prompt {
      renderPrompt(prompt, in: row, into: &buffer)
      return
    }
    var spans: [Span] = []
    for action in actions.actions where action.hinted {
      spans.append(Span(" \(action.keys.joined(separator: "/")) ", theme.bar.bold.reversed))
      spans.append(Span(" \(action.title) ", theme.bar))
    }
    let highlight = Style(foreground: theme.color(.crit), background: theme.color(.barBackground))
      .bold
    if let error = model?.cacheError {
      spans.append(Span(" ⚠ cache: \(error)", highlight))
    }
    for breach in model?.alerts ?? [] {
      spans.append(Span(" ⚠ \(breach.message)", highlight))
    }
    let troubled = model?.troubledSources(at: now) ?? []
    for source in troubled {
      let status = source.status(at: now)
      let detail = status == .error ? source.lastError ?? "failing" : "stale"
      spans.append(
        Span(
          " ⚠ \(source.name): \(detail) (data \(Format.age(source.ageS(at: now))) old)", highlight))
    }
    if troubled.isEmpty, let model, !model.sources.isEmpty {
      spans.append(Span(" all \(model.sources.count) source(s) ok", theme.bar))
    }
    Line(spans).render(in: row, into: &buffer)
  }
}
