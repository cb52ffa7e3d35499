import Foundation

/// Times in outside input: API answers, command output, billing files. Each is read whole with
/// Foundation's ISO-8601 parse strategy. DateFormatter trapped on a date with a combining mark
/// inside it (found by fuzzing); ISO8601DateFormatter builds a formatter per value, 45 times
/// slower; and a parse that stops early would take `2026-01-20T10:00:00Zjunk` for a time.
public enum Timestamp {
  /// ISO-8601 with a zone (`Z` or an offset) and optional fractional seconds.
  public static func withZone(_ text: String) -> Date? {
    text.wholeMatch(of: Date.ISO8601FormatStyle())?.output
  }

  /// A date and time that carry no zone (`2026-11-24T21:06:58`), read in `zone`.
  public static func withoutZone(_ text: String, in zone: TimeZone) -> Date? {
    let style = Date.ISO8601FormatStyle(timeZone: zone).year().month().day()
      .time(includingFractionalSeconds: false)
    return text.wholeMatch(of: style)?.output
  }

  /// A calendar date (`2026-11-24`): its midnight UTC.
  public static func date(_ text: String) -> Date? {
    text.wholeMatch(of: Date.ISO8601FormatStyle().year().month().day())?.output
  }
}
