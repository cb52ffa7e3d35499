import FleetModel
import Foundation
import TerminalKit

/// The power chain: facility, IT, GPUs and the rest of the nodes, the fleet's IT power over the
/// day, and a site → cluster → rack table with budgets, headroom and PUE. Enter lists the nodes
/// under the selected row.
struct PowerView: Widget {
  let model: CockpitModel
  let theme: Theme
  let selected: Int
  let drilled: Bool
  let note: String
  let now: Date

  /// One table row: a site, a cluster or a rack, holding its part of the tree so the nodes
  /// below it are gathered only when the row is opened.
  enum Row {
    case site(PowerRollup.Site)
    case cluster(PowerRollup.ClusterPower)
    case rack(PowerRollup.Rack)

    var entry: PowerRollup.Entry {
      switch self {
      case .site(let site): site.entry
      case .cluster(let cluster): cluster.entry
      case .rack(let rack): rack.entry
      }
    }

    var depth: Int {
      switch self {
      case .site: 0
      case .cluster: 1
      case .rack: 2
      }
    }

    var nodes: [PowerRollup.Entry] {
      switch self {
      case .site(let site): site.clusters.flatMap { $0.racks.flatMap(\.nodes) }
      case .cluster(let cluster): cluster.racks.flatMap(\.nodes)
      case .rack(let rack): rack.nodes
      }
    }
  }

  /// Sites, their clusters and their racks, in inventory order.
  static func rows(_ power: PowerRollup) -> [Row] {
    power.sites.flatMap { site in
      [Row.site(site)]
        + site.clusters.flatMap { cluster in
          [Row.cluster(cluster)] + cluster.racks.map(Row.rack)
        }
    }
  }

  func render(in area: Rect, into buffer: inout Buffer) {
    let rows = Self.rows(model.power)
    if drilled, rows.indices.contains(selected) {
      renderNodes(of: rows[selected], in: area, into: &buffer)
      return
    }
    let summaryHeight = min(4, max(0, area.height - 6))
    let (top, rest) = area.splitTop(summaryHeight + 2)
    renderSummary(in: top, into: &buffer)
    ListPanel(
      title: "Power by site, cluster and rack", note: note, theme: theme, now: now,
      columns: Self.columns, rows: rows.map { ($0.entry, $0.depth) }, selected: selected
    ).render(in: rest, into: &buffer)
  }

  /// A scope and how deep in the tree it is drawn (a node listed on its own is at 0).
  typealias Scope = (entry: PowerRollup.Entry, depth: Int)

  static let columns: [ColumnSpec<Scope>] = [
    .init(.init("SCOPE", width: 18, priority: 10)) { s, c in
      Span(
        String(repeating: "  ", count: s.depth) + s.entry.name,
        s.entry.level == .site ? c.theme.text.bold : c.theme.text)
    },
    .init(.init("IT", width: 9, alignment: .right, priority: 10)) { s, c in
      Span(Format.power(s.entry.itW), c.theme.text)
    },
    .init(.init("GPUS", width: 9, alignment: .right, priority: 9)) { s, c in
      Span(Format.power(s.entry.gpuW), c.theme.text)
    },
    .init(.init("REST OF NODE", width: 12, alignment: .right, priority: 7)) { s, c in
      Span(
        Format.power(s.entry.restOfNodeW),
        s.entry.nodesOutOfOrder.isEmpty ? c.theme.text : c.theme.style(.crit).bold)
    },
    .init(.init("UNATTRIB.", width: 9, alignment: .right, priority: 3)) { s, c in
      Span(s.entry.unattributedW.map { Format.power($0) } ?? "—", c.theme.dim)
    },
    .init(.init("BUDGET", width: 9, alignment: .right, priority: 8)) { s, c in
      Span(s.entry.budgetW.map { Format.power($0) } ?? "—", c.theme.dim)
    },
    .init(.init("HEADROOM", width: 8, alignment: .right, priority: 9)) { s, c in
      let headroom = s.entry.headroomPct
      return Span(
        headroom.map { Format.percent($0, places: 0) } ?? "—",
        headroom.map {
          $0 < 0 ? c.theme.style(.crit).bold : $0 < 10 ? c.theme.style(.warn) : c.theme.text
        } ?? c.theme.dim)
    },
    // The PUE is the site's: said once, on its row.
    .init(.init("PUE", width: 4, alignment: .right, priority: 5)) { s, c in
      Span(
        s.entry.level == .site
          ? s.entry.pue.map { String(format: "%.2f", $0) } ?? Format.unknown : "", c.theme.dim)
    },
    .init(.init("FACILITY", width: 9, alignment: .right, priority: 6)) { s, c in
      Span(Format.power(s.entry.facilityW), c.theme.text)
    },
    .init(.init("NO BMC", width: 6, alignment: .right, priority: 4)) { s, c in
      Span(
        s.entry.nodesWithoutBMC == 0 ? "" : Format.count(s.entry.nodesWithoutBMC),
        c.theme.style(.warn))
    },
  ]

  private func renderSummary(in area: Rect, into buffer: inout Buffer) {
    Panel(
      title: "Power chain", note: note, borderStyle: theme.style(.border),
      titleStyle: theme.style(.title).bold, noteStyle: theme.dim
    ).render(in: area, into: &buffer)
    let inner = Panel.inner(area).inset(dx: 1, dy: 0)
    let label = theme.style(.headerForeground).bold
    let fleet = model.power.fleet
    let gpuShare = fleet.gpuW.flatMap { g in fleet.itW.map { $0 > 0 ? g / $0 * 100 : 0 } }
    let trend = model.powerHistory.compactMap { $0 }
    let graphWidth = max(0, min(96, inner.width - 34))
    var lines: [[Span]] = [
      [
        Span("Facility ", label), Span(Format.power(model.power.facilityW), theme.text.bold),
        Span(" = IT ", theme.dim), Span(Format.power(fleet.itW), theme.text),
        Span(" × site PUE", theme.dim), Span(" · unattributed ", label),
        fleet.unattributedW.map { Span(Format.power($0), theme.text) }
          ?? Span("N/A (no PDU read)", theme.dim),
      ],
      [
        Span("IT       ", label),
        Span(
          "GPUs \(Format.power(fleet.gpuW)) (\(Format.percent(gpuShare, places: 0)))", theme.text),
        Span(" · rest of nodes \(Format.power(fleet.restOfNodeW))", theme.text),
      ],
      [
        Span("IT 24h   ", label),
        Span(
          Sparkline.text(
            Sparkline.resampled(model.powerHistory, to: graphWidth),
            maximum: trend.max() ?? 1, width: graphWidth), theme.style(.highlightForeground)),
        Span(
          trend.isEmpty
            ? " no history yet"
            : "  \(Format.power(trend.min()!)) … \(Format.power(trend.max()!))", theme.dim),
      ],
    ]
    if !fleet.racksOutOfOrder.isEmpty {
      lines.append([
        Span(
          "⚠ nodes above their PDU's reading in \(fleet.racksOutOfOrder.count) rack(s): "
            + fleet.racksOutOfOrder.prefix(4).joined(separator: ", "), theme.style(.crit).bold)
      ])
    }
    if !fleet.nodesOutOfOrder.isEmpty {
      lines.append([
        Span(
          "⚠ GPUs above their node's BMC reading on \(fleet.nodesOutOfOrder.count) node(s): "
            + fleet.nodesOutOfOrder.prefix(4).joined(separator: ", "), theme.style(.crit).bold)
      ])
    } else if fleet.nodesWithoutBMC > 0 {
      lines.append([
        Span(
          "\(Format.count(fleet.nodesWithoutBMC)) node(s) without a BMC reading count their GPUs only",
          theme.style(.warn))
      ])
    }
    for (i, spans) in lines.enumerated() where i < inner.height {
      Line(spans).render(in: inner.row(i), into: &buffer)
    }
  }

  private func renderNodes(of row: Row, in area: Rect, into buffer: inout Buffer) {
    let nodes = row.nodes
    Panel(
      title: "\(row.entry.level.rawValue) \(row.entry.name): \(Format.count(nodes.count)) nodes",
      note: "\(note) · Esc: back", borderStyle: theme.style(.border),
      titleStyle: theme.style(.title).bold,
      noteStyle: theme.dim
    ).render(in: area, into: &buffer)
    Table(Self.columns, rows: nodes.map { ($0, 0) }, theme: theme, now: now).render(
      in: Panel.inner(area).inset(dx: 1, dy: 0), into: &buffer)
  }
}
