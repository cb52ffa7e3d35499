import Foundation

/// The savings detectors. Each is a pure function of the context and the rules, and explains
/// itself: the rule that fired, the evidence, and what to do.
enum Detectors {
  /// Mean activity (%) of these GPUs now, from the best signal each reports.
  static func currentActivity(_ gpus: [GPU], _ state: FleetState) -> Double? {
    let readings = gpus.compactMap { state.gpuSamples[$0.uuid]?.activity?.pct }
    return readings.isEmpty ? nil : readings.reduce(0, +) / Double(readings.count)
  }

  static func format(_ value: Double, _ places: Int = 1) -> String {
    String(format: "%.\(places)f", value)
  }

  static func hours(_ context: SavingsContext) -> String {
    context.historyHours > 0 ? "the last \(format(context.historyHours, 0)) h" : "the latest sample"
  }

  /// Jobs holding GPUs that do nothing.
  static func idleAllocation(
    _ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules
  )
    -> [Opportunity]
  {
    c.state.jobs.compactMap { job in
      guard job.state == .running, job.kind != .inference, let gpus = index.gpusByJob[job.id],
        gpus.count >= rules.idleMinGPUs, let now = currentActivity(gpus, c.state)
      else { return nil }
      let series = c.jobActivity[job.id] ?? []
      let mean = series.isEmpty ? now : series.reduce(0, +) / Double(series.count)
      guard mean < rules.busyThresholdPct, now < rules.busyThresholdPct else { return nil }
      return Opportunity(
        kind: .idleAllocation, title: "\(job.name) holds \(gpus.count) GPUs and does nothing",
        scope: "job \(job.cluster)/\(job.id)", usdPerMonth: c.monthlyCost(of: gpus, index),
        confidence: c.historyHours >= 1 ? 0.9 : 0.5,
        rule:
          "mean activity < \(format(rules.busyThresholdPct, 0)) % over \(hours(c)) while allocated",
        evidence: [
          .init(
            type: "job", id: job.id,
            detail: "\(job.name) by \(job.user) (\(job.team)), \(gpus.count) GPUs"),
          .init(
            type: "series", id: "job/\(job.id)",
            detail: "mean activity \(format(mean)) % over \(hours(c)), \(format(now)) % now"),
        ]
          + (job.start.map {
            [
              .init(
                type: "number", id: nil,
                detail: "running for \(format(c.now.timeIntervalSince($0) / 3_600, 0)) h")
            ]
          } ?? []),
        action:
          "Ask \(job.user) (\(job.team)) to release the GPUs or fix the job; reap allocations idle for hours."
      )
    }
  }

  /// Inference deployments sized for far more traffic than their busiest hour brings.
  static func overprovisionedInference(
    _ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules
  ) -> [Opportunity] {
    c.state.jobs.compactMap { job in
      // Without a day of history the busiest hour may not have been seen yet.
      guard c.historyHours >= rules.dailyShapeMinHours, job.state == .running,
        job.kind == .inference, let gpus = index.gpusByJob[job.id],
        let now = currentActivity(gpus, c.state)
      else { return nil }
      let peak = max(now, c.jobActivity[job.id]?.max() ?? now)
      let keep = max(
        1, Int((Double(gpus.count) * peak / rules.inferenceTargetPeakPct).rounded(.up)))
      let freed = gpus.count - keep
      guard Double(freed) >= Double(gpus.count) * rules.inferenceMinCutShare else { return nil }
      return Opportunity(
        kind: .overprovisionedInference,
        title: "\(job.name) peaks at \(format(peak, 0)) % on \(gpus.count) GPUs; \(keep) would do",
        scope: "job \(job.cluster)/\(job.id)",
        usdPerMonth: c.monthlyCost(of: gpus, index) * Double(freed) / Double(gpus.count),
        confidence: 0.8,
        rule:
          "busiest activity over \(hours(c)) ÷ \(format(rules.inferenceTargetPeakPct, 0)) % target leaves ≥ \(format(rules.inferenceMinCutShare * 100, 0)) % of GPUs spare",
        evidence: [
          .init(
            type: "job", id: job.id,
            detail: "\(gpus.count) GPUs, peak activity \(format(peak)) %, \(format(now)) % now"),
          .init(
            type: "number", id: nil,
            detail: "\(keep) GPUs reach \(format(rules.inferenceTargetPeakPct, 0)) % at the peak"),
        ],
        action:
          "Scale \(job.name) to \(keep) GPUs (or autoscale on load); keep a day's peak in view.")
    }
  }

  /// One slow GPU holding back a synchronous training job.
  static func straggler(_ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules)
    -> [Opportunity]
  {
    c.state.jobs.compactMap { job in
      guard job.state == .running, job.kind == .training, let gpus = index.gpusByJob[job.id],
        gpus.count >= rules.stragglerMinGPUs
      else { return nil }
      let readings = gpus.compactMap { gpu in
        c.state.gpuSamples[gpu.uuid].flatMap { s in s.activity.map { (gpu, s, $0.pct) } }
      }
      let sorted = readings.map(\.2).sorted()
      guard !sorted.isEmpty else { return nil }
      let median = sorted[sorted.count / 2]
      guard median >= rules.stragglerMinMedianPct else { return nil }
      let slow = readings.filter { $0.2 < median * rules.stragglerRatio }
      // A few slow GPUs are stragglers; many mean the job itself is slow.
      guard let slowest = slow.min(by: { $0.2 < $1.2 }), slow.count <= max(1, gpus.count / 16)
      else {
        return nil
      }
      let loss = 1 - slowest.2 / median
      return Opportunity(
        kind: .straggler,
        title:
          "GPU \(slowest.0.index) of \(slowest.0.node) slows \(job.name) by \(format(loss * 100, 0)) %",
        scope: "job \(job.cluster)/\(job.id)", usdPerMonth: c.monthlyCost(of: gpus, index) * loss,
        confidence: 0.7,
        rule:
          "a GPU below \(format(rules.stragglerRatio * 100, 0)) % of its job's median activity; synchronous steps wait for it",
        evidence: [
          .init(
            type: "gpu", id: slowest.0.uuid,
            detail:
              "\(slowest.0.node) GPU \(slowest.0.index): activity \(format(slowest.2)) % vs job median \(format(median)) %"
          ),
          .init(
            type: "gpu", id: slowest.0.uuid,
            detail:
              "SM clock \(slowest.1.smClockMHz.map { format($0, 0) } ?? "N/A") MHz, \(slowest.1.tempC.map { format($0, 0) } ?? "N/A") °C"
          ),
          .init(type: "job", id: job.id, detail: "\(job.name), \(gpus.count) GPUs"),
        ],
        action:
          "Drain \(slowest.0.node), requeue \(job.name) without it, and check the GPU's cooling and clocks."
      )
    }
  }

  /// GPUs standing free while jobs in the same cluster wait for GPUs.
  static func strandedCapacity(
    _ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules
  ) -> [Opportunity] {
    let capacity = CapacityAnalysis.byCluster(c.state)
    return c.state.clusters.compactMap { cluster in
      guard let analysis = capacity[cluster.name], analysis.gpusStranded > 0 else { return nil }
      let free = c.state.gpus.filter { gpu in
        guard let node = index.nodes[gpu.node], node.cluster == cluster.name else { return false }
        return (node.state == .idle || node.state == .mixed) && c.state.allocations[gpu.uuid] == nil
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

  /// Large synchronous jobs checkpointing far from the interval that balances checkpoint stalls
  /// against the work each failure throws away (Young/Daly).
  static func failureWaste(
    _ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules
  )
    -> [Opportunity]
  {
    c.state.jobs.compactMap { job in
      guard job.state == .running, job.kind == .training, let gpus = index.gpusByJob[job.id],
        !job.nodes.isEmpty
      else { return nil }
      let seen = CheckpointCadence.interval(c.jobActivity[job.id] ?? [])
      let interval = seen ?? rules.assumedCheckpointIntervalMin
      let scenario = ReliabilityScenario(
        gpus: gpus.count, gpusPerNode: max(1, gpus.count / job.nodes.count),
        failuresPer1000NodeDays: rules.failuresPer1000NodeDays, restartMin: rules.restartMin,
        checkpointCostMin: rules.checkpointCostMin)
      let best = scenario.report.optimalCheckpointMin
      let gain =
        scenario.ettr(checkpointIntervalMin: best) - scenario.ettr(checkpointIntervalMin: interval)
      guard gain >= rules.failureWasteMinShare else { return nil }
      return Opportunity(
        kind: .failureWaste,
        title:
          "\(job.name) checkpoints every \(format(interval, 0)) min; every \(format(best, 0)) min would waste \(format(gain * 100)) % less",
        scope: "job \(job.cluster)/\(job.id)", usdPerMonth: c.monthlyCost(of: gpus, index) * gain,
        confidence: seen == nil ? 0.4 : 0.7,
        rule:
          "Young/Daly: τ ≈ √(2 · checkpoint stall · MTTF), MTTF = 1 / (nodes × \(format(rules.failuresPer1000NodeDays)) failures per 1,000 node-days)",
        evidence: [
          .init(
            type: "job", id: job.id,
            detail: "\(job.name), \(gpus.count) GPUs on \(scenario.nodes) nodes"),
          .init(
            type: "number", id: nil,
            detail:
              "job MTTF \(format(scenario.report.mttfH)) h; ETTR \(format(scenario.ettr(checkpointIntervalMin: interval), 3)) now, \(format(scenario.ettr(checkpointIntervalMin: best), 3)) at \(format(best, 0)) min"
          ),
          .init(
            type: "series", id: "job/\(job.cluster)/\(job.id)",
            detail: seen.map { "checkpoint dips every \(format($0, 0)) min in its activity" }
              ?? "checkpoints not visible in its activity: \(format(interval, 0)) min assumed"),
        ],
        action:
          "Checkpoint \(job.name) about every \(format(best, 0)) minutes (asynchronous checkpoints make the stall small)."
      )
    }
  }

  /// Training on owned hardware, where the fleet pays for GPU energy: the cap whose energy saving
  /// most exceeds the GPU-hours its slowdown costs.
  static func powerCap(_ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules)
    -> [Opportunity]
  {
    c.state.jobs.compactMap { job in
      guard job.state == .running, job.kind == .training, let gpus = index.gpusByJob[job.id],
        let cluster = index.clusters[job.cluster], cluster.pricing == .owned
      else { return nil }
      let loaded = gpus.compactMap { gpu -> (GPU, GPUSample)? in
        guard let sample = c.state.gpuSamples[gpu.uuid], let watts = sample.powerW,
          watts >= gpu.model.tdpW * rules.powerCapMinLoad
        else { return nil }
        return (gpu, sample)
      }
      guard loaded.count * 2 >= gpus.count else { return nil }
      let energyPerMonth =
        loaded.reduce(0.0) { sum, reading in
          sum
            + (c.prices.energyUSDPerHour(
              watts: reading.1.powerW!, site: cluster.site, at: reading.1.time) ?? 0)
        } * SavingsContext.hoursPerMonth
      let hardwarePerMonth = c.monthlyCost(of: gpus, index)
      // A slower job holds its GPUs longer: that time costs what the GPUs cost.
      let options = rules.powerCap.points.map { point in
        (point, energyPerMonth * point.energySaved - hardwarePerMonth * point.slowdown)
      }
      guard let (best, net) = options.max(by: { $0.1 < $1.1 }), net > 0 else { return nil }
      let model = gpus[0].model
      let limit = (model.tdpW * best.limitShare).rounded()
      return Opportunity(
        kind: .powerCap,
        title:
          "Cap \(job.name)'s GPUs at \(format(limit, 0)) W: \(format(best.energySaved * 100, 0)) % less energy for \(format(best.slowdown * 100)) % more time",
        scope: "job \(job.cluster)/\(job.id)", usdPerMonth: net, confidence: 0.5,
        rule:
          "GPU energy saved minus the GPU-hours the slowdown costs, on owned hardware near TDP (\(rules.powerCap.source); saving capped at \(format(PowerCapCurve.energySavedCeiling * 100, 0)) %)",
        evidence: [
          .init(
            type: "job", id: job.id,
            detail:
              "\(loaded.count) of \(gpus.count) GPUs at ≥ \(format(rules.powerCapMinLoad * 100, 0)) % of \(format(model.tdpW, 0)) W"
          ),
          .init(
            type: "number", id: nil,
            detail:
              "GPU energy \(format(energyPerMonth, 0)) USD/month at PUE \(format(c.prices.pueBySite[cluster.site] ?? 0, 2)); hardware \(format(hardwarePerMonth, 0)) USD/month"
          ),
        ],
        action:
          "nvidia-smi -pl \(format(limit, 0)) on \(job.name)'s GPUs (or a DCGM power policy); measure a sweep for this model to confirm."
      )
    }
  }

  /// Training on on-demand capacity that checkpoints (its dips show in its activity) can survive
  /// spot preemptions: the price gap, minus the work each preemption throws away.
  static func spotForCheckpointed(
    _ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules
  ) -> [Opportunity] {
    c.state.jobs.compactMap { job in
      guard job.state == .running, job.kind == .training, let gpus = index.gpusByJob[job.id],
        let cluster = index.clusters[job.cluster], cluster.pricing == .onDemand,
        let interval = CheckpointCadence.interval(c.jobActivity[job.id] ?? [])
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
        scope: "job \(job.cluster)/\(job.id)", usdPerMonth: net, confidence: 0.5,
        rule:
          "checkpointed training on on-demand capacity: on-demand − spot − \(format(rules.spotPreemptionsPerMonth, 0)) preemptions a month × (interval/2 + restart)",
        evidence: [
          .init(
            type: "series", id: "job/\(job.cluster)/\(job.id)",
            detail: "checkpoint dips every \(format(interval, 0)) min"),
          .init(
            type: "number", id: nil,
            detail: "on demand \(format(onDemand, 0)) vs spot \(format(spot, 0)) USD/month"),
        ],
        action: "Move \(job.name) to spot capacity with automatic requeue from its last checkpoint."
      )
    }
  }

  /// A node still in service whose GPUs report hardware faults: each time it fails, every job on
  /// it loses the work since its last checkpoint and its restart.
  static func lemonNode(_ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules)
    -> [Opportunity]
  {
    c.state.nodes.compactMap { node in
      guard !node.state.isUnavailable, node.state != .unknown,
        let gpus = index.gpusByNode[node.name]
      else { return nil }
      let faults = gpus.compactMap { gpu -> (GPU, String)? in
        guard let sample = c.state.gpuSamples[gpu.uuid] else { return nil }
        if let xid = sample.xidLast, rules.hardwareXIDs.contains(xid) {
          return (gpu, "XID \(xid) (\(sample.xidCount ?? 1)×)")
        }
        if let dbe = sample.eccDoubleBit, dbe > 0 { return (gpu, "\(dbe) double-bit ECC errors") }
        return nil
      }
      guard !faults.isEmpty else { return nil }
      let jobs = Set(gpus.compactMap { c.state.allocations[$0.uuid] })
      let lostHours = (rules.assumedCheckpointIntervalMin / 2 + rules.restartMin) / 60
      let perFailure = jobs.reduce(0.0) { sum, job in
        sum + c.monthlyCost(of: index.gpusByJob[job] ?? [], index) / SavingsContext.hoursPerMonth
          * lostHours
      }
      guard perFailure > 0 else { return nil }
      return Opportunity(
        kind: .lemonNode,
        title: "\(node.name) shows hardware faults while running \(jobs.count) jobs",
        scope: "node \(node.name)", usdPerMonth: perFailure * rules.lemonFailuresPerMonth,
        confidence: 0.4,
        rule:
          "hardware-fault XIDs or double-bit ECC on a node in service; \(format(rules.lemonFailuresPerMonth, 0)) failures a month assumed, each costing its jobs \(format(lostHours * 60, 0)) min",
        evidence: faults.map {
          .init(type: "gpu", id: $0.0.uuid, detail: "\(node.name) GPU \($0.0.index): \($0.1)")
        }
          + jobs.sorted().map { .init(type: "job", id: $0, detail: "runs on \(node.name)") },
        action:
          "Drain \(node.name), run `dcgmi diag -r 3`, and replace or RMA the GPU before it fails a job again."
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
        let gpus = index.gpusByNode[node.name]
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

  /// On-demand clusters whose steady allocation is above the reservation break-even.
  static func pricingMix(_ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules)
    -> [Opportunity]
  {
    c.state.clusters.compactMap { cluster in
      guard c.historyHours >= rules.dailyShapeMinHours, cluster.pricing == .onDemand else {
        return nil
      }
      let gpus = c.state.gpus.filter { index.nodes[$0.node]?.cluster == cluster.name }
      let allocated = gpus.filter { c.state.allocations[$0.uuid] != nil }
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
              "on demand \(format(onDemand, 0)) USD/month vs reserved \(format(reserved, 0)) for the allocated GPUs"
          ),
        ],
        action: "Buy 1-year reservations for the steady baseline; keep bursts on demand.")
    }
  }
}
