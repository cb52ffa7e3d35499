import FleetModel
import Foundation
import TerminalKit

/// Every GPU as one cell of a heatmap, grouped cluster → rack → node and coloured by the chosen
/// metric. When the screen has fewer cells than there are GPUs, a cell stands for a node, then a
/// rack, then several racks, and the title says which. The selected node is drawn reversed.
struct GPUsView: Widget {
  let model: CockpitModel
  let theme: Theme
  let metric: HeatmapMetric
  /// Index of the selected node in inventory order.
  let selected: Int
  let note: String

  /// What one cell stands for.
  enum Granularity: Equatable {
    case gpu, node
    /// One cell per this many racks (1: a rack).
    case racks(Int)

    var title: String {
      switch self {
      case .gpu: "one cell per GPU"
      case .node: "one cell per node"
      case .racks(1): "one cell per rack"
      case .racks(let n): "one cell per \(n) racks"
      }
    }
  }

  /// A run of cells on one line: a node's GPUs, or consecutive nodes or racks.
  struct Cell {
    let pct: Double?
    let nodes: Range<Int>
  }

  /// A label (a rack's name) and its cells, with a blank column before each cell in `gaps`
  /// (between nodes).
  struct Segment {
    var label: String
    var cells: [Cell] = []
    var gaps: Set<Int> = []

    var width: Int { TerminalText.width(label) + cells.count + gaps.count }
  }

  /// One heatmap line: a cluster heading, or segments side by side.
  struct Line {
    var heading: String?
    var segments: [Segment] = []

    var width: Int { segments.reduce(0) { $0 + $1.width } + max(0, segments.count - 1) * 2 }
  }

  func render(in area: Rect, into buffer: inout Buffer) {
    let inner = Panel.inner(area).inset(dx: 1, dy: 0)
    guard inner.height >= 3, inner.width >= 10 else { return }
    let heat = Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - 2)
    let (granularity, lines) = layout(width: heat.width, height: heat.height)
    Panel(
      title:
        "GPUs (\(Format.count(model.state.gpus.count))) · \(metric.title) · \(granularity.title)",
      note: note, borderStyle: theme.style(.border), titleStyle: theme.style(.title).bold,
      noteStyle: theme.dim
    ).render(in: area, into: &buffer)
    for (row, line) in lines.prefix(heat.height).enumerated() {
      let y = heat.y + row
      if let heading = line.heading {
        buffer.put(heading, x: heat.x, y: y, style: theme.style(.headerForeground).bold)
        continue
      }
      var x = heat.x
      for segment in line.segments {
        x += buffer.put(segment.label, x: x, y: y, style: theme.dim)
        for (i, cell) in segment.cells.enumerated() {
          if segment.gaps.contains(i) { x += 1 }
          var style = cell.pct.map { theme.utilization($0) } ?? theme.dim
          if cell.nodes.contains(selected) { style = style.reversed }
          buffer.put(Self.glyph(cell.pct), x: x, y: y, style: style)
          x += 1
        }
        x += 2
      }
    }
    renderLegend(in: Rect(x: inner.x, y: inner.maxY - 2, width: inner.width, height: 1), &buffer)
    renderSelection(in: Rect(x: inner.x, y: inner.maxY - 1, width: inner.width, height: 1), &buffer)
  }

  /// A cell's glyph: its height tells the value even without colour; a dot is unknown.
  static func glyph(_ pct: Double?) -> String {
    guard let pct else { return "·" }
    let levels = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    return levels[min(7, max(0, Int(pct / 12.5)))]
  }

  private func renderLegend(in row: Rect, _ buffer: inout Buffer) {
    var spans = [Span("0 ", theme.dim)]
    for step in stride(from: 0.0, through: 100, by: 12.5) {
      spans.append(Span(Self.glyph(min(step, 99.9)), theme.utilization(step)))
    }
    spans += [
      Span(" 100 %", theme.dim), Span("   · unknown", theme.dim),
      Span("   t: next metric · Enter: the node's GPUs", theme.dim),
    ]
    TerminalKit.Line(spans).render(in: row, into: &buffer)
  }

  private func renderSelection(in row: Rect, _ buffer: inout Buffer) {
    guard model.nodeRows.indices.contains(selected) else { return }
    let r = model.nodeRows[selected]
    TerminalKit.Line([
      Span("▶ \(r.node.name)", theme.text.bold),
      Span("  \(r.node.cluster) · \(r.node.rack) · ", theme.dim),
      Span(r.node.state.rawValue, theme.nodeState(r.node.state)),
      Span(r.node.reason.map { " (\($0))" } ?? "", theme.dim),
      Span(
        "  · \(r.gpusAllocated)/\(r.gpusTotal) allocated · util \(Format.percent(r.utilPct))"
          + " · \(Format.power(r.powerW)) · hottest "
          + (r.hottestC.map { "\(Int($0.rounded())) °C" } ?? "N/A"), theme.text),
    ]).render(in: row, into: &buffer)
  }

  /// The finest granularity whose lines fit `height`, and those lines.
  func layout(width: Int, height: Int) -> (Granularity, [Line]) {
    let racks = rackGroups()
    let readings = gpuPctByNode
    let label = min(12, (racks.map { TerminalText.width($0.name) }.max() ?? 0) + 1)
    for granularity in [Granularity.gpu, .node] {
      // A line holds at most `width` cells: more cells than the screen has room for cannot fit,
      // and laying out every GPU of a large fleet only to find so took most of a frame.
      let cells = granularity == .gpu ? model.state.gpus.count : model.state.nodes.count
      guard cells <= width * height else { continue }
      let lines = rackLines(
        racks, readings, granularity: granularity, label: label, width: width)
      if lines.count <= height { return (granularity, lines) }
    }
    var perCell = 1
    while true {
      let lines = clusterLines(racks, readings, perCell: perCell, width: width)
      if lines.count <= height || perCell >= racks.count { return (.racks(perCell), lines) }
      perCell *= 2
    }
  }

  /// A rack's name, cluster and nodes (indices into the inventory), in inventory order.
  struct RackGroup {
    let cluster: String
    let name: String
    var nodes: [Int]
  }

  private func rackGroups() -> [RackGroup] {
    var groups: [RackGroup] = []
    for (i, node) in model.state.nodes.enumerated() {
      if let last = groups.last, last.cluster == node.cluster, last.name == node.rack {
        groups[groups.count - 1].nodes.append(i)
      } else {
        groups.append(RackGroup(cluster: node.cluster, name: node.rack, nodes: [i]))
      }
    }
    return groups
  }

  /// Each node's GPU readings on the metric's scale, in GPU index order.
  private var gpuPctByNode: [[Double?]] {
    model.gpusByNode.map { gpus in gpus.map { metric.pct($0.sample, of: $0.gpu) } }
  }

  private static func mean(_ values: [Double?]) -> Double? {
    let known = values.compactMap { $0 }
    return known.isEmpty ? nil : known.reduce(0, +) / Double(known.count)
  }

  /// A heading per cluster, then each rack as a label and a cell per GPU (nodes apart) or per
  /// node; racks sit side by side while they fit, and a rack wider than the screen wraps.
  private func rackLines(
    _ racks: [RackGroup], _ readings: [[Double?]], granularity: Granularity, label: Int,
    width: Int
  ) -> [Line] {
    var lines: [Line] = []
    var cluster = ""
    func place(_ segment: Segment) {
      if let last = lines.last, last.heading == nil, last.width + 2 + segment.width <= width {
        lines[lines.count - 1].segments.append(segment)
      } else {
        lines.append(Line(segments: [segment]))
      }
    }
    for rack in racks {
      if rack.cluster != cluster {
        cluster = rack.cluster
        lines.append(clusterHeading(cluster))
      }
      let name = String(rack.name.prefix(label - 1)).padding(
        toLength: label, withPad: " ", startingAt: 0)
      var segment = Segment(label: name)
      for node in rack.nodes {
        let cells: [Cell] =
          granularity == .gpu
          ? readings[node].map { Cell(pct: $0, nodes: node..<node + 1) }
          : [Cell(pct: Self.mean(readings[node]), nodes: node..<node + 1)]
        if segment.width + 1 + cells.count > width, !segment.cells.isEmpty {
          place(segment)
          segment = Segment(label: String(repeating: " ", count: label))
        }
        // GPU cells keep a space between nodes so each node reads as a block.
        if granularity == .gpu, !segment.cells.isEmpty { segment.gaps.insert(segment.cells.count) }
        segment.cells += cells
      }
      place(segment)
    }
    return lines
  }

  /// A heading per cluster, then its racks packed `perCell` to a cell, filling whole lines.
  private func clusterLines(
    _ racks: [RackGroup], _ readings: [[Double?]], perCell: Int, width: Int
  ) -> [Line] {
    var lines: [Line] = []
    for cluster in model.state.clusters.map(\.name) {
      let own = racks.filter { $0.cluster == cluster }
      guard !own.isEmpty else { continue }
      lines.append(clusterHeading(cluster))
      var segment = Segment(label: "")
      for start in stride(from: 0, to: own.count, by: perCell) {
        let nodes = own[start..<min(own.count, start + perCell)].flatMap(\.nodes)
        if segment.cells.count == width {
          lines.append(Line(segments: [segment]))
          segment = Segment(label: "")
        }
        segment.cells.append(
          Cell(
            pct: Self.mean(nodes.flatMap { readings[$0] }),
            nodes: (nodes.first ?? 0)..<((nodes.last ?? 0) + 1)))
      }
      lines.append(Line(segments: [segment]))
    }
    return lines
  }

  private func clusterHeading(_ name: String) -> Line {
    let gpus = model.summary.clusters.first { $0.cluster.name == name }?.totals.gpusTotal ?? 0
    let scheduler = model.state.clusters.first { $0.name == name }?.scheduler.rawValue ?? ""
    return Line(heading: "\(name) · \(scheduler) · \(Format.count(gpus)) GPUs")
  }
}
