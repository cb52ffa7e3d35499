import FleetModel
import Foundation
import TerminalKit

/// Where the money goes: run-rate, month to date and the week ahead, then by cluster (with where
/// each price came from) and by team.
struct CostView: Widget {
  let model: CockpitModel
  let theme: Theme
  let now: Date

  func render(in area: Rect, into buffer: inout Buffer) {
    // The spend panel grows by a line for each change known ahead it lists (three at most),
    // and by one for managed AI services the bills charge for.
    let known = min(3, model.projection?.knownChanges.count ?? 0)
    let managed = model.billing?.managedAI.isEmpty == false ? 1 : 0
    let (spendArea, rest) = area.splitTop(min(6 + known + managed, area.height))
    let (clusterArea, teamArea) = rest.splitTop(min(model.summary.clusters.count + 3, rest.height))
    renderSpend(in: spendArea, into: &buffer)
    renderClusters(in: clusterArea, into: &buffer)
    renderTeams(in: teamArea, into: &buffer)
  }

  private func panel(_ title: String, _ area: Rect, _ note: String = "", into buffer: inout Buffer)
    -> Rect
  {
    Panel(
      title: title, note: note, borderStyle: theme.style(.border),
      titleStyle: theme.style(.title).bold, noteStyle: theme.dim
    ).render(in: area, into: &buffer)
    return Panel.inner(area).inset(dx: 1, dy: 0)
  }

  private func renderSpend(in area: Rect, into buffer: inout Buffer) {
    guard area.height >= 3 else { return }
    let inner = panel(
      "Spend", area, "data \(Format.age(model.dataAgeS(at: now))) ago", into: &buffer)
    let label = theme.style(.headerForeground).bold
    let rate = model.summary.fleet.costUSDPerHour
    let mtd = model.monthToDate.fleet
    var lines: [[Span]] = [
      [
        Span("Run-rate ", label), Span(Format.dollars(rate) + "/h", theme.text.bold),
        Span(rate.map { "  ≈ \(Format.dollarsCompact($0 * 730))/month" } ?? "", theme.dim),
        Span("   Month to date ", label), Span(Format.dollars(mtd?.usd), theme.text.bold),
        Span(mtd?.since.map { "  since \(Format.utc($0))" } ?? "", theme.dim),
      ]
    ]
    if let bill = model.billing {
      let period = [bill.periodStart, bill.periodEnd].compactMap { $0 }.map {
        String(Format.utc($0).prefix(10))
      }.joined(separator: " – ")
      let unmapped = bill.byCluster.first { $0.cluster == BillingSummary.unmapped }
      lines.append([
        Span("Imported bills ", label),
        Span(
          "\(Format.decimal(bill.effectiveCost)) effective"
            + (bill.currency == "USD" ? "" : " (\(bill.currency ?? "mixed currencies"))"),
          theme.text.bold),
        Span(
          "  (billed \(Format.decimal(bill.billedCost)), list \(Format.decimal(bill.listCost)))"
            + " \(period) · \(Format.count(bill.rows)) charges"
            + (unmapped.map { " · \(Format.decimal($0.effectiveCost)) not on a cluster" } ?? ""),
          theme.dim),
      ])
      // Serving and training bought rather than built, under the names the bills give them.
      if !bill.managedAI.isEmpty {
        lines.append(
          [Span("Managed AI ", label)]
            + bill.managedAI.prefix(4).enumerated().flatMap { i, service in
              [
                Span(i == 0 ? "" : " · ", theme.dim), Span(service.service + " ", theme.text),
                Span(Format.decimal(service.effectiveCost), theme.text.bold),
              ]
            }
            + [
              Span(
                bill.managedAI.count > 4 ? " · \(bill.managedAI.count - 4) more" : "", theme.dim)
            ])
      }
    }
    if let opencost = model.opencost {
      let window = [opencost.windowStart, opencost.windowEnd].compactMap { $0 }.map {
        String(Format.utc($0).dropLast(4))
      }.joined(separator: " – ")
      let top = opencost.byNamespace.prefix(3).map {
        "\($0.namespace) \(Format.dollarsCompact($0.totalCost))"
      }.joined(separator: ", ")
      lines.append([
        Span("OpenCost ", label),
        Span("\(Format.dollarsCompact(opencost.totalCost))", theme.text.bold),
        Span(
          " (GPUs \(Format.dollarsCompact(opencost.gpuCost))) \(window) · \(top)", theme.dim),
      ])
    }
    if let projection = model.projection, let first = projection.days.first?.spendUSD {
      let week = projection.days.compactMap(\.spendUSD)
      let total = week.reduce(0) { $0 + $1.value }
      let low = week.reduce(0) { $0 + $1.low }
      let high = week.reduce(0) { $0 + $1.high }
      lines.append([
        Span("Next 7 days ", label), Span(Format.dollarsCompact(total), theme.text.bold),
        Span("  80 %: \(Format.dollarsCompact(low)) – \(Format.dollarsCompact(high))", theme.dim),
        Span("   Tomorrow ", label), Span(Format.dollarsCompact(first.value), theme.text),
      ])
      lines.append([
        Span(
          "Projected from \(Format.age(projection.historyHours * 3_600)) of history: "
            + "\(projection.method); 80 % band: \(projection.band)",
          theme.dim)
      ])
      for change in projection.knownChanges.prefix(3) {
        lines.append([
          Span("Known ahead ", label),
          Span(
            "\(String(change.date.formatted(.iso8601).prefix(10))) "
              + "\(change.usdPerHour >= 0 ? "+" : "−")\(Format.dollarsCompact(abs(change.usdPerHour) * 24))/day",
            theme.text.bold),
          Span("  \(change.reason)", theme.dim),
        ])
      }
    }
    for (i, spans) in lines.enumerated() where i < inner.height {
      Line(spans).render(in: inner.row(i), into: &buffer)
    }
  }

  /// One cluster's spend, with the bills' charge for it and where each of its prices came from.
  struct ClusterSpend: Sendable {
    let cluster: Cluster
    let usdPerHour: Double?
    let monthToDate: Double?
    /// What imported bills charged for the cluster's resources, over the bills' period; nil
    /// without bills, "—" when the bills name none of it.
    let billed: String?
    let prices: String
  }

  /// One team's spend and its share of the fleet's.
  struct TeamSpend: Sendable {
    let line: SpendBreakdown.Line
    let sharePct: Double?
    let monthToDate: Double?
  }

  static let clusterColumns: [ColumnSpec<ClusterSpend>] = [
    .init(.init("CLUSTER", width: 12, priority: 10)) { r, c in
      Span(r.cluster.name, c.theme.text.bold)
    },
    .init(.init("PRICING", width: 11, priority: 6)) { r, c in
      Span(r.cluster.pricing.rawValue, c.theme.dim)
    },
    .init(.init("$/H", width: 9, alignment: .right, priority: 9)) { r, c in
      Span(Format.dollars(r.usdPerHour), c.theme.text)
    },
    .init(.init("MTD", width: 10, alignment: .right, priority: 8)) { r, c in
      Span(Format.dollars(r.monthToDate), c.theme.text)
    },
    .init(.init("BILLED", width: 10, alignment: .right, priority: 5)) { r, c in
      Span(r.billed ?? "—", c.theme.text)
    },
    .init(.init("PRICES (USD/GPU-h, source, as of)", width: 30, priority: 7, flexible: true)) {
      r, c in Span(r.prices, c.theme.dim)
    },
  ]

  static let teamColumns: [ColumnSpec<TeamSpend>] = [
    .init(.init("TEAM", width: 16, priority: 10)) { r, c in
      Span(
        r.line.name,
        r.line.name == SpendBreakdown.unallocated ? c.theme.style(.warn) : c.theme.text.bold)
    },
    .init(.init("$/H", width: 9, alignment: .right, priority: 9)) { r, c in
      Span(Format.dollars(r.line.usdPerHour), c.theme.text)
    },
    .init(.init("SHARE", width: 7, alignment: .right, priority: 8)) { r, c in
      Span(r.sharePct.map { String(format: "%.1f %%", $0) } ?? "", c.theme.dim)
    },
    .init(.init("$/MONTH", width: 10, alignment: .right, priority: 6)) { r, c in
      Span(Format.dollarsCompact(r.line.usdPerHour * 730), c.theme.text)
    },
    .init(.init("MTD", width: 10, alignment: .right, priority: 7)) { r, c in
      Span(Format.dollars(r.monthToDate), c.theme.text)
    },
  ]

  var clusterRows: [ClusterSpend] {
    model.summary.clusters.map { summary in
      let cluster = summary.cluster
      let prices = (model.gpuModelsByCluster[cluster.name] ?? []).map { name in
        guard let price = model.prices.price(model: name, pricing: cluster.pricing) else {
          return "\(name): no price"
        }
        return String(
          format: "%@ $%.2f (%@, %@)", name, price.usdPerGPUHour, price.source, price.asOf)
      }.joined(separator: "; ")
      let billed = model.billing.map { bill in
        bill.byCluster.first { $0.cluster == cluster.name }.map {
          Format.decimal($0.effectiveCost)
        } ?? "—"
      }
      return ClusterSpend(
        cluster: cluster, usdPerHour: summary.totals.costUSDPerHour,
        monthToDate: model.monthToDate.clusters[cluster.name]?.usd, billed: billed,
        prices: prices)
    }
  }

  var teamRows: [TeamSpend] {
    let total = model.teams.reduce(0) { $0 + $1.usdPerHour }
    return model.teams.map { line in
      TeamSpend(
        line: line, sharePct: total > 0 ? line.usdPerHour / total * 100 : nil,
        monthToDate: model.monthToDate.teams[line.name]?.usd)
    }
  }

  private func renderClusters(in area: Rect, into buffer: inout Buffer) {
    guard area.height >= 3 else { return }
    let inner = panel("By cluster · where each price comes from", area, into: &buffer)
    Table(Self.clusterColumns, rows: clusterRows, theme: theme, now: now).render(
      in: inner, into: &buffer)
  }

  private func renderTeams(in area: Rect, into buffer: inout Buffer) {
    guard area.height >= 3 else { return }
    let inner = panel("By team", area, "(unallocated) is capacity no job holds", into: &buffer)
    Table(
      Self.teamColumns, rows: Array(teamRows.prefix(max(0, inner.height - 1))), theme: theme,
      now: now
    ).render(in: inner, into: &buffer)
  }
}
