import Foundation

/// The savings detectors. Each is a pure function of the context and the rules, and explains
/// itself: the rule that fired, the evidence, and what to do.
enum Detectors {
  /// Mean activity (%) of these GPUs now, from the best signal each reports.
  static func currentActivity(_ gpus: [GPU], _ state: FleetState) -> Double? {
    let readings = gpus.compactMap { state.gpuSamples[$0.id]?.activity?.pct }
    return readings.isEmpty ? nil : readings.reduce(0, +) / Double(readings.count)
  }

  static func format(_ value: Double, _ places: Int = 1) -> String {
    String(format: "%.\(places)f", value)
  }

  static func hours(_ context: SavingsContext) -> String {
    context.historyHours > 0 ? "the last \(format(context.historyHours, 0)) h" : "the latest sample"
  }
}
