import Foundation

/// Detectors that judge capacity: free while demand waits, out of service, or failing.
extension Detectors {
  /// GPUs standing free while jobs in the same cluster wait for GPUs.
  static func strandedCapacity(
    _ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules
  ) -> [Opportunity] {
    let capacity = CapacityAnalysis.byCluster(c.state)
    return c.state.clusters.compactMap { cluster in
      guard let analysis = capacity[cluster.name], analysis.gpusStranded > 0 else { return nil }
      let free = c.state.gpus.filter { gpu in
        guard let node = index.nodes[gpu.node], node.cluster == cluster.name else { return false }
        return (node.state == .idle || node.state == .mixed) && c.state.allocations[gpu.id] == nil
      }
      guard !free.isEmpty else { return nil }
      let waiting = c.state.jobs.filter { $0.cluster == cluster.name && $0.state == .pending }
      let perGPU = c.monthlyCost(of: free, index) / Double(free.count)
      return Opportunity(
        kind: .strandedCapacity,
        title:
          "\(analysis.gpusStranded) GPUs of \(cluster.name) stand free while \(waiting.count) jobs wait for \(analysis.gpusPending)",
        scope: "cluster \(cluster.name)", usdPerMonth: perGPU * Double(analysis.gpusStranded),
        confidence: 0.6,
        rule:
          "free GPUs on nodes that take work while pending jobs in the same cluster ask for GPUs",
        evidence: [
          .init(
            type: "number", id: nil,
            detail:
              "\(analysis.gpusFree) GPUs free, \(analysis.gpusFragmented) of them in pieces too small for any pending job"
          )
        ]
          + waiting.prefix(5).map {
            .init(
              type: "job", id: $0.id,
              detail: "\($0.name) by \($0.user) (\($0.team)) waits for \($0.gpus) GPUs")
          },
        action:
          "Backfill smaller jobs onto the free GPUs, pack partial nodes so the waiting jobs fit, and check reservations and partition limits holding nodes back."
      )
    }
  }

  /// Nodes out of service for more than a day: paid for, unusable.
  static func outOfServiceCapacity(
    _ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules
  ) -> [Opportunity] {
    c.state.nodes.compactMap { node in
      guard [.drained, .draining, .down].contains(node.state), let since = node.stateSince,
        c.now.timeIntervalSince(since) >= rules.outOfServiceHours * 3_600,
        let gpus = index.gpusByNode[node.id]
      else { return nil }
      let days = c.now.timeIntervalSince(since) / 86_400
      return Opportunity(
        kind: .drainedCapacity,
        title: "\(node.name) has been \(node.state.rawValue) for \(format(days)) days",
        scope: "node \(node.name)", usdPerMonth: c.monthlyCost(of: gpus, index), confidence: 0.9,
        rule: "out of service for more than \(format(rules.outOfServiceHours, 0)) h",
        evidence: [
          .init(
            type: "node", id: node.name,
            detail:
              "\(node.state.rawValue) since \(ISO8601DateFormatter().string(from: since)): \(node.reason ?? "no reason given")"
          ),
          .init(type: "number", id: nil, detail: "\(gpus.count) GPUs"),
        ],
        action: "Repair or RMA \(node.name) and return it to service, or stop paying for it.")
    }
  }

  /// A node still in service whose GPUs report hardware faults: each time it fails, every job on
  /// it loses the work since its last checkpoint and its restart.
  static func lemonNode(_ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules)
    -> [Opportunity]
  {
    c.state.nodes.compactMap { node in
      guard !node.state.isUnavailable, node.state != .unknown,
        let gpus = index.gpusByNode[node.id]
      else { return nil }
      let faults = gpus.compactMap { gpu -> (GPU, String)? in
        guard let sample = c.state.gpuSamples[gpu.id] else { return nil }
        if let xid = sample.xidLast, rules.hardwareXIDs.contains(xid) {
          return (gpu, "XID \(xid) (\(sample.xidCount ?? 1)×)")
        }
        if let dbe = sample.eccDoubleBit, dbe > 0 { return (gpu, "\(dbe) double-bit ECC errors") }
        return nil
      }
      guard !faults.isEmpty else { return nil }
      let jobs = Set(gpus.compactMap { c.state.allocations[$0.id] })
      let lostHours = (rules.assumedCheckpointIntervalMin / 2 + rules.restartMin) / 60
      let perFailure = jobs.reduce(0.0) { sum, job in
        sum + c.monthlyCost(of: index.gpusByJob[job] ?? [], index) / SavingsContext.hoursPerMonth
          * lostHours
      }
      guard perFailure > 0 else { return nil }
      // The node's own record where the incident log has one, else the assumption.
      let observed = rules.observedFailures.flatMap { record in
        record.perNodePerMonth[node.id].map { ($0, record.days) }
      }
      let failuresPerMonth = observed?.0 ?? rules.lemonFailuresPerMonth
      let rate =
        observed.map { "\(format($0.0, 1)) failures a month observed over \(format($0.1, 0)) days" }
        ?? "\(format(rules.lemonFailuresPerMonth, 0)) failures a month assumed"
      return Opportunity(
        kind: .lemonNode,
        title: "\(node.name) shows hardware faults while running \(jobs.count) jobs",
        scope: "node \(node.name)", usdPerMonth: perFailure * failuresPerMonth,
        confidence: observed == nil ? 0.4 : 0.7,
        rule:
          "hardware-fault XIDs or double-bit ECC on a node in service; \(rate), each costing its jobs \(format(lostHours * 60, 0)) min",
        evidence: faults.map {
          .init(
            type: "gpu", id: $0.0.uuid ?? "\($0.0.id)",
            detail: "\(node.name) GPU \($0.0.index): \($0.1)")
        }
          + jobs.sorted().map { .init(type: "job", id: $0.id, detail: "runs on \(node.name)") },
        action:
          "Drain \(node.name), run `dcgmi diag -r 3`, and replace or RMA the GPU before it fails a job again."
      )
    }
  }
}
