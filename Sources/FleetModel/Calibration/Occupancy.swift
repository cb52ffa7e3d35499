/// One step of a scheduler's occupancy series.
public struct OccupancySample: Sendable, Hashable {
  /// The time as the file gives it; nothing is assumed about its format.
  public let time: String
  public let allocated: Double
  public let total: Double
  /// GPUs (or nodes) that jobs were waiting for, when the series has it.
  public let pending: Double?

  public init(time: String, allocated: Double, total: Double, pending: Double? = nil) {
    self.time = time
    self.allocated = allocated
    self.total = total
    self.pending = pending
  }
}

/// How much of the capacity was allocated, idle, and idle while demand waited (stranded), over a
/// fixed-step series: allocation = Σ allocated / Σ total; idle = 1 − allocation; stranded =
/// Σ min(idle, pending) / Σ total.
public struct OccupancyReport: Sendable, Hashable, Encodable {
  public let allocationPct: Double?
  public let idlePct: Double?
  /// Nil when the series carries no pending demand.
  public let strandedPct: Double?
  public let samples: Int
  public let start: String?
  public let end: String?

  public init(samples series: [OccupancySample]) {
    let total = series.reduce(0) { $0 + $1.total }
    let allocated = series.reduce(0) { $0 + $1.allocated }
    let hasPending = !series.isEmpty && series.allSatisfy { $0.pending != nil }
    let stranded = series.reduce(0) { sum, s in
      sum + min(max(0, s.total - s.allocated), s.pending ?? 0)
    }
    allocationPct = total > 0 ? allocated / total * 100 : nil
    idlePct = allocationPct.map { 100 - $0 }
    strandedPct = hasPending && total > 0 ? stranded / total * 100 : nil
    samples = series.count
    start = series.first?.time
    end = series.last?.time
  }

  enum CodingKeys: String, CodingKey {
    case allocationPct = "allocation_pct"
    case idlePct = "idle_pct"
    case strandedPct = "stranded_pct"
    case samples, start, end
  }

  public func encode(to encoder: any Encoder) throws {
    // Every key is always present: an unknown figure is null, not missing.
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(allocationPct, forKey: .allocationPct)
    try container.encode(idlePct, forKey: .idlePct)
    try container.encode(strandedPct, forKey: .strandedPct)
    try container.encode(samples, forKey: .samples)
    try container.encode(start, forKey: .start)
    try container.encode(end, forKey: .end)
  }
}
