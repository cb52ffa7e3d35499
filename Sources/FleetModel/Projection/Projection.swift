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

/// Spend and utilization projected day by day from their hourly history.
///
/// Each series is fitted as level + trend + daily profile + weekly profile (each part only when
/// the history supports it, see `method`), then extended hour by hour. The 80 % band assumes the
/// unexplained hourly noise is independent (z = 1.2816): a day's spend varies by σ·√24, a day's
/// mean utilization by σ/√24, and both bands widen as √(1 + k ÷ history days) for day k ahead,
/// because the fit itself is uncertain.
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
  /// The parts of the fit that were used, e.g. `level + daily profile`.
  public let method: String

  static let z80 = 1.2816

  /// - Parameters:
  ///   - spendUSDPerHour: hourly mean spend rate, oldest first.
  ///   - utilPct: hourly mean fleet utilization, oldest first.
  ///   - now: the projection starts at the next UTC midnight.
  public init(
    spendUSDPerHour: [(time: Date, value: Double)], utilPct: [(time: Date, value: Double)],
    days count: Int, from now: Date
  ) {
    let spend = SeasonalFit(spendUSDPerHour)
    let util = SeasonalFit(utilPct)
    historyHours = max(spend?.historyHours ?? 0, util?.historyHours ?? 0)
    method = (spend ?? util)?.components.joined(separator: " + ") ?? "no history"
    let historyDays = max(1, historyHours / 24)
    let firstDay = (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400 + 86_400
    days = (0..<max(0, count)).map { k in
      let start = firstDay + Double(k) * 86_400
      let hours = (0..<24).map { Date(timeIntervalSince1970: start + Double($0) * 3_600) }
      let widen = (1 + Double(k + 1) / historyDays).squareRoot()
      let spendDay = spend.map { fit -> Banded in
        let total = hours.reduce(0) { $0 + max(0, fit.value(at: $1)) }
        let half = Self.z80 * fit.residualSD * 24.0.squareRoot() * widen
        return Banded(value: total, low: max(0, total - half), high: total + half)
      }
      let utilDay = util.map { fit -> Banded in
        let mean = hours.reduce(0) { $0 + fit.value(at: $1) } / 24
        let half = Self.z80 * fit.residualSD / 24.0.squareRoot() * widen
        func clamp(_ v: Double) -> Double { min(100, max(0, v)) }
        return Banded(value: clamp(mean), low: clamp(mean - half), high: clamp(mean + half))
      }
      return Day(
        date: ISO8601DateFormatter.string(
          from: Date(timeIntervalSince1970: start), timeZone: TimeZone(identifier: "UTC")!,
          formatOptions: [.withFullDate]), spendUSD: spendDay, utilPct: utilDay)
    }
  }

  enum CodingKeys: String, CodingKey {
    case days
    case historyHours = "history_hours"
    case method
  }
}
