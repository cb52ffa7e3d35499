/// A training job's checkpoints show in its activity as short dips (the GPUs wait while state is
/// written). Their spacing is the job's checkpoint interval.
enum CheckpointCadence {
  /// The median spacing, in samples (minutes for minute rollups), between the starts of dips
  /// below half the job's median activity; nil with fewer than three dips.
  static func interval(_ activity: [Double]) -> Double? {
    guard activity.count >= 30 else { return nil }
    let median = activity.sorted()[activity.count / 2]
    guard median >= 20 else { return nil }
    var starts: [Int] = []
    for i in activity.indices.dropFirst()
    where activity[i] < median / 2 && activity[i - 1] >= median / 2 {
      starts.append(i)
    }
    guard starts.count >= 3 else { return nil }
    let gaps = zip(starts.dropFirst(), starts).map { Double($0 - $1) }.sorted()
    return gaps[gaps.count / 2]
  }
}
