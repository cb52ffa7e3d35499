import FleetModel
import Foundation
import TerminalKit

/// GPUs as table rows with their latest readings and, from the cockpit's own history, a
/// sparkline each of activity and power: the body of a node's and a job's details.
struct GPUTable {
  let model: CockpitModel
  let theme: Theme
  let now: Date
  let gpus: [GPU]
  /// Whose GPUs these are: a job's span nodes, so each row names its node; a node's GPUs may
  /// serve several jobs, so each row names its job.
  enum Owner { case node, job }
  let owner: Owner

  /// One GPU as a row: its reading, who it is shown with, and its recent history.
  struct Row: Sendable {
    let gpu: GPU
    let sample: GPUSample?
    /// The job holding it (on a node's table) or its node (on a job's).
    let owner: String?
    let activity: [Double?]
    let powerPct: [Double?]
  }

  /// The columns, with the sparklines drawn `widths` wide (the layout's, once it is known).
  static func columns(owner: Owner, widths: (activity: Int, power: Int) = (0, 0))
    -> [ColumnSpec<Row>]
  {
    [
      .init(.init(owner == .job ? "NODE" : "JOB", width: 14, priority: 9)) { r, c in
        Span(r.owner ?? "—", c.theme.text)
      },
      .init(.init("GPU", width: 3, alignment: .right, priority: 10)) { r, c in
        Span(String(r.gpu.index), c.theme.dim)
      },
      .init(.init("MODEL", width: 14, priority: 3)) { r, c in Span(r.gpu.model.name, c.theme.dim) },
      .init(.init("UTIL", width: 7, alignment: .right, priority: 10)) { r, c in
        let activity = r.sample?.activity?.pct
        return Span(
          Format.percent(activity), activity.map { c.theme.utilization($0) } ?? c.theme.dim)
      },
      .init(.init("SM", width: 7, alignment: .right, priority: 5)) { r, c in
        Span(Format.percent(r.sample?.smActivePct), c.theme.text)
      },
      .init(.init("POWER", width: 7, alignment: .right, priority: 8)) { r, c in
        Span(r.sample?.powerW.map { "\(Int($0.rounded())) W" } ?? Format.unknown, c.theme.text)
      },
      .init(.init("TEMP", width: 5, alignment: .right, priority: 7)) { r, c in
        Span(r.sample?.tempC.map { "\(Int($0.rounded()))°C" } ?? Format.unknown, c.theme.text)
      },
      .init(.init("MEM", width: 7, alignment: .right, priority: 4)) { r, c in
        Span(
          Format.percent(r.sample?.memUsedMiB.map { $0 / Double(r.gpu.model.memoryMiB) * 100 }),
          c.theme.text)
      },
      .init(.init("XID", width: 4, alignment: .right, priority: 6)) { r, c in
        Span(
          r.sample?.xidLast.map(String.init) ?? "—",
          r.sample?.xidLast == nil ? c.theme.dim : c.theme.style(.crit).bold)
      },
      .init(
        .init("ACTIVITY, LAST \(GPUHistory.slots) POLLS", width: 24, priority: 9, flexible: true)
      ) { r, c in
        Span(
          Sparkline.text(r.activity, maximum: 100, width: widths.activity),
          r.sample?.activity.map { c.theme.utilization($0.pct) } ?? c.theme.dim)
      },
      .init(.init("POWER % OF TDP", width: 16, priority: 2)) { r, c in
        Span(
          Sparkline.text(r.powerPct, maximum: 100, width: widths.power),
          c.theme.style(.highlightForeground))
      },
    ]
  }

  var rows: [Row] {
    gpus.map { gpu in
      Row(
        gpu: gpu, sample: model.state.gpuSamples[gpu.id],
        owner: owner == .job ? gpu.node.name : model.state.allocations[gpu.id]?.id,
        activity: model.gpuHistory.activity(of: gpu.id),
        powerPct: model.gpuHistory.powerPct(of: gpu.id))
    }
  }

  func render(in area: Rect, into buffer: inout Buffer) {
    guard area.height >= 2 else { return }
    let headers = Self.columns(owner: owner).map(\.column)
    let layout = Table.layout(headers, width: area.width)
    func width(_ column: Int) -> Int { layout.first { $0.index == column }?.width ?? 0 }
    let columns = Self.columns(
      owner: owner, widths: (width(headers.count - 2), width(headers.count - 1)))
    Table(columns, rows: rows, theme: theme, now: now).render(
      in: area, into: &buffer)
  }
}

/// A node's facts and its GPUs: what Enter opens on the Nodes and GPUs views.
struct NodeDetailView: Widget {
  let model: CockpitModel
  let theme: Theme
  let row: NodeRow
  let note: String
  let now: Date

  func render(in area: Rect, into buffer: inout Buffer) {
    let node = row.node
    Panel(
      title: "\(node.name) · \(node.cluster) · rack \(node.rack)", note: "\(note) · Esc: back",
      borderStyle: theme.style(.border), titleStyle: theme.style(.title).bold, noteStyle: theme.dim
    ).render(in: area, into: &buffer)
    let inner = Panel.inner(area).inset(dx: 1, dy: 0)
    let label = theme.style(.headerForeground).bold
    let gpus = model.state.gpus.filter { $0.node == node.id }
    let gpuW = gpus.compactMap { model.state.gpuSamples[$0.id]?.powerW }
    let nodeW = model.state.nodeSamples[node.id]?.powerW
    // Which meter read the node, when one did (a BMC, an outlet, node exporter).
    let meter = model.state.meters.last {
      $0.scope == .node && ($0.target == node.name || $0.target == node.id.description)
    }?.via
    let gpuSum = gpuW.isEmpty ? nil : gpuW.reduce(0, +)
    let lines: [[Span]] =
      [
        [
          Span("State  ", label), Span(node.state.rawValue, theme.nodeState(node.state)),
          Span(node.reason.map { " (\($0))" } ?? "", theme.text),
          Span(
            node.stateSince.map { " for \(Format.age(now.timeIntervalSince($0)))" } ?? "", theme.dim
          ),
        ],
        [
          Span("GPUs   ", label),
          Span(
            "\(row.gpusAllocated) of \(row.gpusTotal) allocated · util \(Format.percent(row.utilPct))"
              + " · hottest " + (row.hottestC.map { "\(Int($0.rounded())) °C" } ?? Format.unknown)
              + " · XID on \(row.gpusWithXID) · ECC double-bit \(row.eccDoubleBit)"
              + (row.nvlinkErrorsPerS.map { String(format: " · NVLink %.1f errors/s", $0) } ?? ""),
            (row.nvlinkErrorsPerS ?? 0) > 0 ? theme.style(.warn) : theme.text),
        ],
        [
          Span("Power  ", label),
          Span(
            "node \(Format.power(nodeW))"
              + (nodeW == nil ? " (no node reading)" : meter.map { " (\($0))" } ?? "")
              + " · GPUs \(Format.power(gpuSum))"
              + " · rest of node \(Format.power(nodeW.flatMap { n in gpuSum.map { n - $0 } }))",
            theme.text),
        ],
      ] + fabricLines(label: label)
    for (i, spans) in lines.enumerated() where i < inner.height {
      Line(spans).render(in: inner.row(i), into: &buffer)
    }
    GPUTable(model: model, theme: theme, now: now, gpus: gpus, owner: .node).render(
      in: Rect(
        x: inner.x, y: inner.y + lines.count + 1, width: inner.width,
        height: max(0, inner.height - lines.count - 1)), into: &buffer)
  }
}

extension NodeDetailView {
  /// A line per InfiniBand port of the node (four at most): its state, speed, traffic and
  /// errors, and a warning where its link went down since the poll before.
  func fabricLines(label: Style) -> [[Span]] {
    let ports = model.state.fabric.filter { $0.nodeID == row.node.id }
    return ports.prefix(4).map { port in
      func count(_ value: Double?) -> String { value.map { String(Int($0)) } ?? Format.unknown }
      return [
        Span("Fabric ", label),
        Span(
          "\(port.name) \(port.state ?? Format.unknown) \(port.physicalState ?? "")"
            + " · \(Format.bytesPerSecond(port.rateBytesPerS))"
            + " · rx \(Format.bytesPerSecond(port.receivedBytesPerS))"
            + " tx \(Format.bytesPerSecond(port.transmittedBytesPerS))"
            + " · rx errors \(count(port.receiveErrorsTotal))"
            + (port.errorsPerS.map { String(format: " (%.1f errors/s)", $0) } ?? "")
            + " · link down \(count(port.linkDownedTotal))×",
          port.state == "ACTIVE" ? theme.text : theme.style(.warn)),
        Span(
          port.isFlapping
            ? "  ⚠ flapping: down \(count(port.linkDownedNew))× since the last poll" : "",
          theme.style(.crit).bold),
      ]
    }
  }
}

extension JobDetailView {
  /// The job's fabric, where its nodes report InfiniBand ports, and the warning when it looks
  /// held back by it.
  func networkLine(_ job: Job, label: Style) -> [[Span]] {
    guard let network = model.jobNetworks[job.key] else { return [] }
    return [
      [
        Span("Fabric   ", label),
        Span(
          "rx \(Format.bytesPerSecond(network.receivedBytesPerS))"
            + " tx \(Format.bytesPerSecond(network.transmittedBytesPerS))"
            + " over \(network.ports.count) port(s)"
            + (network.linkShare.map { String(format: " · %.0f %% of their rate", $0 * 100) } ?? ""),
          theme.text),
        Span(network.verdict.map { "  ⚠ network-bound: \($0)" } ?? "", theme.style(.warn).bold),
      ]
    ]
  }

  /// A pod whose containers restarted: how often, and how the last run ended (a GPU error said
  /// so is what the incident log counts).
  func restartsLine(_ job: Job, label: Style) -> [[Span]] {
    guard let restarts = job.restarts, restarts.count > 0 else { return [] }
    return [
      [
        Span("Restarts ", label),
        Span(
          "\(restarts.count)",
          restarts.lastExitNamesAGPUError ? theme.style(.warn).bold : theme.text),
        Span(
          (restarts.lastExit.map { " · last: \($0)" } ?? "")
            + (restarts.lastExitAt.map { " (\(Format.age(max(0, now.timeIntervalSince($0)))) ago)" }
              ?? ""),
          theme.dim),
      ]
    ]
  }

  /// A training job's goodput over the last day: its ETTR beside the model's, and what it lost.
  func goodputLine(_ job: Job, label: Style) -> [[Span]] {
    guard let goodput = model.goodput[job.key] else { return [] }
    let below = goodput.ettr < goodput.expectedETTR - 0.02
    return [
      [
        Span("Goodput  ", label),
        Span(
          String(format: "ETTR %.1f %%", goodput.ettr * 100),
          below ? theme.style(.warn).bold : theme.text.bold),
        Span(
          String(format: " (model %.1f %% at its size)", goodput.expectedETTR * 100)
            + " over \(Format.age(goodput.wallHours * 3_600))"
            + String(format: " · %.1f h lost to failures", goodput.lostToFailuresHours)
            + (goodput.stalledHours.map { String(format: ", %.1f h stalled", $0) } ?? "")
            + " · \(Format.dollarsCompact(goodput.lostUSD)) lost",
          theme.dim),
      ]
    ]
  }
}

/// A job's facts, its utilization over the day from the cache, and its GPUs: what Enter opens
/// on the Jobs view.
struct JobDetailView: Widget {
  let model: CockpitModel
  let theme: Theme
  let row: JobRow
  let note: String
  let now: Date

  func render(in area: Rect, into buffer: inout Buffer) {
    let job = row.job
    let gpus = model.state.gpus.filter { model.state.allocations[$0.id] == job.key }
    let inner = Panel.inner(area).inset(dx: 1, dy: 0)
    let label = theme.style(.headerForeground).bold
    let network =
      networkLine(job, label: label) + goodputLine(job, label: label)
      + restartsLine(job, label: label)
    // Below the facts (three lines, and the fabric's, goodput's and restarts' where there are)
    // and a blank line.
    let tableRows = max(0, inner.height - 5 - network.count)
    let hidden = max(0, gpus.count - tableRows + 1)
    Panel(
      title: "job \(job.id) · \(job.name) · \(job.cluster)"
        + (hidden > 0
          ? " · first \(Format.count(gpus.count - hidden)) of \(Format.count(gpus.count)) GPUs"
          : ""),
      note: "\(note) · Esc: back", borderStyle: theme.style(.border),
      titleStyle: theme.style(.title).bold, noteStyle: theme.dim
    ).render(in: area, into: &buffer)
    let runtime = job.start.map { max(0, now.timeIntervalSince($0)) }
    let history = model.jobHistory[job.key] ?? []
    let known = history.compactMap { $0 }
    let lines: [[Span]] =
      [
        [
          Span("Who      ", label),
          Span(
            "\(job.user) (team \(job.team)) · \(job.kind.rawValue) · \(job.state.rawValue)",
            theme.text),
          Span(runtime.map { " for \(Format.age($0))" } ?? "", theme.dim),
          Span(
            job.timeLimitS.map { limit in
              " · limit \(Format.age(limit))"
                + (job.endsBy.map { ", \(Format.age(max(0, $0.timeIntervalSince(now)))) left" }
                  ?? "")
            } ?? "", theme.dim),
        ],
        [
          Span("Size     ", label),
          Span(
            "\(Format.count(job.gpus)) GPUs on \(Format.count(job.nodes.count)) nodes"
              + " · util \(Format.percent(row.utilPct)) · \(Format.dollars(row.costUSDPerHour))/h"
              + " · \(Format.dollarsCompact(row.costUSDPerHour.flatMap { r in runtime.map { r * $0 / 3_600 } })) so far"
              + (job.costAtLimitUSD(atRate: row.costUSDPerHour).map {
                " · \(Format.dollarsCompact($0)) at its limit"
              } ?? ""),
            theme.text),
        ],
      ] + network + [
        [
          Span("Util 24h ", label),
          Span(
            Sparkline.text(
              Sparkline.resampled(history, to: max(0, inner.width - 40)), maximum: 100,
              width: max(0, inner.width - 40)),
            theme.style(.highlightForeground)),
          Span(
            known.isEmpty
              ? " no history in the cache yet"
              : String(format: "  min %.0f %% · max %.0f %%", known.min()!, known.max()!), theme.dim
          ),
        ]
      ]
    for (i, spans) in lines.enumerated() where i < inner.height {
      Line(spans).render(in: inner.row(i), into: &buffer)
    }
    GPUTable(
      model: model, theme: theme, now: now, gpus: Array(gpus.prefix(max(0, tableRows - 1))),
      owner: .job
    )
    .render(
      in: Rect(x: inner.x, y: inner.y + lines.count + 1, width: inner.width, height: tableRows),
      into: &buffer)
  }
}
