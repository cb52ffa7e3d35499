import FleetModel
import Foundation
import TerminalKit

/// A wallboard frame: the view the clock has rotated to, its key figures in big digits beside
/// a big clock, and a banner when the data is stale. A pure function of the model and the time,
/// so the rotation needs no state and tests render any moment.
public struct WallboardScreen {
  public let model: CockpitModel?
  public let theme: Theme
  public let views: [CockpitView]
  public let rotateS: Int
  public let origin: String

  public init(
    model: CockpitModel?, theme: Theme, views: [CockpitView], rotateS: Int, origin: String
  ) {
    self.model = model
    self.theme = theme
    self.views = views.isEmpty ? [.overview] : views
    self.rotateS = max(1, rotateS)
    self.origin = origin
  }

  /// The view shown at `now`.
  public func view(at now: Date) -> CockpitView {
    views[Int(now.timeIntervalSince1970) / rotateS % views.count]
  }

  /// A figure worth reading from across the room.
  struct Figure {
    let label: String
    let value: String
    var style: Theme.Role = .highlightForeground
  }

  public func render(width: Int, height: Int, now: Date) -> Buffer {
    var buffer = Buffer(width: width, height: height, style: theme.text)
    guard height >= 3, width >= 10 else {
      buffer.put("factop: window too small", x: 0, y: 0, style: theme.text)
      return buffer
    }
    let view = view(at: now)
    var (top, rest) = buffer.area.splitTop(1)
    renderTitle(view, in: top, now: now, into: &buffer)
    let (middle, status) = rest.splitBottom(1)
    rest = middle
    if let banner = staleBannerText(at: now) {
      let (row, below) = rest.splitTop(1)
      buffer.fill(row, style: theme.style(.crit).bold.reversed)
      buffer.put(banner, x: row.x + 1, y: row.y, style: theme.style(.crit).bold.reversed)
      rest = below
    }
    if rest.height >= 12 {
      let (strip, body) = rest.splitTop(5)
      renderFigures(figures(of: view, at: now), in: strip, now: now, into: &buffer)
      rest = body
    }
    var navigation = Navigation()
    navigation.apply(.show(view), rowCount: 0, pageSize: 1)
    Screen(
      model: model, theme: theme, actions: ActionRegistry(actions: []), origin: origin,
      navigation: navigation
    ).renderBody(in: rest, now: now, into: &buffer)
    buffer.fill(status, style: theme.bar)
    var spans = [Span(" read-only wallboard · keys are ignored · Ctrl-C ends it", theme.bar)]
    for breach in model?.alerts ?? [] {
      spans.append(
        Span(
          " ⚠ \(breach.message)",
          Style(foreground: theme.color(.crit), background: theme.color(.barBackground)).bold))
    }
    TerminalKit.Line(spans).render(in: status, into: &buffer)
    return buffer
  }

  private func renderTitle(_ view: CockpitView, in row: Rect, now: Date, into buffer: inout Buffer)
  {
    buffer.fill(row, style: theme.bar)
    let position = views.firstIndex(of: view).map { $0 + 1 } ?? 1
    let next = rotateS - Int(now.timeIntervalSince1970) % rotateS
    let left = " factop wallboard │ \(view.title)"
    let note =
      views.count > 1 ? "  (\(position)/\(views.count) · next in \(next) s)" : ""
    TerminalKit.Line([Span(left, theme.bar.bold), Span(note, theme.bar)])
      .render(in: row, into: &buffer)
    let right = "\(origin) · \(Format.utc(now)) "
    let x = row.maxX - TerminalText.width(right)
    if x > TerminalText.width(left + note) + 2 {
      buffer.put(right, x: x, y: row.y, style: theme.bar)
    }
  }

  /// Says what is stale, and since when: no data at all, a cache that cannot be read, or
  /// sources that stopped answering.
  public func staleBannerText(at now: Date) -> String? {
    guard let model else {
      return "⚠ NO DATA YET: nothing in the cache; is `factop poll` running for it?"
    }
    if let error = model.cacheError { return "⚠ CACHE UNREADABLE: \(error)" }
    let stale = model.sources.filter {
      $0.status(at: now) == .stale || $0.status(at: now) == .error
    }
    guard !stale.isEmpty else { return nil }
    let names = stale.map { "\($0.name) \(Format.age($0.ageS(at: now))) old" }
    return "⚠ STALE DATA: " + names.joined(separator: ", ")
      + " · is `factop poll` running?"
  }

  func figures(of view: CockpitView, at now: Date) -> [Figure] {
    guard let model else { return [] }
    let fleet = model.summary.fleet
    let savingsUSD = model.savings?.opportunities.reduce(0) { $0 + $1.usdPerMonth }
    func kW(_ watts: Double?) -> String {
      guard let watts else { return "-" }
      return watts >= 10_000_000
        ? String(format: "%.1fMW", watts / 1e6) : String(format: "%.0fkW", watts / 1e3)
    }
    func usd(_ value: Double?) -> String {
      guard let value else { return "-" }
      return Format.dollarsCompact(value).replacingOccurrences(of: ",", with: "")
    }
    func pct(_ value: Double?) -> String { value.map { String(format: "%.0f%%", $0) } ?? "-" }
    switch view {
    case .power:
      let headroom = model.power.sites.compactMap(\.entry.headroomPct).min()
      return [
        Figure(label: "facility power", value: kW(model.power.facilityW)),
        Figure(label: "IT power", value: kW(model.power.fleet.itW)),
        Figure(
          label: "least site headroom", value: pct(headroom),
          style: (headroom ?? 100) < 10 ? .crit : .highlightForeground),
      ]
    case .cost:
      return [
        Figure(label: "spend per hour", value: usd(fleet.costUSDPerHour)),
        Figure(label: "month to date", value: usd(model.monthToDate.fleet?.usd)),
        Figure(
          label: "next 7 days",
          value: usd(model.projection?.days.compactMap(\.spendUSD?.value).reduce(0, +))),
      ]
    case .savings:
      return [
        Figure(label: "savings found / month", value: usd(savingsUSD)),
        Figure(
          label: "1 % of spend / month", value: usd(model.savings?.onePercentLine.usdPerMonth)),
        Figure(label: "opportunities", value: "\(model.savings?.opportunities.count ?? 0)"),
      ]
    case .nodes, .sources:
      let down = fleet.nodesByState[.down] ?? 0
      return [
        Figure(label: "nodes", value: "\(fleet.nodesTotal)"),
        Figure(label: "down", value: "\(down)", style: down > 0 ? .crit : .highlightForeground),
        Figure(
          label: "drained or draining",
          value: "\((fleet.nodesByState[.drained] ?? 0) + (fleet.nodesByState[.draining] ?? 0))",
          style: .warn),
      ]
    default:
      return [
        Figure(label: "GPU utilization", value: pct(fleet.utilMeanPct)),
        Figure(label: "allocated but idle GPUs", value: "\(fleet.gpusIdleAllocated)", style: .warn),
        Figure(label: "spend per hour", value: usd(fleet.costUSDPerHour)),
        Figure(label: "savings / month", value: usd(savingsUSD)),
      ]
    }
  }

  /// Figures left to right, the clock at the right; whatever does not fit is left out.
  private func renderFigures(
    _ figures: [Figure], in area: Rect, now: Date, into buffer: inout Buffer
  ) {
    let clock = String(Format.utc(now).dropFirst(11).prefix(5))
    let clockWidth = BigText.width(clock)
    var x = area.x + 1
    let limit = area.maxX - clockWidth - 3
    for figure in figures {
      let width = max(BigText.width(figure.value), TerminalText.width(figure.label))
      guard x + width <= limit else { break }
      BigText(figure.value, style: theme.style(figure.style).bold)
        .render(in: Rect(x: x, y: area.y + 1, width: width, height: 3), into: &buffer)
      buffer.put(figure.label, x: x, y: area.y + 4, style: theme.dim)
      x += width + 4
    }
    if clockWidth + 2 <= area.width {
      BigText(clock, style: theme.text.bold).render(
        in: Rect(x: area.maxX - clockWidth - 1, y: area.y + 1, width: clockWidth, height: 3),
        into: &buffer)
      buffer.put("UTC", x: area.maxX - clockWidth - 1, y: area.y + 4, style: theme.dim)
    }
  }
}
