import Foundation

/// How the daily forecast would have done on a series: from rolling origins (every whole day
/// with a week of history before it), fitted on what came before, forecasting the next days.
/// It counts how often a day landed inside its 80 % band, and compares the mean absolute
/// percentage error with a naive forecast, the last week repeated.
public struct ForecastBacktest: Sendable, Hashable, Encodable {
  public let origins: Int
  /// Forecast days compared with what happened.
  public let daysChecked: Int
  /// The share of those days inside their 80 % band (0–1).
  public let coverage: Double?
  /// Mean absolute percentage error (%) of the forecast, and of the last week repeated.
  public let mape: Double?
  public let naiveMAPE: Double?

  enum CodingKeys: String, CodingKey {
    case origins, coverage, mape
    case daysChecked = "days_checked"
    case naiveMAPE = "naive_mape"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(origins, forKey: .origins)
    try container.encode(daysChecked, forKey: .daysChecked)
    try container.encode(coverage, forKey: .coverage)
    try container.encode(mape, forKey: .mape)
    try container.encode(naiveMAPE, forKey: .naiveMAPE)
  }

  public init(
    hourly: [(time: Date, value: Double)], aggregate: DailyForecast.Aggregate,
    horizonDays: Int = 7, minHistoryDays: Int = 7,
    range: ClosedRange<Double> = 0...Double.greatestFiniteMagnitude
  ) {
    let actual = Dictionary(
      DailyForecast.dailyValues(hourly, aggregate).map { ($0.day, $0.value) },
      uniquingKeysWith: { a, _ in a })
    let first = hourly.first.map { $0.time.timeIntervalSince1970 } ?? 0
    var origins = 0
    var checked = 0
    var inside = 0
    var errors: [Double] = []
    var naiveErrors: [Double] = []
    var end = 0
    for origin in actual.keys.sorted()
    where origin - first >= Double(minHistoryDays) * 86_400 {
      while end < hourly.count, hourly[end].time.timeIntervalSince1970 < origin { end += 1 }
      guard
        let forecast = DailyForecast(
          hourly: Array(hourly[..<end]), aggregate: aggregate, days: horizonDays,
          from: Date(timeIntervalSince1970: origin - 1), range: range)
      else { continue }
      origins += 1
      for (k, day) in forecast.days.enumerated() {
        guard let truth = actual[day.start.timeIntervalSince1970] else { continue }
        checked += 1
        if day.value.low <= truth && truth <= day.value.high { inside += 1 }
        guard truth != 0 else { continue }
        errors.append(abs(day.value.value - truth) / abs(truth) * 100)
        // The last week before the origin, repeated.
        if let naive = actual[origin + Double(k % 7 - 7) * 86_400] {
          naiveErrors.append(abs(naive - truth) / abs(truth) * 100)
        }
      }
    }
    func mean(_ values: [Double]) -> Double? {
      values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
    self.origins = origins
    daysChecked = checked
    coverage = checked == 0 ? nil : Double(inside) / Double(checked)
    mape = mean(errors)
    naiveMAPE = mean(naiveErrors)
  }
}
