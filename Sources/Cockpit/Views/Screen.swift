import Foundation
import TerminalKit

/// A whole frame: title bar, the current view, and the status bar with key hints and source
/// trouble. A pure function of its inputs, so tests render it to text.
public struct Screen {
  public let model: CockpitModel?
  public let theme: Theme
  public let actions: ActionRegistry
  public let origin: String

  public init(model: CockpitModel?, theme: Theme, actions: ActionRegistry, origin: String) {
    self.model = model
    self.theme = theme
    self.actions = actions
    self.origin = origin
  }

  public func render(width: Int, height: Int, now: Date) -> Buffer {
    var buffer = Buffer(width: width, height: height, style: theme.text)
    guard height >= 3 else {
      buffer.put("factop: window too small", x: 0, y: 0, style: theme.text)
      return buffer
    }
    let (titleRow, rest) = buffer.area.splitTop(1)
    let (body, statusRow) = rest.splitBottom(1)
    renderTitle(in: titleRow, now: now, into: &buffer)
    if let model {
      OverviewView(model: model, theme: theme, now: now).render(in: body, into: &buffer)
    } else {
      let message = "Waiting for the first poll of \(origin)…"
      buffer.put(
        message, x: max(0, (width - TerminalText.width(message)) / 2), y: body.y + body.height / 2,
        style: theme.dim)
    }
    renderStatus(in: statusRow, now: now, into: &buffer)
    return buffer
  }

  private func renderTitle(in row: Rect, now: Date, into buffer: inout Buffer) {
    buffer.fill(row, style: theme.bar)
    Line([Span(" factop ", theme.bar.bold), Span("│ Overview", theme.bar)]).render(
      in: row, into: &buffer)
    let right = "\(origin) · \(Format.utc(now)) "
    let width = TerminalText.width(right)
    if width + 20 <= row.width {
      buffer.put(right, x: row.maxX - width, y: row.y, style: theme.bar)
    }
  }

  private func renderStatus(in row: Rect, now: Date, into buffer: inout Buffer) {
    buffer.fill(row, style: theme.bar)
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
