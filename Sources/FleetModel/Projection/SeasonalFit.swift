import Foundation

/// An hourly series explained as level + trend + daily profile + weekly profile, each part
/// used only when the history can support it: a trend needs 3 days (a day's slope is mostly its
/// daily shape), a daily profile 1 day, a weekly profile 7 days.
struct SeasonalFit: Sendable {
  let origin: Double
  let level: Double
  let slopePerHour: Double
  /// Mean deviation by hour of day (UTC), or all zero.
  let daily: [Double]
  /// Mean deviation by day of week, or all zero.
  let weekly: [Double]
  let historyHours: Double
  let components: [String]

  init?(_ points: [(time: Date, value: Double)]) {
    guard let first = points.first, let last = points.last, points.count >= 2 else { return nil }
    let origin = first.time.timeIntervalSince1970
    let span = (last.time.timeIntervalSince1970 - origin) / 3_600
    let hours = points.map { ($0.time.timeIntervalSince1970 - origin) / 3_600 }
    let values = points.map(\.value)
    let n = Double(points.count)
    let meanT = hours.reduce(0, +) / n
    let meanV = values.reduce(0, +) / n
    var components = ["level"]
    var slope = 0.0
    if span >= 72 {
      let sxy = zip(hours, values).reduce(0) { $0 + ($1.0 - meanT) * ($1.1 - meanV) }
      let sxx = hours.reduce(0) { $0 + ($1 - meanT) * ($1 - meanT) }
      slope = sxx > 0 ? sxy / sxx : 0
      components.append("trend")
    }
    let level = meanV - slope * meanT
    var residuals = zip(hours, values).map { $1 - (level + slope * $0) }

    func profile(_ bucket: (Date) -> Int, count: Int) -> [Double] {
      var sums = [Double](repeating: 0, count: count)
      var counts = [Double](repeating: 0, count: count)
      for (point, residual) in zip(points, residuals) {
        sums[bucket(point.time)] += residual
        counts[bucket(point.time)] += 1
      }
      return zip(sums, counts).map { $1 > 0 ? $0 / $1 : 0 }
    }
    var daily = [Double](repeating: 0, count: 24)
    if span >= 23 {
      daily = profile(Self.hourOfDay, count: 24)
      residuals = zip(points, residuals).map { $1 - daily[Self.hourOfDay($0.time)] }
      components.append("daily profile")
    }
    var weekly = [Double](repeating: 0, count: 7)
    if span >= 7 * 24 - 1 {
      weekly = profile(Self.dayOfWeek, count: 7)
      components.append("weekly profile")
    }
    self.origin = origin
    self.level = level
    self.slopePerHour = slope
    self.daily = daily
    self.weekly = weekly
    self.historyHours = span
    self.components = components
  }

  func value(at time: Date) -> Double {
    let t = (time.timeIntervalSince1970 - origin) / 3_600
    return level + slopePerHour * t + daily[Self.hourOfDay(time)] + weekly[Self.dayOfWeek(time)]
  }

  static func hourOfDay(_ time: Date) -> Int {
    Int(time.timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400) / 3_600) % 24
  }

  /// 0 = Thursday (1970-01-01); only equality matters.
  static func dayOfWeek(_ time: Date) -> Int {
    Int(time.timeIntervalSince1970 / 86_400) % 7
  }
}
