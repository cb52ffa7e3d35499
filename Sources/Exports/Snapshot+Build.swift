import FleetModel
import Foundation

extension Snapshot {
  /// The snapshot of a report: its figures as the contract spells them, rows in cache order.
  public init(report: FleetReport) {
    let state = report.state
    let sources = report.sources
    let now = report.now
    let monthToDate = report.monthToDate
    let summary = report.summary
    let spend = report.spend
    let monthStart = MonthToDate.monthStart(of: now)
    var gpusOnNode: [NodeID: (total: Int, allocated: Int)] = [:]
    for gpu in state.gpus {
      gpusOnNode[gpu.node, default: (0, 0)].total += 1
      if state.allocations[gpu.id] != nil { gpusOnNode[gpu.node, default: (0, 0)].allocated += 1 }
    }

    self.schemaVersion = Self.schemaVersion
    self.factopVersion = FactopVersion.current
    self.generatedAt = now
    self.sources = sources.map {
      Source(
        name: $0.name, kind: $0.kind, status: $0.status(at: now),
        ageS: $0.ageS(at: now).map { $0.rounded(toPlaces: 1) }, error: $0.lastError,
        tls: $0.tls)
    }
    let totals = summary.fleet
    // Counts are known once a source has answered (an answer of no nodes is a known 0).
    let counted = !state.isEmpty || sources.contains { $0.lastSuccess != nil }
    func count<T>(_ value: T) -> T? { counted ? value : nil }
    self.fleet = Fleet(
      clusters: count(state.clusters.count), nodesTotal: count(totals.nodesTotal),
      nodesByState: count(
        Dictionary(
          uniqueKeysWithValues: NodeState.allCases.map {
            ($0.rawValue, totals.nodesByState[$0] ?? 0)
          })),
      gpusTotal: count(totals.gpusTotal), gpusAllocated: count(totals.gpusAllocated),
      gpusBusy: count(totals.gpusBusy), gpusIdleAllocated: count(totals.gpusIdleAllocated),
      capacity: count(Capacity(totals.capacity)),
      utilMeanPct: totals.utilMeanPct?.rounded(toPlaces: 2),
      utilSignal: totals.utilSignal?.rawValue, powerW: totals.powerW?.rounded(toPlaces: 1),
      costUSDPerHour: totals.costUSDPerHour?.rounded(toPlaces: 2),
      spendMTDUSD: monthToDate.fleet?.usd.rounded(toPlaces: 2),
      spendMTDSince: monthToDate.fleet?.since,
      idleAllocatedGPUHours24h: report.history.idleAllocatedGPUHours?.rounded(toPlaces: 1))
    self.teams = spend.teams.map {
      TeamEntry(
        name: $0.name, costUSDPerHour: $0.usdPerHour.rounded(toPlaces: 2),
        spendMTDUSD: monthToDate.teams[$0.name]?.usd.rounded(toPlaces: 2))
    }
    self.clusters = summary.clusters.map { entry in
      let t = entry.totals
      return ClusterEntry(
        name: entry.cluster.name, scheduler: entry.cluster.scheduler.rawValue,
        site: entry.cluster.site, pricing: entry.cluster.pricing.rawValue,
        nodesTotal: t.nodesTotal, gpusTotal: t.gpusTotal, gpusAllocated: t.gpusAllocated,
        gpusBusy: t.gpusBusy, gpusIdleAllocated: t.gpusIdleAllocated,
        capacity: Capacity(t.capacity),
        utilMeanPct: t.utilMeanPct?.rounded(toPlaces: 2), powerW: t.powerW?.rounded(toPlaces: 1),
        costUSDPerHour: t.costUSDPerHour?.rounded(toPlaces: 2),
        spendMTDUSD: monthToDate.clusters[entry.cluster.name]?.usd.rounded(toPlaces: 2))
    }
    self.nodes = state.nodes.map { node in
      let count = gpusOnNode[node.id] ?? (0, 0)
      return NodeEntry(
        name: node.name, cluster: node.cluster, rack: node.rack, state: node.state,
        reason: node.reason, gpusTotal: count.total, gpusAllocated: count.allocated,
        powerW: state.nodeSamples[node.id]?.powerW)
    }
    self.gpus = state.gpus.map { gpu in
      let s = state.gpuSamples[gpu.id]
      return GPUEntry(
        uuid: gpu.uuid, cluster: gpu.node.cluster, node: gpu.node.name, index: gpu.index,
        pciBusID: gpu.pciBusID, model: gpu.model.name, job: state.allocations[gpu.id]?.id,
        utilPct: s?.utilPct, smActivePct: s?.smActivePct,
        memUsedMiB: s?.memUsedMiB, memTotalMiB: gpu.model.memoryMiB, powerW: s?.powerW,
        tempC: s?.tempC, nvlinkErrorsPerS: s?.nvlinkErrorsPerS.map { $0.rounded(toPlaces: 3) })
    }
    self.savings = report.savings.opportunities
    self.ledger = report.ledger
    self.incidents = report.incidents
    self.goodput = report.goodput
    self.fabric = state.fabric.map(FabricEntry.init)
    self.joinFindings = state.joinFindings.map {
      JoinFindingEntry(kind: $0.kind, detail: $0.description)
    }
    func network(_ job: Job) -> JobNetwork? { report.networks[job.key] }
    self.jobs = state.jobs.map { job in
      let rate = spend.jobs[job.key]
      func cost(since date: Date?) -> Double? {
        guard let rate, let date else { return nil }
        return (rate * max(0, now.timeIntervalSince(date)) / 3_600).rounded(toPlaces: 2)
      }
      return JobEntry(
        id: job.id, cluster: job.cluster, name: job.name, user: job.user, team: job.team,
        kind: job.kind, state: job.state, gpus: job.gpus, nodes: job.nodes, start: job.start,
        costUSDPerHour: rate?.rounded(toPlaces: 2), costSoFarUSD: cost(since: job.start),
        spendMTDUSD: cost(since: job.start.map { max($0, monthStart) }),
        timeLimitS: job.timeLimitS, endsBy: job.endsBy, ended: job.end,
        restarts: job.restarts?.count, lastExit: job.restarts?.lastExit,
        costAtLimitUSD: job.costAtLimitUSD(atRate: rate)?.rounded(toPlaces: 2),
        fabricReceivedBytesPerS: network(job)?.receivedBytesPerS?.rounded(toPlaces: 1),
        fabricTransmittedBytesPerS: network(job)?.transmittedBytesPerS?.rounded(toPlaces: 1),
        networkBound: network(job)?.verdict)
    }
    self.power = Power(state, rollup: report.power)
    self.opencost = report.opencost
    self.billing = report.billing
  }

  /// True when a script should be alerted: no source, or a source that is not healthy.
  public var needsAttention: Bool { !attention.isEmpty }

  /// What deserves attention, a line each: no source at all, or each source not ok and why.
  public var attention: [String] {
    guard !sources.isEmpty else { return ["no source has written to this cache yet"] }
    return sources.compactMap { source in
      let age = source.ageS.map { "data \(Int($0)) s old" } ?? "no data yet"
      switch source.status {
      case .ok: return nil
      case .stale: return "source \(source.name) is stale: \(age)"
      case .pending: return "source \(source.name) has not answered yet"
      case .error:
        return "source \(source.name) is failing (\(age)): \(source.error ?? "no error given")"
      }
    }
  }

}

extension Snapshot.Power {
  /// The power chain of `state` as the report rolled it up, and its meters.
  init(_ state: FleetState, rollup: PowerRollup) {
    let fleet = rollup.fleet
    let nodeMeters = state.meters.filter { $0.scope == .node }
    let facility = rollup.facilityW
    self.init(
      facilityW: facility?.rounded(toPlaces: 1), itW: fleet.itW?.rounded(toPlaces: 1),
      nodeW: nodeMeters.isEmpty ? nil : nodeMeters.reduce(0) { $0 + $1.watts }.rounded(toPlaces: 1),
      gpuW: fleet.gpuW?.rounded(toPlaces: 1),
      unattributedW: fleet.unattributedW?.rounded(toPlaces: 1),
      pue: facility.flatMap { f in fleet.itW.map { $0 > 0 ? (f / $0).rounded(toPlaces: 3) : nil } }
        ?? nil,
      nodesGPUAboveBMC: fleet.nodesOutOfOrder, racksNodesAbovePDU: fleet.racksOutOfOrder,
      pdus: state.meters.filter { $0.scope == .rack }.map { rack in
        PDU(
          name: rack.target, powerW: rack.watts, via: rack.via,
          outlets: state.meters.filter {
            $0.scope == .outlet && $0.target.hasPrefix(rack.target + "#")
          }
          .map { .init(id: String($0.target.dropFirst(rack.target.count + 1)), powerW: $0.watts) })
      },
      sources: Dictionary(grouping: state.meters) { "\($0.scope.rawValue) \($0.via)" }
        .map {
          MeterSource(
            scope: $0.value[0].scope.rawValue, via: $0.value[0].via, readings: $0.value.count)
        }
        .sorted { ($0.scope, $0.via) < ($1.scope, $1.via) })
  }
}
