import FleetModel
import Foundation

/// Number formats of the cockpit: fixed, locale-independent, and `N/A` for unknown.
enum Format {
  static let unknown = "N/A"

  /// 1234567 → "1,234,567".
  static func count(_ value: Int) -> String { DollarText.grouped(value) }

  static func percent(_ value: Double?, places: Int = 1) -> String {
    value.map { String(format: "%.\(places)f %%", $0) } ?? unknown
  }

  /// Watts as kW, or MW from 10 MW up.
  static func power(_ watts: Double?) -> String {
    guard let watts else { return unknown }
    if watts >= 10_000_000 { return String(format: "%.2f MW", watts / 1_000_000) }
    return String(format: "%.1f kW", watts / 1_000)
  }

  /// Bytes per second in decimal units: "512 B/s", "1.2 MB/s", "50.0 GB/s".
  static func bytesPerSecond(_ value: Double?) -> String {
    guard let value else { return unknown }
    for (scale, unit) in [(1e9, "GB/s"), (1e6, "MB/s"), (1e3, "kB/s")] where value >= scale {
      return String(format: "%.1f %@", value / scale, unit)
    }
    return String(format: "%.0f B/s", value)
  }

  /// Whole dollars with separators: "$2,278".
  static func dollars(_ usd: Double?) -> String {
    usd.map(DollarText.whole) ?? unknown
  }

  /// Large amounts compactly: "$1.66M", "$312k".
  static func dollarsCompact(_ usd: Double?) -> String {
    guard let usd else { return unknown }
    switch abs(usd) {
    case 1e9...: return String(format: "$%.2fB", usd / 1e9)
    case 1e6...: return String(format: "$%.2fM", usd / 1e6)
    case 1e4...: return String(format: "$%.0fk", usd / 1e3)
    default: return dollars(usd)
    }
  }

  /// An exact amount from a bill, to the cent: "$1,234.56".
  static func decimal(_ amount: Decimal) -> String {
    var rounded = Decimal()
    var value = amount
    NSDecimalRound(&rounded, &value, 2, .plain)
    let cents = NSDecimalNumber(decimal: rounded * 100).int64Value
    return (cents < 0 ? "-$" : "$") + count(Int(abs(cents) / 100))
      + String(format: ".%02d", Int(abs(cents) % 100))
  }

  /// An age in the largest sensible unit: "4s", "3m", "1h05m", "4d07h", "12d".
  static func age(_ seconds: Double?) -> String {
    guard let seconds else { return "never" }
    let s = Int(seconds.rounded(.down))
    switch s {
    case ..<60: return "\(s)s"
    case ..<3_600: return "\(s / 60)m"
    case ..<86_400: return String(format: "%dh%02dm", s / 3_600, s % 3_600 / 60)
    case ..<(10 * 86_400): return String(format: "%dd%02dh", s / 86_400, s % 86_400 / 3_600)
    default: return "\(s / 86_400)d"
    }
  }

  /// A UTC timestamp for the title bar: "2026-11-24 22:10:03Z".
  /// `2026-11-18 14:00`, UTC: a time in a list, where seconds are noise.
  static func utcMinute(_ date: Date) -> String {
    String(utc(date).prefix(16))
  }

  static func utc(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    return String(
      format: "%04d-%02d-%02d %02d:%02d:%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!,
      c.second!)
  }
}
