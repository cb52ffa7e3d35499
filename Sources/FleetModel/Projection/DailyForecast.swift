import Foundation

/// A series projected day by day with 80 % bands that are measured, not assumed: each band is
/// the spread of the errors that forecasts made the same way, from earlier points of the same
/// history, made at the same distance ahead. Real usage is autocorrelated, shifts level when a
/// big job starts and trends, so the hour-to-hour noise of a fit says little about how far a day
/// ahead can be off; past forecasts' errors say it directly.
public struct DailyForecast: Sendable {
  /// How a day's value is made of its hours: a rate summed over the day (spend in $/h gives the
  /// day's dollars), or a level averaged (utilization, allocated GPUs).
  public enum Aggregate: String, Sendable, CaseIterable {
    case sum, mean
  }

  public struct Day: Sendable, Hashable {
    /// The day's midnight, UTC.
    public let start: Date
    public let value: Banded
  }

  public let days: [Day]
  public let historyHours: Double
  /// The parts of the fit that were used, e.g. `level + daily profile`.
  public let method: String
  /// How the band was made: from how many past forecasts, or why it is wide.
  public let band: String

  static let z80 = 1.2816
  /// Past forecasts a horizon needs before its own errors make its band; fewer, and the errors of
  /// every horizon are pooled (scaled by √ of the distance ahead).
  static let minErrors = 9
  /// History a past forecast is fitted on, at the least.
  static let minFitHours = 48.0
  /// How much of the trend carries to each further day (Gardner and McKenzie's damped trend).
  static let damping = 0.95
  /// How far ahead past forecasts are checked.
  static let checkedDays = 7

  /// - Parameters:
  ///   - hourly: the series' hourly values, oldest first.
  ///   - from: the projection starts at the next UTC midnight.
  ///   - range: where values can lie (0…100 for a percentage).
  public init?(
    hourly: [(time: Date, value: Double)], aggregate: Aggregate, days count: Int, from now: Date,
    range: ClosedRange<Double> = 0...Double.greatestFiniteMagnitude
  ) {
    let firstDay = (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400 + 86_400
    guard let point = Self.point(hourly, from: firstDay, days: max(0, count), aggregate) else {
      return nil
    }
    historyHours = point.historyHours
    method = point.method
    let values = point.values
    let errors = Self.pastErrors(hourly, aggregate: aggregate)
    let pooled = errors.enumerated().flatMap { k, e in e.map { $0 / Double(k + 1) } }
    let actuals = Self.dailyValues(hourly, aggregate).map(\.value)
    let spread = Self.standardDeviation(actuals)
    if pooled.count >= Self.minErrors {
      band =
        "80 % of the errors of \(errors.first?.count ?? 0) past forecasts made the same way, "
        + "by days ahead"
    } else if spread != nil {
      band =
        "only \(actuals.count) whole days of history, too few past forecasts to measure: "
        + "twice the day-to-day spread (at least 10 %), widening with the days ahead"
    } else {
      band = "under two whole days of history: ±50 %"
    }
    days = values.enumerated().map { k, value in
      let scale = Double(k + 1)
      let (below, above): (Double, Double)
      if k < errors.count, errors[k].count >= Self.minErrors {
        (below, above) = Self.interval(errors[k])
      } else if pooled.count >= Self.minErrors {
        let (low, high) = Self.interval(pooled)
        (below, above) = (low * scale, high * scale)
      } else if let spread {
        // Days alike in a short history say little of the days ahead: at least 10 % a day.
        let half = max(2 * Self.z80 * spread, 0.1 * abs(value)) * scale
        (below, above) = (-half, half)
      } else {
        (below, above) = (-0.5 * abs(value), 0.5 * abs(value))
      }
      func clamp(_ v: Double) -> Double { min(range.upperBound, max(range.lowerBound, v)) }
      return Day(
        start: Date(timeIntervalSince1970: firstDay + Double(k) * 86_400),
        value: Banded(
          value: clamp(value), low: clamp(value + min(0, below)),
          high: clamp(value + max(0, above))))
    }
  }

  /// The point forecast of each day from `firstDay` (seconds, a midnight) on, and how it was
  /// made. With three whole days or more, the days themselves are smoothed (Holt's smoothing,
  /// its weights those that best forecast the history a day ahead: a level that follows shifts
  /// rather than averaging across them, and a damped trend only where it clearly helps), with
  /// each weekday's departure once two weeks show it. With less, the hours are fitted
  /// (`SeasonalFit`).
  static func point(
    _ hourly: [(time: Date, value: Double)], from firstDay: Double, days: Int,
    _ aggregate: Aggregate
  ) -> (values: [Double], method: String, historyHours: Double)? {
    guard let first = hourly.first?.time, let last = hourly.last?.time, hourly.count >= 2 else {
      return nil
    }
    let historyHours = last.timeIntervalSince(first) / 3_600
    let daily = dailyValues(hourly, aggregate)
    guard daily.count >= 3 else {
      guard let fit = SeasonalFit(hourly) else { return nil }
      return (
        project(fit, from: firstDay, days: days, aggregate),
        fit.components.joined(separator: " + "), fit.historyHours
      )
    }
    // Each weekday's departure, once two weeks show it: from a centred week's mean, so a trend
    // is not taken for a weekday. The smoothing sees the days without it.
    var weekly = [Double](repeating: 0, count: 7)
    func weekday(_ day: Double) -> Int { Int(day / 86_400) % 7 }
    if daily.count >= 14 {
      var sums = [Double](repeating: 0, count: 7)
      var counts = [Double](repeating: 0, count: 7)
      for i in 3..<(daily.count - 3) {
        let week = daily[(i - 3)...(i + 3)].reduce(0) { $0 + $1.value } / 7
        sums[weekday(daily[i].day)] += daily[i].value - week
        counts[weekday(daily[i].day)] += 1
      }
      let means = zip(sums, counts).map { $1 > 0 ? $0 / $1 : 0 }
      let overall = means.reduce(0, +) / 7
      weekly = means.map { $0 - overall }
    }
    let x = daily.map { $0.value - weekly[weekday($0.day)] }
    /// Holt's smoothing of the days: a level and a damped trend, each weighted, and the
    /// one-day-ahead errors it would have made.
    func smoothed(_ alpha: Double, _ beta: Double) -> (level: Double, trend: Double, error: Double)
    {
      var level = x[0]
      var trend = 0.0
      var error = 0.0
      for value in x.dropFirst() {
        let expected = level + Self.damping * trend
        error += (value - expected) * (value - expected)
        let previous = level
        level = expected + alpha * (value - expected)
        trend = beta * (level - previous) + (1 - beta) * Self.damping * trend
      }
      return (level, trend, error)
    }
    func best(_ betas: [Double]) -> (alpha: Double, beta: Double, error: Double) {
      stride(from: 0.05, through: 1.0, by: 0.05).flatMap { alpha in
        betas.map { (alpha, $0, smoothed(alpha, $0).error) }
      }.min { $0.2 < $1.2 }!
    }
    // A trend only where it explains the days clearly better: level shifts look like trends
    // for a day or two, and a trend extrapolated from one forecasts worse than none.
    let flat = best([0])
    let trending = best([0.1, 0.2, 0.3, 0.5])
    let (alpha, beta, _) = trending.error < 0.8 * flat.error ? trending : flat
    let (level, trend, _) = smoothed(alpha, beta)
    var method = String(format: "daily level, smoothed (weight %.2f)", alpha)
    if beta > 0 { method += String(format: " + damped trend (weight %.2f)", beta) }
    if daily.count >= 14 { method += " + weekday" }
    // The days between the last whole day and `firstDay` (today, partly seen) count as ahead.
    let gap = Int((firstDay - daily.last!.day) / 86_400) - 1
    let values = (0..<days).map { k in
      let ahead = Double(gap + k + 1)
      let damped = (1...max(1, Int(ahead))).reduce(0.0) { sum, i in
        sum + pow(Self.damping, Double(i))
      }
      return level + trend * damped + weekly[weekday(firstDay + Double(k) * 86_400)]
    }
    return (values, method, historyHours)
  }

  /// The fit's value of each day from `firstDay` (seconds, a midnight) on.
  static func project(_ fit: SeasonalFit, from firstDay: Double, days: Int, _ aggregate: Aggregate)
    -> [Double]
  {
    (0..<days).map { k in
      let total = (0..<24).reduce(0.0) { sum, hour in
        sum + fit.value(at: Date(timeIntervalSince1970: firstDay + Double(k * 24 + hour) * 3_600))
      }
      return aggregate == .sum ? total : total / 24
    }
  }

  /// Each whole UTC day of the history (20 hours or more) with its value.
  static func dailyValues(_ hourly: [(time: Date, value: Double)], _ aggregate: Aggregate)
    -> [(day: Double, value: Double)]
  {
    var byDay: [Double: (sum: Double, n: Int)] = [:]
    for point in hourly {
      let day = (point.time.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
      byDay[day, default: (0, 0)].sum += point.value
      byDay[day, default: (0, 0)].n += 1
    }
    return byDay.filter { $0.value.n >= 20 }.sorted { $0.key < $1.key }.map { day, total in
      let mean = total.sum / Double(total.n)
      return (day, aggregate == .sum ? mean * 24 : mean)
    }
  }

  /// The errors (actual − forecast) of forecasts made at each whole day of the history from what
  /// came before it, by days ahead (index 0: the first day forecast).
  static func pastErrors(_ hourly: [(time: Date, value: Double)], aggregate: Aggregate)
    -> [[Double]]
  {
    guard let first = hourly.first?.time.timeIntervalSince1970 else { return [] }
    let actual = Dictionary(
      dailyValues(hourly, aggregate).map { ($0.day, $0.value) }, uniquingKeysWith: { a, _ in a })
    var errors = [[Double]](repeating: [], count: checkedDays)
    var end = 0
    for origin in actual.keys.sorted() where origin - first >= minFitHours * 3_600 {
      while end < hourly.count, hourly[end].time.timeIntervalSince1970 < origin { end += 1 }
      guard let forecasts = point(Array(hourly[..<end]), from: origin, days: checkedDays, aggregate)
      else { continue }
      for (k, forecast) in forecasts.values.enumerated() {
        if let truth = actual[origin + Double(k) * 86_400] { errors[k].append(truth - forecast) }
      }
    }
    return errors
  }

  /// The errors' 10th and 90th percentiles, by rank in n + 1 (so that, on average, 80 % of a new
  /// error falls between them however few there are).
  static func interval(_ errors: [Double]) -> (Double, Double) {
    let sorted = errors.sorted()
    func at(_ p: Double) -> Double {
      let rank = min(Double(sorted.count), max(1, p * Double(sorted.count + 1)))
      let below = Int(rank.rounded(.down))
      let fraction = rank - Double(below)
      let upper = min(sorted.count, below + 1)
      return sorted[below - 1] + fraction * (sorted[upper - 1] - sorted[below - 1])
    }
    return (at(0.1), at(0.9))
  }

  static func standardDeviation(_ values: [Double]) -> Double? {
    guard values.count >= 2 else { return nil }
    let mean = values.reduce(0, +) / Double(values.count)
    return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1))
      .squareRoot()
  }
}
