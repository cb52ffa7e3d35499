import FleetModel
import Foundation

/// The views `factop snapshot --view` exports as tables, one table each.
public enum SnapshotView: String, Sendable, CaseIterable {
  case fleet, nodes, gpus, jobs, power, cost, savings, ledger
}

/// Everything a snapshot's tables are made of: the snapshot, the power chain and the savings
/// report with its 1 % line.
public struct SnapshotTables: Sendable {
  public let snapshot: Snapshot
  public let power: PowerRollup
  public let savings: SavingsReport?

  public init(snapshot: Snapshot, power: PowerRollup, savings: SavingsReport?) {
    self.snapshot = snapshot
    self.power = power
    self.savings = savings
  }

  /// The tables of a report: its snapshot, power chain and savings.
  public init(report: FleetReport) {
    self.init(snapshot: Snapshot(report: report), power: report.power, savings: report.savings)
  }

  public func table(_ view: SnapshotView) -> ExportTable {
    switch view {
    case .fleet: fleet
    case .nodes: nodes
    case .gpus: gpus
    case .jobs: jobs
    case .power: powerTable
    case .cost: cost
    case .savings: savingsTable
    case .ledger: ledgerTable
    }
  }

  /// The fleet's totals, then each cluster's.
  var fleet: ExportTable {
    let f = snapshot.fleet
    var rows: [[ExportTable.Cell]] = [
      [
        .text("fleet"), .text("fleet"), .unknown, .unknown, .unknown, .integer(f.nodesTotal),
        .integer(f.gpusTotal), .integer(f.gpusAllocated), .integer(f.gpusBusy),
        .integer(f.gpusIdleAllocated), .integer(f.capacity?.gpusFree),
        .integer(f.capacity?.gpusPending), .integer(f.capacity?.gpusStranded),
        .integer(f.capacity?.gpusFragmented), .number(f.utilMeanPct), .number(f.powerW),
        .number(f.costUSDPerHour), .number(f.spendMTDUSD),
      ]
    ]
    rows += snapshot.clusters.map { c in
      [
        .text("cluster"), .text(c.name), .text(c.scheduler), .text(c.site), .text(c.pricing),
        .integer(c.nodesTotal), .integer(c.gpusTotal), .integer(c.gpusAllocated),
        .integer(c.gpusBusy), .integer(c.gpusIdleAllocated), .integer(c.capacity.gpusFree),
        .integer(c.capacity.gpusPending), .integer(c.capacity.gpusStranded),
        .integer(c.capacity.gpusFragmented), .number(c.utilMeanPct), .number(c.powerW),
        .number(c.costUSDPerHour), .number(c.spendMTDUSD),
      ]
    }
    return ExportTable(
      name: "fleet",
      columns: [
        "scope", "name", "scheduler", "site", "pricing", "nodes_total", "gpus_total",
        "gpus_allocated", "gpus_busy", "gpus_idle_allocated", "gpus_free", "gpus_pending",
        "gpus_stranded", "gpus_fragmented", "util_mean_pct", "power_w", "cost_usd_per_h",
        "spend_mtd_usd",
      ], rows: rows)
  }

  var nodes: ExportTable {
    ExportTable(
      name: "nodes",
      columns: [
        "name", "cluster", "rack", "state", "reason", "gpus_total", "gpus_allocated", "power_w",
      ],
      rows: snapshot.nodes.map { n in
        [
          .text(n.name), .text(n.cluster), .text(n.rack), .text(n.state.rawValue),
          .text(n.reason), .integer(n.gpusTotal), .integer(n.gpusAllocated), .number(n.powerW),
        ]
      })
  }

  var gpus: ExportTable {
    ExportTable(
      name: "gpus",
      columns: [
        "uuid", "cluster", "node", "index", "pci_bus_id", "model", "job", "util_pct",
        "sm_active_pct", "mem_used_mib", "mem_total_mib", "power_w", "temp_c",
      ],
      rows: snapshot.gpus.map { g in
        [
          .text(g.uuid), .text(g.cluster), .text(g.node), .integer(g.index), .text(g.pciBusID),
          .text(g.model), .text(g.job),
          .number(g.utilPct), .number(g.smActivePct), .number(g.memUsedMiB),
          .integer(g.memTotalMiB), .number(g.powerW), .number(g.tempC),
        ]
      })
  }

  var jobs: ExportTable {
    ExportTable(
      name: "jobs",
      columns: [
        "cluster", "id", "name", "user", "team", "kind", "state", "gpus", "nodes", "start",
        "cost_usd_per_h", "cost_so_far_usd", "spend_mtd_usd", "time_limit_s", "ends_by",
        "cost_at_limit_usd", "fabric_received_bytes_per_s", "fabric_transmitted_bytes_per_s",
        "network_bound",
      ],
      rows: snapshot.jobs.map { j in
        [
          .text(j.cluster), .text(j.id), .text(j.name), .text(j.user), .text(j.team),
          .text(j.kind.rawValue), .text(j.state.rawValue), .integer(j.gpus),
          .text(j.nodes.joined(separator: " ")), .time(j.start), .number(j.costUSDPerHour),
          .number(j.costSoFarUSD), .number(j.spendMTDUSD), .number(j.timeLimitS), .time(j.endsBy),
          .number(j.costAtLimitUSD), .number(j.fabricReceivedBytesPerS),
          .number(j.fabricTransmittedBytesPerS), .text(j.networkBound),
        ]
      })
  }

  /// Sites, clusters, racks and nodes, each with its readings, budget and headroom.
  var powerTable: ExportTable {
    func row(_ e: PowerRollup.Entry, cluster: String?, rack: String?) -> [ExportTable.Cell] {
      [
        .text(e.level.rawValue), .text(e.name), .text(e.site.isEmpty ? nil : e.site),
        .text(cluster), .text(rack), .number(e.itW.map { $0.rounded(toPlaces: 1) }),
        .number(e.gpuW.map { $0.rounded(toPlaces: 1) }),
        .number(e.restOfNodeW.map { $0.rounded(toPlaces: 1) }), .number(e.meterW),
        .number(e.unattributedW.map { $0.rounded(toPlaces: 1) }), .number(e.budgetW),
        .number(e.headroomPct.map { $0.rounded(toPlaces: 2) }), .number(e.pue),
        .number(e.facilityW.map { $0.rounded(toPlaces: 1) }), .integer(e.nodesWithoutBMC),
        .integer(e.nodesOutOfOrder.count),
      ]
    }
    var rows = [row(power.fleet, cluster: nil, rack: nil)]
    for site in power.sites {
      rows.append(row(site.entry, cluster: nil, rack: nil))
      for cluster in site.clusters {
        rows.append(row(cluster.entry, cluster: cluster.entry.name, rack: nil))
        for rack in cluster.racks {
          rows.append(row(rack.entry, cluster: cluster.entry.name, rack: rack.entry.name))
          rows += rack.nodes.map { row($0, cluster: cluster.entry.name, rack: rack.entry.name) }
        }
      }
    }
    return ExportTable(
      name: "power",
      columns: [
        "level", "name", "site", "cluster", "rack", "it_w", "gpu_w", "rest_of_node_w", "meter_w",
        "unattributed_w", "budget_w", "headroom_pct", "pue", "facility_w", "nodes_without_bmc",
        "nodes_gpu_above_bmc",
      ], rows: rows)
  }

  /// Spend of the fleet, each cluster and each team: run-rate, a month at that rate, and
  /// month to date; then, when bills were imported, what they charged per cluster and per
  /// service over their period.
  var cost: ExportTable {
    let hoursPerMonth = SavingsContext.hoursPerMonth
    func row(_ scope: String, _ name: String, _ rate: Double?, _ mtd: Double?)
      -> [ExportTable.Cell]
    {
      [
        .text(scope), .text(name), .number(rate),
        .number(rate.map { ($0 * hoursPerMonth).rounded(toPlaces: 2) }), .number(mtd), .unknown,
        .unknown,
      ]
    }
    func billed(_ scope: String, _ name: String, _ billed: Decimal, _ effective: Decimal)
      -> [ExportTable.Cell]
    {
      [
        .text(scope), .text(name), .unknown, .unknown, .unknown, .decimal(billed),
        .decimal(effective),
      ]
    }
    let fleet = snapshot.fleet
    let bill = snapshot.billing
    return ExportTable(
      name: "cost",
      columns: [
        "scope", "name", "cost_usd_per_h", "usd_per_month_at_run_rate", "spend_mtd_usd",
        "billed_cost", "effective_cost",
      ],
      rows: [row("fleet", "fleet", fleet.costUSDPerHour, fleet.spendMTDUSD)]
        + snapshot.clusters.map { row("cluster", $0.name, $0.costUSDPerHour, $0.spendMTDUSD) }
        + snapshot.teams.map { row("team", $0.name, $0.costUSDPerHour, $0.spendMTDUSD) }
        + (bill?.byCluster ?? []).map {
          billed("bill_cluster", $0.cluster, $0.billedCost, $0.effectiveCost)
        }
        + (bill?.byService ?? []).map {
          billed("bill_service", $0.service, $0.billedCost, $0.effectiveCost)
        })
  }

  /// The ranked opportunities; `in_one_percent_line` marks those that together reach 1 %.
  var savingsTable: ExportTable {
    let inLine = savings?.onePercentLine.opportunities ?? 0
    return ExportTable(
      name: "savings",
      columns: [
        "rank", "kind", "title", "scope", "usd_per_month", "pct_of_spend", "confidence", "rule",
        "action", "in_one_percent_line",
      ],
      rows: snapshot.savings.enumerated().map { i, o in
        [
          .integer(i + 1), .text(o.kind.rawValue), .text(o.title), .text(o.scope),
          .number(o.usdPerMonth.rounded(toPlaces: 2)), .number(o.pctOfSpend.rounded(toPlaces: 3)),
          .number(o.confidence), .text(o.rule), .text(o.action), .text(i < inLine ? "yes" : "no"),
        ]
      })
  }

  /// The savings ledger: each month's found, realized and moved dollars, then every entry.
  var ledgerTable: ExportTable {
    let ledger = snapshot.ledger
    let months: [[ExportTable.Cell]] = ledger.months.map { m in
      [
        .text("month"), .text(m.month), .unknown, .unknown, .unknown, .unknown, .unknown,
        .number(m.foundUSDPerMonth.rounded(toPlaces: 2)),
        .number(m.realizedUSDPerMonth.rounded(toPlaces: 2)),
        .number(m.movedUSDPerMonth.rounded(toPlaces: 2)), .unknown, .unknown, .unknown,
      ]
    }
    let entries: [[ExportTable.Cell]] = ledger.entries.map { e in
      let closed = e.status == .realized || e.status == .moved
      return [
        .text("entry"), .text(e.id), .text(e.kind.rawValue), .text(e.scope), .text(e.title),
        .text(e.status.rawValue), .time(e.confirmed),
        .number(e.usdPerMonthFound.rounded(toPlaces: 2)),
        e.status == .realized ? .number(e.usdPerMonthLast.rounded(toPlaces: 2)) : .unknown,
        e.status == .moved ? .number(e.usdPerMonthLast.rounded(toPlaces: 2)) : .unknown,
        closed ? .unknown : .number(e.usdPerMonthLast.rounded(toPlaces: 2)), .time(e.closed),
        e.movedTo.map(ExportTable.Cell.text) ?? .unknown,
      ]
    }
    return ExportTable(
      name: "ledger",
      columns: [
        "row", "id", "kind", "scope", "title", "status", "found_at", "found_usd_per_month",
        "realized_usd_per_month", "moved_usd_per_month", "open_usd_per_month", "closed_at",
        "moved_to",
      ],
      rows: months + entries)
  }
}
