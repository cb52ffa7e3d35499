extension FleetState {
  /// Each job's mean GPU activity now (%), over its GPUs that report one (SM active, else GPU
  /// util); a job none of whose GPUs reports is absent. Summed in GPU order, not dictionary
  /// order, so the means (and their rounding) are the same every run.
  public var jobActivityPct: [JobID: Double] {
    var sums: [JobID: (total: Double, count: Int)] = [:]
    for gpu in gpus {
      guard let job = allocations[gpu.id], let pct = gpuSamples[gpu.id]?.activity?.pct else {
        continue
      }
      sums[job, default: (0, 0)].total += pct
      sums[job, default: (0, 0)].count += 1
    }
    return sums.mapValues { $0.total / Double($0.count) }
  }
}
