import FleetModel

/// Each GPU's recent activity and power, one slot per poll the cockpit has loaded, for the
/// sparklines of a node's or a job's GPUs. The cache keeps fleet, cluster and job series but not
/// one per GPU (at 100,000 GPUs that would be most of its writes), so this history starts when
/// the cockpit does. Values are whole percent in one byte each, so 131,072 GPUs × 60 slots ×
/// 2 metrics stay near 16 MB.
public struct GPUHistory: Sendable, Equatable {
  /// Slots kept per GPU.
  public static let slots = 60
  private static let unknown = UInt8.max

  private var index: [GPUID: Int] = [:]
  /// Row-major: GPU × slot; the ring's newest slot is `head`.
  private var activity: [UInt8] = []
  private var powerOfTDP: [UInt8] = []
  private var head = -1
  private var filled = 0

  public init() {}

  /// Appends one poll's readings; a GPU first seen now gets unknown slots before it.
  public mutating func append(_ state: FleetState) {
    head = (head + 1) % Self.slots
    filled = min(filled + 1, Self.slots)
    for gpu in state.gpus {
      let row: Int
      if let known = index[gpu.id] {
        row = known
      } else {
        row = index.count
        index[gpu.id] = row
        activity += repeatElement(Self.unknown, count: Self.slots)
        powerOfTDP += repeatElement(Self.unknown, count: Self.slots)
      }
      let sample = state.gpuSamples[gpu.id]
      activity[row * Self.slots + head] = Self.byte(sample?.activity?.pct)
      powerOfTDP[row * Self.slots + head] = Self.byte(
        sample?.powerW.map { $0 / gpu.model.tdpW * 100 })
    }
  }

  /// A GPU's activity (percent), oldest first; nil where it did not report.
  public func activity(of gpu: GPUID) -> [Double?] { series(activity, gpu) }

  /// A GPU's power as a percentage of its TDP, oldest first.
  public func powerPct(of gpu: GPUID) -> [Double?] { series(powerOfTDP, gpu) }

  private func series(_ values: [UInt8], _ gpu: GPUID) -> [Double?] {
    guard let row = index[gpu], filled > 0 else { return [] }
    return (0..<filled).map { age in
      let slot = (head - (filled - 1 - age) + Self.slots) % Self.slots
      let value = values[row * Self.slots + slot]
      return value == Self.unknown ? nil : Double(value)
    }
  }

  private static func byte(_ pct: Double?) -> UInt8 {
    guard let pct, pct.isFinite else { return unknown }
    return UInt8(min(max(pct, 0), 250).rounded())
  }
}
