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
    let fleetHeight = take(8)
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
    if inner.height > 5, let incidents = model.incidents {
      Line(failureSpans(incidents)).render(in: inner.row(5), into: &buffer)
    }
  }

  /// What failures cost: the Overview's one line of the incident log.
  private func failureSpans(_ incidents: IncidentSummary) -> [Span] {
    let label = theme.style(.headerForeground).bold
    let day = incidents.lastDay
    return [
      Span("Failures ", label),
      Span(Format.dollars(day.usd), day.incidents > 0 ? theme.style(.warn).bold : theme.text.bold),
      Span(" last day (\(day.incidents))", theme.dim),
      Span("   ", theme.dim), Span(Format.dollars(incidents.lastWeek.usd), theme.text.bold),
      Span(" last week (\(incidents.lastWeek.incidents))", theme.dim),
      Span("   open ", theme.dim),
      Span(
        Format.count(incidents.open),
        incidents.open > 0 ? theme.style(.warn).bold : theme.text),
    ]
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
    Table(Self.clusterColumns, rows: model.summary.clusters, theme: theme, now: now).render(
      in: inner, into: &buffer)
  }

  static let clusterColumns: [ColumnSpec<ClusterSummary>] = [
    .init(.init("CLUSTER", width: 14, priority: 10)) { r, c in
      Span(r.cluster.name, c.theme.text.bold)
    },
    .init(.init("SCHED", width: 10, priority: 2)) { r, c in
      Span(r.cluster.scheduler.rawValue, c.theme.dim)
    },
    .init(.init("PRICING", width: 11, priority: 1)) { r, c in
      Span(r.cluster.pricing.rawValue, c.theme.dim)
    },
    .init(.init("GPUS", width: 7, alignment: .right, priority: 9)) { r, c in
      Span(Format.count(r.totals.gpusTotal), c.theme.text)
    },
    .init(.init("ALLOC", width: 7, alignment: .right, priority: 8)) { r, c in
      Span(Format.count(r.totals.gpusAllocated), c.theme.text)
    },
    .init(.init("BUSY", width: 7, alignment: .right, priority: 5)) { r, c in
      Span(Format.count(r.totals.gpusBusy), c.theme.text)
    },
    .init(.init("IDLE-ALLOC", width: 10, alignment: .right, priority: 8)) { r, c in
      let idle = r.totals.gpusIdleAllocated
      return Span(Format.count(idle), idle > 0 ? c.theme.style(.warn) : c.theme.text)
    },
    .init(.init("UTIL", width: 7, alignment: .right, priority: 9)) { r, c in
      Span(Format.percent(r.totals.utilMeanPct), c.theme.utilization(r.totals.utilMeanPct ?? 0))
    },
    .init(.init("POWER", width: 10, alignment: .right, priority: 6)) { r, c in
      Span(Format.power(r.totals.powerW), c.theme.text)
    },
    .init(.init("$/H", width: 9, alignment: .right, priority: 7)) { r, c in
      Span(Format.dollars(r.totals.costUSDPerHour), c.theme.text)
    },
    .init(.init("OUT", width: 4, alignment: .right, priority: 3)) { r, c in
      let out = r.totals.nodesByState.filter { $0.key.isUnavailable }.values.reduce(0, +)
      return Span(Format.count(out), out > 0 ? c.theme.style(.warn) : c.theme.dim)
    },
  ]

  // MARK: Savings

  private func renderSavings(in area: Rect, into buffer: inout Buffer) {
    guard let report = model.savings else { return }
    let line = report.onePercentLine
    let title =
      "Top savings · 1 % of spend = \(Format.dollars(line.usdPerMonth))/month"
      + (line.reached ? ", reached by the top \(line.opportunities)" : ", not reached")
    let inner = panel(title, area, into: &buffer)
    let shown = Array(SavingsRow.rows(report).prefix(max(0, inner.height - 1)))
    Table(Self.savingsColumns, rows: shown, theme: theme, now: now).render(
      in: inner, into: &buffer)
  }

  static let savingsColumns: [ColumnSpec<SavingsRow>] = [
    .init(.init("$/MONTH", width: 10, alignment: .right, priority: 10)) { r, c in
      Span(
        Format.dollars(r.opportunity.usdPerMonth),
        r.inLine ? c.theme.style(.highlightForeground).bold : c.theme.text)
    },
    .init(.init("SPEND", width: 7, alignment: .right, priority: 8)) { r, c in
      Span(String(format: "%.1f %%", r.opportunity.pctOfSpend), c.theme.text)
    },
    .init(.init("KIND", width: 25, priority: 4)) { r, c in
      Span(r.opportunity.kind.rawValue, c.theme.dim)
    },
    .init(.init("CONF", width: 4, alignment: .right, priority: 3)) { r, c in
      Span(String(format: "%.1f", r.opportunity.confidence), c.theme.dim)
    },
    .init(.init("WHAT", width: 34, priority: 9, flexible: true)) { r, c in
      Span(r.opportunity.title, c.theme.text)
    },
  ]

  // MARK: Sources

  private func renderSources(in area: Rect, into buffer: inout Buffer) {
    guard area.height >= 3 else { return }
    let inner = panel("Sources", area, into: &buffer)
    Table(Self.sourceColumns, rows: model.sources, theme: theme, now: now).render(
      in: inner, into: &buffer)
  }

  /// The Sources view's columns that fit beside the rest of the Overview.
  static let sourceColumns: [ColumnSpec<SourceHealth>] = [
    .init(.init("SOURCE", width: 12, priority: 10)) { s, c in Span(s.name, c.theme.text.bold) },
    .init(.init("KIND", width: 8, priority: 4)) { s, c in Span(s.kind, c.theme.dim) },
    .init(.init("STATUS", width: 8, priority: 9), cell: SourcesView.status),
    .init(.init("AGE", width: 7, alignment: .right, priority: 8)) { s, c in
      Span(Format.age(s.ageS(at: c.now)), c.theme.text)
    },
    .init(.init("POLL", width: 8, alignment: .right, priority: 3), cell: SourcesView.pollDuration),
    .init(.init("LAST ERROR", width: 10, priority: 7, flexible: true), cell: SourcesView.lastError),
  ]

  // MARK: Out of service

  private func renderOutOfService(_ nodes: [Node], in area: Rect, into buffer: inout Buffer) {
    let inner = panel("Nodes out of service (\(nodes.count))", area, into: &buffer)
    guard !nodes.isEmpty else {
      buffer.put("Every node is in service.", x: inner.x, y: inner.y, style: theme.style(.ok))
      return
    }
    let fits = max(0, inner.height - 1)
    let shown = nodes.count > fits ? max(0, fits - 1) : nodes.count
    Table(Self.outOfServiceColumns, rows: Array(nodes.prefix(shown)), theme: theme, now: now)
      .render(in: inner, into: &buffer)
    if shown < nodes.count {
      buffer.put(
        "… and \(nodes.count - shown) more", x: inner.x, y: inner.y + 1 + shown, style: theme.dim)
    }
  }

  static let outOfServiceColumns: [ColumnSpec<Node>] = [
    .init(.init("NODE", width: 12, priority: 10)) { n, c in Span(n.name, c.theme.text.bold) },
    .init(.init("CLUSTER", width: 10, priority: 6)) { n, c in Span(n.cluster, c.theme.dim) },
    .init(.init("STATE", width: 9, priority: 9)) { n, c in
      Span(
        n.state.rawValue,
        n.state == .down ? c.theme.style(.crit).bold : c.theme.style(.warn).bold)
    },
    .init(.init("FOR", width: 7, alignment: .right, priority: 8)) { n, c in
      Span(
        n.stateSince.map { Format.age(c.now.timeIntervalSince($0)) } ?? Format.unknown,
        c.theme.text)
    },
    .init(.init("REASON", width: 12, priority: 7, flexible: true)) { n, c in
      Span(n.reason ?? "—", c.theme.text)
    },
  ]
}
