import FleetModel
import Foundation
import TerminalKit

/// The first screen: fleet totals, one row per cluster, source health, and the nodes out of
/// service. Everything an on-call engineer needs to judge the fleet at a glance.
struct OverviewView: Widget {
  let model: CockpitModel
  let theme: Theme
  let now: Date

  func render(in area: Rect, into buffer: inout Buffer) {
    let outOfService = model.state.nodes.filter { $0.state.isUnavailable || $0.state == .unknown }
    // Heights by priority (fleet, then sources, clusters, nodes out of service; the history
    // graph takes what is left), placed in reading order.
    var left = area.height
    func take(_ wanted: Int) -> Int {
      let granted = min(wanted, left)
      left -= granted
      return granted
    }
    let fleetHeight = take(7)
    let sourcesHeight = take(model.sources.count + 3)
    let clusterHeight = take(model.summary.clusters.count + 3)
    let savingsHeight = take(min(model.savings?.opportunities.count ?? 0, 6) + 3)
    let attentionHeight = take(max(outOfService.count, 1) + 3)
    var rest = area
    let fleetArea: Rect
    let clusterArea: Rect
    let savingsArea: Rect
    let attentionArea: Rect
    let sourcesArea: Rect
    (fleetArea, rest) = rest.splitTop(fleetHeight)
    (clusterArea, rest) = rest.splitTop(clusterHeight)
    (savingsArea, rest) = rest.splitTop(savingsHeight)
    (attentionArea, rest) = rest.splitTop(attentionHeight)
    (sourcesArea, rest) = rest.splitTop(sourcesHeight)

    renderFleet(in: fleetArea, into: &buffer)
    renderClusters(in: clusterArea, into: &buffer)
    if savingsArea.height >= 4 {
      renderSavings(in: savingsArea, into: &buffer)
    }
    if attentionArea.height >= 4 {
      renderOutOfService(outOfService, in: attentionArea, into: &buffer)
    }
    renderSources(in: sourcesArea, into: &buffer)
    if rest.height >= 5 {
      renderHistoryGraph(in: rest, into: &buffer)
    }
  }

  private var ageNote: String { model.ageNote(at: now) }

  private func panel(_ title: String, _ area: Rect, into buffer: inout Buffer) -> Rect {
    let stale = !model.troubledSources(at: now).isEmpty
    Panel(
      title: title, note: ageNote, borderStyle: theme.style(.border),
      titleStyle: theme.style(.title).bold, noteStyle: stale ? theme.style(.warn).bold : theme.dim
    ).render(in: area, into: &buffer)
    return Panel.inner(area).inset(dx: 1, dy: 0)
  }

  // MARK: Fleet

  private func renderFleet(in area: Rect, into buffer: inout Buffer) {
    guard area.height >= 3 else { return }
    let inner = panel("Fleet", area, into: &buffer)
    let t = model.summary.fleet
    let label = theme.style(.headerForeground).bold
    func share(_ n: Int) -> String {
      t.gpusTotal > 0 ? String(format: " (%.1f %%)", Double(n) / Double(t.gpusTotal) * 100) : ""
    }
    let lines: [[Span]] = [
      [
        Span("GPUs ", label), Span(Format.count(t.gpusTotal), theme.text.bold),
        Span("  allocated ", theme.dim), Span(Format.count(t.gpusAllocated), theme.text),
        Span("  busy ", theme.dim), Span(Format.count(t.gpusBusy), theme.text),
        Span("  idle-allocated ", theme.dim),
        Span(
          Format.count(t.gpusIdleAllocated) + share(t.gpusIdleAllocated),
          t.gpusIdleAllocated > 0 ? theme.style(.warn).bold : theme.text),
      ],
      [],  // gauges, drawn below
      [Span("Nodes ", label), Span(Format.count(t.nodesTotal), theme.text.bold)]
        + nodeStateSpans(t),
      [
        Span("Power ", label), Span(Format.power(t.powerW), theme.text.bold),
        Span("   Cost ", label), Span(Format.dollars(t.costUSDPerHour) + "/h", theme.text.bold),
        Span(
          t.costUSDPerHour.map { "  ≈ \(Format.dollarsCompact($0 * 730))/month at run-rate" } ?? "",
          theme.dim),
        Span("   Util ", label),
        Span(Format.percent(t.utilMeanPct), theme.utilization(t.utilMeanPct ?? 0).bold),
        Span(
          t.utilSignal == .gpuUtil ? " GPU util" : t.utilSignal == .smActive ? " SM active" : "",
          theme.dim),
      ],
    ]
    for (i, spans) in lines.enumerated() where i < inner.height {
      Line(spans).render(in: inner.row(i), into: &buffer)
    }
    if inner.height > 1 { renderGauges(t, in: inner.row(1), into: &buffer) }
    if inner.height > 4 { renderHistory(in: inner.row(4), into: &buffer) }
  }

  private func nodeStateSpans(_ t: FleetTotals) -> [Span] {
    NodeState.allCases.flatMap { state -> [Span] in
      guard let n = t.nodesByState[state], n > 0 else { return [] }
      let style = theme.nodeState(state)
      return [Span("  \(state.rawValue) ", theme.dim), Span(Format.count(n), style)]
    }
  }

  private func renderGauges(_ t: FleetTotals, in row: Rect, into buffer: inout Buffer) {
    guard t.gpusTotal > 0 else { return }
    let half = row.width / 2
    let items: [(String, Int)] = [("Allocated", t.gpusAllocated), ("Busy", t.gpusBusy)]
    for (i, (title, n)) in items.enumerated() {
      let cell = Rect(x: row.x + i * half, y: row.y, width: half - 2, height: 1)
      let ratio = Double(n) / Double(t.gpusTotal)
      let labelWidth = buffer.put(
        "\(title) ", x: cell.x, y: cell.y, style: theme.style(.headerForeground).bold)
      let value = String(format: " %5.1f %%", ratio * 100)
      let gaugeWidth = cell.width - labelWidth - value.count
      guard gaugeWidth > 3 else { continue }
      Gauge(ratio: ratio, filled: theme.utilization(ratio * 100), track: theme.style(.track))
        .render(
          in: Rect(x: cell.x + labelWidth, y: cell.y, width: gaugeWidth, height: 1), into: &buffer)
      buffer.put(value, x: cell.x + labelWidth + gaugeWidth, y: cell.y, style: theme.text)
    }
  }

  private func renderHistory(in row: Rect, into buffer: inout Buffer) {
    let labelWidth = buffer.put(
      "Util history ", x: row.x, y: row.y, style: theme.style(.headerForeground).bold)
    let points = model.utilHistory.suffix(max(0, row.width - labelWidth - 14))
    let span = Format.age(Double(points.count) * CockpitModel.historyStepS)
    let note = points.isEmpty ? "no history yet" : "last \(span)"
    let noteWidth = TerminalText.width(note) + 1
    let graph = Rect(
      x: row.x + labelWidth, y: row.y, width: row.width - labelWidth - noteWidth, height: 1)
    let current = points.last.flatMap { $0 } ?? 0
    Sparkline(values: Array(points), maximum: 100, style: theme.utilization(current))
      .render(
        in: Rect(x: graph.x, y: graph.y, width: min(graph.width, points.count), height: 1),
        into: &buffer)
    buffer.put(note, x: graph.maxX + 1, y: row.y, style: theme.dim)
  }

  private func renderHistoryGraph(in area: Rect, into buffer: inout Buffer) {
    let inner = panel("Fleet utilization · one column per 5 minutes", area, into: &buffer)
    let axis = 7
    for (row, label) in [(0, "100 %"), (inner.height / 2, " 50 %"), (inner.height - 1, "  0 %")] {
      buffer.put(label, x: inner.x, y: inner.y + row, style: theme.dim)
    }
    let graph = Rect(x: inner.x + axis, y: inner.y, width: inner.width - axis, height: inner.height)
    guard !model.utilHistory.isEmpty else {
      buffer.put("no history yet", x: graph.x, y: graph.y + graph.height / 2, style: theme.dim)
      return
    }
    BarGraph(values: model.utilHistory, maximum: 100) { theme.utilization($0) }
      .render(in: graph, into: &buffer)
  }

  // MARK: Clusters

  private func renderClusters(in area: Rect, into buffer: inout Buffer) {
    guard area.height >= 3 else { return }
    let inner = panel("Clusters", area, into: &buffer)
    let rows = model.summary.clusters
    Table(
      columns: [
        .init("CLUSTER", width: 14, priority: 10),
        .init("SCHED", width: 10, priority: 2),
        .init("PRICING", width: 11, priority: 1),
        .init("GPUS", width: 7, alignment: .right, priority: 9),
        .init("ALLOC", width: 7, alignment: .right, priority: 8),
        .init("BUSY", width: 7, alignment: .right, priority: 5),
        .init("IDLE-ALLOC", width: 10, alignment: .right, priority: 8),
        .init("UTIL", width: 7, alignment: .right, priority: 9),
        .init("POWER", width: 10, alignment: .right, priority: 6),
        .init("$/H", width: 9, alignment: .right, priority: 7),
        .init("OUT", width: 4, alignment: .right, priority: 3),
      ],
      rowCount: rows.count, headerStyle: theme.style(.headerForeground).bold
    ) { i in
      let c = rows[i]
      let t = c.totals
      let out = t.nodesByState.filter { $0.key.isUnavailable }.values.reduce(0, +)
      return [
        Span(c.cluster.name, theme.text.bold), Span(c.cluster.scheduler.rawValue, theme.dim),
        Span(c.cluster.pricing.rawValue, theme.dim), Span(Format.count(t.gpusTotal), theme.text),
        Span(Format.count(t.gpusAllocated), theme.text), Span(Format.count(t.gpusBusy), theme.text),
        Span(
          Format.count(t.gpusIdleAllocated),
          t.gpusIdleAllocated > 0 ? theme.style(.warn) : theme.text),
        Span(Format.percent(t.utilMeanPct), theme.utilization(t.utilMeanPct ?? 0)),
        Span(Format.power(t.powerW), theme.text),
        Span(Format.dollars(t.costUSDPerHour), theme.text),
        Span(Format.count(out), out > 0 ? theme.style(.warn) : theme.dim),
      ]
    }.render(in: inner, into: &buffer)
  }

  // MARK: Savings

  private func renderSavings(in area: Rect, into buffer: inout Buffer) {
    guard let report = model.savings else { return }
    let line = report.onePercentLine
    let title =
      "Top savings · 1 % of spend = \(Format.dollars(line.usdPerMonth))/month"
      + (line.reached ? ", reached by the top \(line.opportunities)" : ", not reached")
    let inner = panel(title, area, into: &buffer)
    let shown = Array(report.opportunities.prefix(max(0, inner.height - 1)))
    Table(
      columns: [
        .init("$/MONTH", width: 10, alignment: .right, priority: 10),
        .init("SPEND", width: 7, alignment: .right, priority: 8),
        .init("KIND", width: 25, priority: 4),
        .init("CONF", width: 4, alignment: .right, priority: 3),
        .init("WHAT", width: 34, priority: 9, flexible: true),
      ],
      rowCount: shown.count, headerStyle: theme.style(.headerForeground).bold
    ) { i in
      let o = shown[i]
      let aboveLine = i < line.opportunities
      return [
        Span(
          Format.dollars(o.usdPerMonth),
          aboveLine ? theme.style(.highlightForeground).bold : theme.text),
        Span(String(format: "%.1f %%", o.pctOfSpend), theme.text),
        Span(o.kind.rawValue, theme.dim), Span(String(format: "%.1f", o.confidence), theme.dim),
        Span(o.title, theme.text),
      ]
    }.render(in: inner, into: &buffer)
  }

  // MARK: Sources

  private func renderSources(in area: Rect, into buffer: inout Buffer) {
    guard area.height >= 3 else { return }
    let inner = panel("Sources", area, into: &buffer)
    let sources = model.sources
    Table(
      columns: [
        .init("SOURCE", width: 12, priority: 10), .init("KIND", width: 8, priority: 4),
        .init("STATUS", width: 8, priority: 9),
        .init("AGE", width: 7, alignment: .right, priority: 8),
        .init("POLL", width: 8, alignment: .right, priority: 3),
        .init("LAST ERROR", width: 10, priority: 7, flexible: true),
      ],
      rowCount: sources.count, headerStyle: theme.style(.headerForeground).bold
    ) { i in
      let s = sources[i]
      let status = s.status(at: now)
      let statusStyle: Style =
        switch status {
        case .ok: theme.style(.ok)
        case .stale, .pending: theme.style(.warn).bold
        case .error: theme.style(.crit).bold
        }
      return [
        Span(s.name, theme.text.bold), Span(s.kind, theme.dim), Span(status.rawValue, statusStyle),
        Span(Format.age(s.ageS(at: now)), theme.text),
        Span(
          s.pollDurationS.map { String(format: "%.0f ms", $0 * 1_000) } ?? Format.unknown, theme.dim
        ),
        Span(s.lastError ?? "—", s.lastError == nil ? theme.dim : theme.style(.crit)),
      ]
    }.render(in: inner, into: &buffer)
  }

  // MARK: Out of service

  private func renderOutOfService(_ nodes: [Node], in area: Rect, into buffer: inout Buffer) {
    let inner = panel("Nodes out of service (\(nodes.count))", area, into: &buffer)
    guard !nodes.isEmpty else {
      buffer.put("Every node is in service.", x: inner.x, y: inner.y, style: theme.style(.ok))
      return
    }
    let fits = max(0, inner.height - 1)
    let shown = nodes.count > fits ? max(0, fits - 1) : nodes.count
    Table(
      columns: [
        .init("NODE", width: 12, priority: 10), .init("CLUSTER", width: 10, priority: 6),
        .init("STATE", width: 9, priority: 9),
        .init("FOR", width: 7, alignment: .right, priority: 8),
        .init("REASON", width: 12, priority: 7, flexible: true),
      ],
      rowCount: shown, headerStyle: theme.style(.headerForeground).bold
    ) { i in
      let node = nodes[i]
      return [
        Span(node.name, theme.text.bold), Span(node.cluster, theme.dim),
        Span(
          node.state.rawValue,
          node.state == .down ? theme.style(.crit).bold : theme.style(.warn).bold),
        Span(
          node.stateSince.map { Format.age(now.timeIntervalSince($0)) } ?? Format.unknown,
          theme.text),
        Span(node.reason ?? "—", theme.text),
      ]
    }.render(in: inner, into: &buffer)
    if shown < nodes.count {
      buffer.put(
        "… and \(nodes.count - shown) more", x: inner.x, y: inner.y + 1 + shown, style: theme.dim)
    }
  }
}
