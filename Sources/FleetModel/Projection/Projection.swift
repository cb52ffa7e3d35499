import Foundation

/// A projected value with its 80 % band.
public struct Banded: Sendable, Hashable, Encodable {
  public let value: Double
  public let low: Double
  public let high: Double

  public init(value: Double, low: Double, high: Double) {
    self.value = value
    self.low = low
    self.high = high
  }
}

/// Spend and utilization projected day by day from their hourly history (`DailyForecast`:
/// the days' level smoothed, with weekday departures once two weeks show them; the 80 % bands
/// from the errors of past forecasts made the same way).
public struct Projection: Sendable, Hashable, Encodable {
  public struct Day: Sendable, Hashable, Encodable {
    /// The UTC day, `YYYY-MM-DD`.
    public let date: String
    public let spendUSD: Banded?
    public let utilPct: Banded?

    enum CodingKeys: String, CodingKey {
      case date
      case spendUSD = "spend_usd"
      case utilPct = "util_pct"
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(date, forKey: .date)
      try container.encode(spendUSD, forKey: .spendUSD)
      try container.encode(utilPct, forKey: .utilPct)
    }
  }

  public let days: [Day]
  public let historyHours: Double
  /// How the days were forecast, e.g. `daily level, smoothed (weight 0.40) + weekday`.
  public let method: String
  /// How the bands were made: from how many past forecasts, or why they are wide.
  public let band: String
  /// Changes to the spend rate known ahead (a term ending, a price taking effect), added to
  /// the days from their date on: the history cannot show them yet.
  public let knownChanges: [KnownChange]

  /// - Parameters:
  ///   - spendUSDPerHour: hourly mean spend rate, oldest first.
  ///   - utilPct: hourly mean fleet utilization, oldest first.
  ///   - now: the projection starts at the next UTC midnight.
  ///   - known: changes to the spend rate after `now` that the history cannot show yet.
  public init(
    spendUSDPerHour: [(time: Date, value: Double)], utilPct: [(time: Date, value: Double)],
    days count: Int, from now: Date, known: [KnownChange] = []
  ) {
    let count = max(0, count)
    let spend = DailyForecast(hourly: spendUSDPerHour, aggregate: .sum, days: count, from: now)
    let util = DailyForecast(
      hourly: utilPct, aggregate: .mean, days: count, from: now, range: 0...100)
    historyHours = max(spend?.historyHours ?? 0, util?.historyHours ?? 0)
    method = (spend ?? util)?.method ?? "no history"
    band = (spend ?? util)?.band ?? "no history"
    let firstDay = (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400 + 86_400
    let known = known.filter { $0.date > now }
    knownChanges = known
    days = (0..<count).map { k in
      let start = firstDay + Double(k) * 86_400
      // Each change counts for the hours of the day from its date on.
      let shift = known.reduce(0) { sum, change in
        let hours = min(24, max(0, (start + 86_400 - change.date.timeIntervalSince1970) / 3_600))
        return sum + change.usdPerHour * hours
      }
      return Day(
        date: ISO8601DateFormatter.string(
          from: Date(timeIntervalSince1970: start), timeZone: TimeZone(identifier: "UTC")!,
          formatOptions: [.withFullDate]),
        spendUSD: spend?.days[k].value.shifted(by: shift), utilPct: util?.days[k].value)
    }
  }

  enum CodingKeys: String, CodingKey {
    case days, method, band
    case historyHours = "history_hours"
    case knownChanges = "known_changes"
  }
}

extension Banded {
  /// The same forecast moved by `amount`, never below zero.
  func shifted(by amount: Double) -> Banded {
    guard amount != 0 else { return self }
    return Banded(
      value: max(0, value + amount), low: max(0, low + amount), high: max(0, high + amount))
  }
}
