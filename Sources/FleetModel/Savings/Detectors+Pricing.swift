import Foundation

/// Detectors that judge how capacity is bought.
extension Detectors {
  /// On-demand clusters whose steady allocation is above the reservation break-even.
  static func pricingMix(_ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules)
    -> [Opportunity]
  {
    c.state.clusters.compactMap { cluster in
      guard c.historyHours >= rules.dailyShapeMinHours, cluster.pricing == .onDemand else {
        return nil
      }
      let gpus = c.state.gpus.filter { index.nodes[$0.node]?.cluster == cluster.name }
      let allocated = gpus.filter { c.state.allocations[$0.id] != nil }
      guard !gpus.isEmpty, !allocated.isEmpty else { return nil }
      // The baseline: GPUs allocated throughout the window, in today's mix of models.
      let baseline = min(
        Double(allocated.count), c.clusterAllocated[cluster.name]?.min() ?? Double(allocated.count))
      let share = baseline / Double(allocated.count)
      let onDemand = c.monthlyCost(of: allocated, index)
      let reserved = c.monthlyCost(of: allocated, index, pricing: .reserved1y)
      guard onDemand > 0, reserved > 0 else { return nil }
      let breakEven = reserved / onDemand
      let steadyShare = baseline / Double(gpus.count)
      guard steadyShare > breakEven else { return nil }
      return Opportunity(
        kind: .pricingMix,
        title:
          "Reserve \(format(baseline, 0)) steady GPUs of \(cluster.name) instead of paying on demand",
        scope: "cluster \(cluster.name)", usdPerMonth: (onDemand - reserved) * share,
        // A week shows the weekly low too; a day may miss a quiet weekend.
        confidence: c.historyHours >= 24 * 7 ? 0.8 : 0.6,
        rule:
          "allocated share never below \(format(steadyShare * 100)) % over \(hours(c)), above the 1-year break-even of \(format(breakEven * 100)) %",
        evidence: [
          .init(
            type: "series", id: "cluster/\(cluster.name)/gpus_allocated",
            detail: "at least \(format(baseline, 0)) of \(gpus.count) GPUs allocated"),
          .init(
            type: "number", id: nil,
            detail:
              "on demand \(DollarText.whole(onDemand))/month vs reserved \(DollarText.whole(reserved)) for the allocated GPUs"
          ),
        ],
        action: "Buy 1-year reservations for the steady baseline; keep bursts on demand.")
    }
  }

  /// Training on on-demand capacity that checkpoints (its dips show in its activity) can survive
  /// spot preemptions: the price gap, minus the work each preemption throws away.
  static func spotForCheckpointed(
    _ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules
  ) -> [Opportunity] {
    c.state.jobs.compactMap { job in
      guard job.state == .running, job.kind == .training, let gpus = index.gpusByJob[job.key],
        let cluster = index.clusters[job.cluster], cluster.pricing == .onDemand,
        let interval = CheckpointCadence.interval(c.jobActivity[job.key] ?? [])
      else { return nil }
      let onDemand = c.monthlyCost(of: gpus, index)
      let spot = c.monthlyCost(of: gpus, index, pricing: .spot)
      guard spot > 0 else { return nil }
      let lostHours = (interval / 2 + rules.restartMin) / 60
      let preemptionLoss =
        spot / SavingsContext.hoursPerMonth * lostHours * rules.spotPreemptionsPerMonth
      let net = onDemand - spot - preemptionLoss
      guard net > 0 else { return nil }
      return Opportunity(
        kind: .pricingMix,
        title: "Run \(job.name) on spot: it checkpoints every \(format(interval, 0)) min",
        scope: "job \(job.cluster)/\(job.id)", owner: "team \(job.team)", usdPerMonth: net,
        confidence: 0.5,
        rule:
          "checkpointed training on on-demand capacity: on-demand − spot − \(format(rules.spotPreemptionsPerMonth, 0)) preemptions a month × (interval/2 + restart)",
        evidence: [
          .init(
            type: "series", id: "job/\(job.cluster)/\(job.id)",
            detail: "checkpoint dips every \(format(interval, 0)) min"),
          .init(
            type: "number", id: nil,
            detail:
              "on demand \(DollarText.whole(onDemand)) vs spot \(DollarText.whole(spot)) a month"),
        ],
        action: "Move \(job.name) to spot capacity with automatic requeue from its last checkpoint."
      )
    }
  }
}

/// Detectors that judge buying serving instead of building it.
extension Detectors {
  /// Inference deployments a managed endpoint would serve for less than their own GPUs cost
  /// sized for their busiest hour. What right-sizing saves is the overprovisioned-inference
  /// detector's; this one counts only what buying saves beyond it.
  static func managedEndpoint(
    _ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules
  ) -> [Opportunity] {
    // Autoscaling pays by following the day; without a day of history its shape is unknown.
    guard c.historyHours >= rules.dailyShapeMinHours else { return [] }
    return ManagedComparison(c, index, rules: rules).deployments.compactMap { d in
      guard let built = d.usdPerMonthRightSized else { return nil }
      func bar(_ option: ManagedComparison.Option) -> Double {
        option.sameAccelerator
          ? rules.managedMinSavingShare : rules.managedOtherAcceleratorMinSavingShare
      }
      // The cheapest option that clears its own bar.
      guard
        let best = d.options.first(where: {
          built - $0.usdPerMonthAutoscaled >= built * bar($0)
        })
      else { return nil }
      let endpoint = best.endpoint
      return Opportunity(
        kind: .managedEndpoint,
        title:
          "Serve \(d.name) on \(endpoint.service) \(endpoint.instanceType): \(format(best.instancesMean)) instances on average instead of \(d.gpusRightSized) \(d.gpuModel)",
        scope: "job \(d.job.cluster)/\(d.job.id)", owner: "team \(d.team)",
        usdPerMonth: built - best.usdPerMonthAutoscaled,
        // Another accelerator's throughput is inferred from its bandwidth, not measured.
        confidence: best.sameAccelerator ? 0.6 : 0.4,
        rule:
          "an autoscaled managed endpoint, sized hour by hour at \(format(rules.inferenceTargetPeakPct, 0)) % activity, costs ≥ \(format(bar(best) * 100, 0)) % less than the deployment's own GPUs sized for its peak",
        evidence: [
          .init(
            type: "job", id: d.job.id,
            detail:
              "\(d.gpus) \(d.gpuModel), peak \(format(d.peakActivityPct)) %, mean \(format(d.meanActivityPct)) % over \(d.profileHours) h"
          ),
          .init(
            type: "number", id: nil,
            detail:
              "own GPUs sized for the peak \(DollarText.whole(built))/month; \(endpoint.instanceType) autoscaled \(DollarText.whole(best.usdPerMonthAutoscaled))/month (\(format(best.instancesMean)) × $\(format(endpoint.usdPerHour, 2))/h)"
          ),
          .init(
            type: "price", id: endpoint.instanceType,
            detail: "\(endpoint.source), as of \(endpoint.asOf)"),
        ],
        action:
          "Benchmark \(d.name) on \(endpoint.instanceType) (`factop model managed` shows every option); move it if the latency holds, and release its GPUs."
      )
    }
  }
}
