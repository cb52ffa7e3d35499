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
    let (spendArea, rest) = area.splitTop(min(6, area.height))
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
          "Projected from \(Format.age(projection.historyHours * 3_600)) of history: \(projection.method)",
          theme.dim)
      ])
    }
    for (i, spans) in lines.enumerated() where i < inner.height {
      Line(spans).render(in: inner.row(i), into: &buffer)
    }
  }

  private func renderClusters(in area: Rect, into buffer: inout Buffer) {
    guard area.height >= 3 else { return }
    let inner = panel("By cluster · where each price comes from", area, into: &buffer)
    let clusters = model.summary.clusters
    Table(
      columns: [
        .init("CLUSTER", width: 12, priority: 10), .init("PRICING", width: 11, priority: 6),
        .init("$/H", width: 9, alignment: .right, priority: 9),
        .init("MTD", width: 10, alignment: .right, priority: 8),
        .init("BILLED", width: 10, alignment: .right, priority: 5),
        .init("PRICES (USD/GPU-h, source, as of)", width: 30, priority: 7, flexible: true),
      ],
      rowCount: clusters.count, headerStyle: theme.style(.headerForeground).bold
    ) { i in
      let cluster = clusters[i].cluster
      let provenance = (model.gpuModelsByCluster[cluster.name] ?? []).map { name in
        guard let price = model.prices.price(model: name, pricing: cluster.pricing) else {
          return "\(name): no price"
        }
        return String(
          format: "%@ $%.2f (%@, %@)", name, price.usdPerGPUHour, price.source, price.asOf)
      }.joined(separator: "; ")
      return [
        Span(cluster.name, theme.text.bold), Span(cluster.pricing.rawValue, theme.dim),
        Span(Format.dollars(clusters[i].totals.costUSDPerHour), theme.text),
        Span(Format.dollars(model.monthToDate.clusters[cluster.name]?.usd), theme.text),
        // What imported bills charged for the cluster's resources, over the bills' period.
        Span(
          model.billing.map { bill in
            bill.byCluster.first { $0.cluster == cluster.name }.map {
              Format.decimal($0.effectiveCost)
            } ?? "—"
          } ?? "—", theme.text),
        Span(provenance, theme.dim),
      ]
    }.render(in: inner, into: &buffer)
  }

  private func renderTeams(in area: Rect, into buffer: inout Buffer) {
    guard area.height >= 3 else { return }
    let inner = panel("By team", area, "(unallocated) is capacity no job holds", into: &buffer)
    let teams = model.teams
    let total = teams.reduce(0) { $0 + $1.usdPerHour }
    Table(
      columns: [
        .init("TEAM", width: 16, priority: 10),
        .init("$/H", width: 9, alignment: .right, priority: 9),
        .init("SHARE", width: 7, alignment: .right, priority: 8),
        .init("$/MONTH", width: 10, alignment: .right, priority: 6),
        .init("MTD", width: 10, alignment: .right, priority: 7),
      ],
      rowCount: min(teams.count, max(0, inner.height - 1)),
      headerStyle: theme.style(.headerForeground).bold
    ) { i in
      let team = teams[i]
      return [
        Span(
          team.name, team.name == SpendBreakdown.unallocated ? theme.style(.warn) : theme.text.bold),
        Span(Format.dollars(team.usdPerHour), theme.text),
        Span(total > 0 ? String(format: "%.1f %%", team.usdPerHour / total * 100) : "", theme.dim),
        Span(Format.dollarsCompact(team.usdPerHour * 730), theme.text),
        Span(Format.dollars(model.monthToDate.teams[team.name]?.usd), theme.text),
      ]
    }.render(in: inner, into: &buffer)
  }
}
