import Feeds
import Foundation

/// A moment given on the command line: ISO-8601 (`2026-11-24T10:00:00Z`, an offset, or a date
/// alone for its midnight UTC), `now`, or an age: `90s ago`, `30m ago`, `2h ago`, `3d ago`.
enum PastTime {
  static func parse(_ text: String, now: Date) -> Date? {
    let text = text.trimmingCharacters(in: .whitespaces).lowercased()
    if text == "now" { return now }
    if let match = text.wholeMatch(of: /(\d+(?:\.\d+)?)\s*([smhd])\s+ago/),
      let amount = Double(match.1)
    {
      let unit: Double =
        switch match.2 {
        case "s": 1
        case "m": 60
        case "h": 3_600
        default: 86_400
        }
      return now.addingTimeInterval(-amount * unit)
    }
    return Timestamp.withZone(text.uppercased()) ?? Timestamp.date(text)
  }
}
