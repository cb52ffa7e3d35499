import FleetModel
import Foundation

/// Any time series as CSV: a time column and a value column, named by the caller, made hourly
/// for the forecast. Times are ISO 8601 with a zone, without one (read as UTC, with `T` or a
/// space between date and time, as traces write them), or Unix seconds.
public enum SeriesFile {
  public static func parse(_ text: String, source: String, time: String, value: String)
    throws(InputError) -> [(time: Date, value: Double)]
  {
    let table = try CSVTable(text: text, source: source)
    let timeColumn = try table.column(time)
    let valueColumn = try table.column(value)
    var hours: [Double: (sum: Double, n: Int)] = [:]
    for row in table.rows {
      let cell = try table.text(row, timeColumn)
      guard let date = Self.time(cell) else {
        throw InputError(
          source: source, line: row.line, column: time,
          message: "\"\(cell)\" is not a time (ISO 8601, or Unix seconds)")
      }
      let hour = (date.timeIntervalSince1970 / 3_600).rounded(.down) * 3_600
      hours[hour, default: (0, 0)].sum += try table.number(row, valueColumn)
      hours[hour, default: (0, 0)].n += 1
    }
    guard !hours.isEmpty else {
      throw InputError(source: source, message: "no rows: a forecast needs a history")
    }
    return hours.sorted { $0.key < $1.key }.map {
      (Date(timeIntervalSince1970: $0.key), $0.value.sum / Double($0.value.n))
    }
  }

  static let utc = TimeZone(identifier: "UTC")!

  static func time(_ text: String) -> Date? {
    if let seconds = Double(text), seconds.isFinite { return Date(timeIntervalSince1970: seconds) }
    if let date = Timestamp.withZone(text) ?? Timestamp.withoutZone(text, in: utc) {
      return date
    }
    let spaced = Date.ISO8601FormatStyle(dateTimeSeparator: .space, timeZone: utc).year().month()
      .day().time(includingFractionalSeconds: false)
    return text.wholeMatch(of: spaced)?.output
  }
}
