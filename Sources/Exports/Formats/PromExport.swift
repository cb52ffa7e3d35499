import FleetModel
import Foundation
import UntrustedText

/// Fleet KPIs, per-cluster figures, sources and savings in the Prometheus text exposition
/// format, for node exporter's textfile collector or a push: every name starts `factop_` and
/// says its unit; an unknown value is left out rather than written as 0.
public enum PromExport {
  public static func render(_ tables: SnapshotTables) -> String {
    var out = MetricWriter()
    let snapshot = tables.snapshot
    let f = snapshot.fleet

    out.gauge("factop_build_info", "Always 1; the label says which factop release wrote this.") {
      $0.sample(["version": snapshot.factopVersion], 1)
    }
    out.gauge("factop_snapshot_timestamp_seconds", "When the snapshot was taken (Unix time).") {
      $0.sample([:], snapshot.generatedAt.timeIntervalSince1970)
    }
    out.gauge("factop_source_up", "1 while a source answers and its data is fresh, else 0.") {
      for s in snapshot.sources {
        $0.sample(["source": s.name, "kind": s.kind], s.status == .ok ? 1 : 0)
      }
    }
    out.gauge("factop_source_data_age_seconds", "Age of the newest data from each source.") {
      for s in snapshot.sources { $0.sample(["source": s.name], s.ageS) }
    }
    out.gauge("factop_nodes", "Nodes by state.") {
      for state in NodeState.allCases {
        $0.sample(["state": state.rawValue], f.nodesByState.map { Double($0[state.rawValue] ?? 0) })
      }
    }
    out.gauge(
      "factop_gpus",
      "GPUs by cluster and state: total, allocated, busy, idle_allocated, free, pending, stranded, fragmented."
    ) { family in
      // Before any source answers the fleet's counts are unknown, and left out.
      let fleetCounts = f.gpuCounts.map { [("(fleet)", $0)] } ?? []
      let scopes = fleetCounts + snapshot.clusters.map { ($0.name, $0.gpuCounts) }
      for (cluster, counts) in scopes {
        for (state, count) in counts {
          family.sample(["cluster": cluster, "state": state], Double(count))
        }
      }
    }
    out.gauge("factop_util_mean_ratio", "Mean GPU activity (0 to 1), fleet and per cluster.") {
      $0.sample(["cluster": "(fleet)"], f.utilMeanPct.map { $0 / 100 })
      for c in snapshot.clusters { $0.sample(["cluster": c.name], c.utilMeanPct.map { $0 / 100 }) }
    }
    out.gauge("factop_power_watts", "IT power drawn, fleet and per cluster.") {
      $0.sample(["cluster": "(fleet)"], f.powerW)
      for c in snapshot.clusters { $0.sample(["cluster": c.name], c.powerW) }
    }
    out.gauge("factop_facility_power_watts", "Facility power: IT power × each site's PUE.") {
      $0.sample([:], tables.power.facilityW)
    }
    out.gauge("factop_cost_usd_per_hour", "Spend run-rate, fleet and per cluster.") {
      $0.sample(["cluster": "(fleet)"], f.costUSDPerHour)
      for c in snapshot.clusters { $0.sample(["cluster": c.name], c.costUSDPerHour) }
    }
    out.gauge("factop_spend_month_to_date_usd", "Spend since the start of the month (UTC).") {
      $0.sample(["cluster": "(fleet)"], f.spendMTDUSD)
      for c in snapshot.clusters { $0.sample(["cluster": c.name], c.spendMTDUSD) }
    }
    out.gauge("factop_savings_usd_per_month", "Each savings opportunity, by rank.") {
      for (i, o) in snapshot.savings.enumerated() {
        $0.sample(
          ["rank": String(i + 1), "kind": o.kind.rawValue, "scope": o.scope], o.usdPerMonth)
      }
    }
    out.gauge("factop_savings_one_percent_line_usd_per_month", "1 % of monthly spend.") {
      $0.sample([:], tables.savings?.onePercentLine.usdPerMonth)
    }
    if !snapshot.fabric.isEmpty {
      func labels(_ port: Snapshot.FabricEntry) -> [String: String] {
        [
          "cluster": port.cluster ?? "", "node": port.node, "device": port.device,
          "port": port.port,
        ]
      }
      out.gauge("factop_fabric_port_active", "1 when an InfiniBand port is ACTIVE, else 0.") {
        family in
        for port in snapshot.fabric {
          family.sample(labels(port), port.state.map { $0 == "ACTIVE" ? 1 : 0 })
        }
      }
      out.gauge(
        "factop_fabric_port_flapping", "1 when the port's link went down since the poll before."
      ) { family in
        for port in snapshot.fabric { family.sample(labels(port), port.flapping ? 1 : 0) }
      }
      out.gauge(
        "factop_fabric_received_bytes_per_second", "Data received, between the last two polls."
      ) { family in
        for port in snapshot.fabric { family.sample(labels(port), port.receivedBytesPerS) }
      }
      out.gauge(
        "factop_fabric_transmitted_bytes_per_second", "Data sent, between the last two polls."
      ) { family in
        for port in snapshot.fabric { family.sample(labels(port), port.transmittedBytesPerS) }
      }
      out.gauge(
        "factop_fabric_errors_per_second",
        "Receive, symbol and recovery errors, between the last two polls."
      ) { family in
        for port in snapshot.fabric { family.sample(labels(port), port.errorsPerS) }
      }
    }
    // Only the GPUs whose NVLink is erroring: at 131,072 GPUs one series each would dwarf the
    // rest of the export, and dcgm-exporter already has the counters of every GPU.
    let erroring = snapshot.gpus.filter { ($0.nvlinkErrorsPerS ?? 0) > 0 }
    if !erroring.isEmpty {
      out.gauge(
        "factop_gpu_nvlink_errors_per_second",
        "NVLink CRC, replay and recovery errors over 5 minutes, of GPUs that have any."
      ) { family in
        for gpu in erroring {
          family.sample(
            ["cluster": gpu.cluster, "node": gpu.node, "gpu": String(gpu.index)],
            gpu.nvlinkErrorsPerS)
        }
      }
    }
    out.gauge(
      "factop_savings_ledger_usd_per_month",
      "The savings ledger: open now, and found, realized and moved per month (UTC)."
    ) { family in
      family.sample(["status": "open", "month": "(now)"], snapshot.ledger.openUSDPerMonth)
      for m in snapshot.ledger.months {
        family.sample(["status": "found", "month": m.month], m.foundUSDPerMonth)
        family.sample(["status": "realized", "month": m.month], m.realizedUSDPerMonth)
        family.sample(["status": "moved", "month": m.month], m.movedUSDPerMonth)
      }
    }
    let incidents = snapshot.incidents
    out.counter(
      "factop_incident_cost_usd_total",
      "What failures have cost since the cache began recording incidents: lost work, waits and idle GPUs, priced."
    ) { $0.sample([:], incidents.totalUSD) }
    out.counter(
      "factop_incident_gpu_seconds_total",
      "GPU time failures have cost since the cache began recording incidents."
    ) { $0.sample([:], incidents.totalGPUHours * 3_600) }
    out.gauge("factop_incident_cost_usd", "What failures cost over the last day and week.") {
      $0.sample(["window": "24h"], incidents.lastDay.usd)
      $0.sample(["window": "7d"], incidents.lastWeek.usd)
    }
    out.gauge("factop_incidents_open", "Incidents still going on: a node out, a job waiting.") {
      $0.sample([:], Double(incidents.open))
    }
    if let bill = snapshot.billing, bill.currency == "USD" {
      out.gauge(
        "factop_bill_effective_cost_usd",
        "Imported bills (FOCUS): effective cost per service over their period."
      ) { family in
        for service in bill.byService {
          family.sample(
            ["service": service.service],
            NSDecimalNumber(decimal: service.effectiveCost).doubleValue)
        }
      }
    }
    return out.text
  }
}

/// GPU counts by state, in the order the `factop_gpus` family lists them.
private func gpuCounts(
  total: Int, allocated: Int, busy: Int, idleAllocated: Int, capacity: Snapshot.Capacity
) -> [(String, Int)] {
  [
    ("total", total), ("allocated", allocated), ("busy", busy), ("idle_allocated", idleAllocated),
    ("free", capacity.gpusFree), ("pending", capacity.gpusPending),
    ("stranded", capacity.gpusStranded), ("fragmented", capacity.gpusFragmented),
  ]
}

extension Snapshot.ClusterEntry {
  var gpuCounts: [(String, Int)] {
    Exports.gpuCounts(
      total: gpusTotal, allocated: gpusAllocated, busy: gpusBusy,
      idleAllocated: gpusIdleAllocated, capacity: capacity)
  }
}

extension Snapshot.Fleet {
  /// The fleet's counts, as a cluster's; nil while they are unknown.
  var gpuCounts: [(String, Int)]? {
    guard let gpusTotal, let gpusAllocated, let gpusBusy, let gpusIdleAllocated, let capacity
    else { return nil }
    return Exports.gpuCounts(
      total: gpusTotal, allocated: gpusAllocated, busy: gpusBusy,
      idleAllocated: gpusIdleAllocated, capacity: capacity)
  }
}

/// Writes metric families: HELP and TYPE lines, then samples with escaped label values.
struct MetricWriter {
  private(set) var text = ""

  struct Family {
    let name: String
    var lines: [String] = []

    mutating func sample(_ labels: [String: String], _ value: Double?) {
      guard let value, value.isFinite else { return }
      let rendered = labels.sorted { $0.key < $1.key }.map {
        "\($0.key)=\"\(Self.escape($0.value))\""
      }
      lines.append(
        name + (rendered.isEmpty ? "" : "{" + rendered.joined(separator: ",") + "}") + " "
          + ExportTable.Cell.plain(value))
    }

    /// A label value made inert (node, job and service names come from outside; inert text
    /// has no line breaks), then quoted as the exposition format asks.
    static func escape(_ value: String) -> String {
      UntrustedText.inert(value).replacingOccurrences(of: "\\", with: "\\\\")
        .replacingOccurrences(of: "\"", with: "\\\"")
    }
  }

  mutating func gauge(_ name: String, _ help: String, _ fill: (inout Family) -> Void) {
    family(name, "gauge", help, fill)
  }

  /// A value that only grows (its name ends `_total`).
  mutating func counter(_ name: String, _ help: String, _ fill: (inout Family) -> Void) {
    family(name, "counter", help, fill)
  }

  private mutating func family(
    _ name: String, _ type: String, _ help: String, _ fill: (inout Family) -> Void
  ) {
    var family = Family(name: name)
    fill(&family)
    text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    text += family.lines.map { $0 + "\n" }.joined()
  }
}
