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
    guard let starts = dipStarts(activity), starts.count >= 3 else { return nil }
    let gaps = zip(starts.dropFirst(), starts).map { $0.timeIntervalSince($1) / 60 }.sorted()
    return gaps[gaps.count / 2]
  }

  /// When the job's last checkpoint before `time` began: the start of its last dip, when its
  /// checkpoints can be seen at all and that dip is no more than one and a half intervals back
  /// (an older one means checkpoints the series missed).
  static func lastCheckpoint(_ activity: [(time: Date, value: Double)], before time: Date)
    -> Date?
  {
    let before = activity.filter { $0.time < time }
    guard let minutes = interval(before), let last = dipStarts(before)?.last,
      time.timeIntervalSince(last) <= 1.5 * minutes * 60
    else { return nil }
    return last
  }

  /// The starts of the dips below half the median; nil when the series cannot show them.
  private static func dipStarts(_ series: [(time: Date, value: Double)]) -> [Date]? {
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
      // It began somewhere between the two samples.
      starts.append(before.time.addingTimeInterval(point.time.timeIntervalSince(before.time) / 2))
    }
    return starts
  }
}
