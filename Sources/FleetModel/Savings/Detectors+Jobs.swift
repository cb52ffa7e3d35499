import Foundation

/// Detectors that judge what jobs do with the GPUs they hold.
extension Detectors {
  /// Jobs holding GPUs that do nothing.
  static func idleAllocation(
    _ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules
  )
    -> [Opportunity]
  {
    c.state.jobs.compactMap { job in
      guard job.state == .running, job.kind != .inference, let gpus = index.gpusByJob[job.key],
        gpus.count >= rules.idleMinGPUs, let now = currentActivity(gpus, c.state)
      else { return nil }
      let series = (c.jobActivity[job.key] ?? []).map(\.value)
      let mean = series.isEmpty ? now : series.reduce(0, +) / Double(series.count)
      guard mean < rules.busyThresholdPct, now < rules.busyThresholdPct else { return nil }
      return Opportunity(
        kind: .idleAllocation, title: "\(job.name) holds \(gpus.count) GPUs and does nothing",
        scope: "job \(job.cluster)/\(job.id)", owner: "team \(job.team)",
        usdPerMonth: c.monthlyCost(of: gpus, index),
        confidence: c.historyHours >= 1 ? 0.9 : 0.5,
        rule:
          "mean activity < \(format(rules.busyThresholdPct, 0)) % over \(hours(c)) while allocated",
        evidence: [
          .init(
            type: "job", id: job.id,
            detail: "\(job.name) by \(job.user) (\(job.team)), \(gpus.count) GPUs"),
          .init(
            type: "series", id: "job/\(job.cluster)/\(job.id)",
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

  /// A deployment's busiest activity (%): the highest reading of its history, or now.
  static func servingPeak(_ job: Job, now: Double, _ c: SavingsContext) -> Double {
    max(now, c.jobActivity[job.key]?.map(\.value).max() ?? now)
  }

  /// The GPUs that carry `peak` activity on `gpus` of them at the right-sizing target.
  static func gpusForPeak(_ gpus: Int, peak: Double, _ rules: SavingsRules) -> Int {
    max(1, Int((Double(gpus) * peak / rules.inferenceTargetPeakPct).rounded(.up)))
  }

  /// Inference deployments sized for far more traffic than their busiest hour brings.
  static func overprovisionedInference(
    _ c: SavingsContext, _ index: SavingsContext.Index, _ rules: SavingsRules
  ) -> [Opportunity] {
    c.state.jobs.compactMap { job in
      // Without a day of history the busiest hour may not have been seen yet.
      guard c.historyHours >= rules.dailyShapeMinHours, job.state == .running,
        job.kind == .inference, let gpus = index.gpusByJob[job.key],
        let now = currentActivity(gpus, c.state)
      else { return nil }
      let peak = servingPeak(job, now: now, c)
      let keep = gpusForPeak(gpus.count, peak: peak, rules)
      let freed = gpus.count - keep
      guard Double(freed) >= Double(gpus.count) * rules.inferenceMinCutShare else { return nil }
      return Opportunity(
        kind: .overprovisionedInference,
        title: "\(job.name) peaks at \(format(peak, 0)) % on \(gpus.count) GPUs; \(keep) would do",
        scope: "job \(job.cluster)/\(job.id)", owner: "team \(job.team)",
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
      guard job.state == .running, job.kind == .training, let gpus = index.gpusByJob[job.key],
        gpus.count >= rules.stragglerMinGPUs
      else { return nil }
      let readings = gpus.compactMap { gpu in
        c.state.gpuSamples[gpu.id].flatMap { s in s.activity.map { (gpu, s, $0.pct) } }
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
          "GPU \(slowest.0.index) of \(slowest.0.node.name) slows \(job.name) by \(format(loss * 100, 0)) %",
        scope: "job \(job.cluster)/\(job.id)", owner: "team \(job.team)",
        usdPerMonth: c.monthlyCost(of: gpus, index) * loss,
        confidence: 0.7,
        rule:
          "a GPU below \(format(rules.stragglerRatio * 100, 0)) % of its job's median activity; synchronous steps wait for it",
        evidence: [
          .init(
            type: "gpu", id: slowest.0.uuid ?? "\(slowest.0.id)",
            detail:
              "\(slowest.0.node.name) GPU \(slowest.0.index): activity \(format(slowest.2)) % vs job median \(format(median)) %"
          ),
          .init(
            type: "gpu", id: slowest.0.uuid ?? "\(slowest.0.id)",
            detail:
              "SM clock \(slowest.1.smClockMHz.map { format($0, 0) } ?? "N/A") MHz, \(slowest.1.tempC.map { format($0, 0) } ?? "N/A") °C"
          ),
          .init(type: "job", id: job.id, detail: "\(job.name), \(gpus.count) GPUs"),
        ],
        action:
          "Drain \(slowest.0.node.name), requeue \(job.name) without it, and check the GPU's cooling and clocks."
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
      guard job.state == .running, job.kind == .training, let gpus = index.gpusByJob[job.key],
        !job.nodes.isEmpty
      else { return nil }
      let seen = CheckpointCadence.interval(c.jobActivity[job.key] ?? [])
      let failureRate = rules.nodeFailureRate(model: gpus.first?.model.name)
      let interval = seen ?? rules.assumedCheckpointIntervalMin
      let scenario = ReliabilityScenario(
        gpus: gpus.count, gpusPerNode: max(1, gpus.count / job.nodes.count),
        failuresPer1000NodeDays: failureRate.per1000NodeDays,
        restartMin: rules.restartMin,
        checkpointCostMin: rules.checkpointCostMin)
      let best = scenario.report.optimalCheckpointMin
      let gain =
        scenario.ettr(checkpointIntervalMin: best) - scenario.ettr(checkpointIntervalMin: interval)
      guard gain >= rules.failureWasteMinShare else { return nil }
      return Opportunity(
        kind: .failureWaste,
        title:
          "\(job.name) checkpoints every \(format(interval, 0)) min; every \(format(best, 0)) min would waste \(format(gain * 100)) % less",
        scope: "job \(job.cluster)/\(job.id)", owner: "team \(job.team)",
        usdPerMonth: c.monthlyCost(of: gpus, index) * gain,
        confidence: seen == nil ? 0.4 : 0.7,
        rule:
          "Young/Daly: τ ≈ √(2 · checkpoint stall · MTTF), MTTF = 1 / (nodes × \(format(failureRate.per1000NodeDays)) failures per 1,000 node-days, \(failureRate.source))",
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
      guard job.state == .running, job.kind == .training, let gpus = index.gpusByJob[job.key],
        let cluster = index.clusters[job.cluster], cluster.pricing == .owned
      else { return nil }
      let loaded = gpus.compactMap { gpu -> (GPU, GPUSample)? in
        guard let sample = c.state.gpuSamples[gpu.id], let watts = sample.powerW,
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
        scope: "job \(job.cluster)/\(job.id)", owner: "team \(job.team)", usdPerMonth: net,
        confidence: 0.5,
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
              "GPU energy \(DollarText.whole(energyPerMonth))/month at PUE \(format(c.prices.pueBySite[cluster.site] ?? 0, 2)); hardware \(DollarText.whole(hardwarePerMonth))/month"
          ),
        ],
        action:
          "nvidia-smi -pl \(format(limit, 0)) on \(job.name)'s GPUs (or a DCGM power policy); measure a sweep for this model to confirm."
      )
    }
  }
}
