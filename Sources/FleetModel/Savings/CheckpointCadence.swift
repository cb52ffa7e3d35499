import Foundation

/// A training job's checkpoints show in its activity as short dips (the GPUs wait while state is
/// written). Their spacing is the job's checkpoint interval.
enum CheckpointCadence {
  /// Samples further apart than this can step over a few-minute checkpoint without seeing it.
  static let finestUsefulSpacingS = 120.0

  /// The median time, in minutes, between the starts of dips below half the job's median
  /// activity; nil with fewer than three dips, under an hour of series-grained samples, or samples
  /// too far apart to see a checkpoint.
  static func interval(_ activity: [(time: Date, value: Double)]) -> Double? {
    let series = activity
    guard series.count >= 30 else { return nil }
    let spacings = zip(series.dropFirst(), series).map { $0.time.timeIntervalSince($1.time) }
      .sorted()
    guard spacings[spacings.count / 2] <= finestUsefulSpacingS else { return nil }
    let values = series.map(\.value).sorted()
    let median = values[values.count / 2]
    guard median >= 20 else { return nil }
    var starts: [Date] = []
    for (point, before) in zip(series.dropFirst(), series)
    where point.value < median / 2 && before.value >= median / 2
      && point.time.timeIntervalSince(before.time) <= finestUsefulSpacingS
    {
      starts.append(point.time)
    }
    guard starts.count >= 3 else { return nil }
    let gaps = zip(starts.dropFirst(), starts).map { $0.timeIntervalSince($1) / 60 }.sorted()
    return gaps[gaps.count / 2]
  }
}
