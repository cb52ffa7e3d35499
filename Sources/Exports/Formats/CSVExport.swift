import CSV
import Foundation
import UntrustedText

/// Tables as RFC 4180 CSV: a header row, CRLF line ends, fields quoted where they must be,
/// numbers unformatted, unknown empty. Text that a spreadsheet would run as a formula (starting
/// with `=`, `+`, `-`, `@`, a tab or a carriage return) is neutralized with a leading `'`, since
/// job, user and node names come from the cluster and cannot be trusted.
public enum CSVExport {
  public static func render(_ table: ExportTable) -> String {
    render(header: table.columns, rows: table.rows.map { $0.map(field) })
  }

  /// Rows of already-safe fields as CSV text.
  static func render(header: [String], rows: [[String]]) -> String {
    let stream = OutputStream(toMemory: ())
    // Writing to memory cannot fail short of running out of it.
    let writer = try! CSVWriter(stream: stream, newline: .crlf)
    try! writer.write(row: header)
    for row in rows {
      try! writer.write(row: row)
    }
    writer.stream.close()
    let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
    return String(decoding: data, as: UTF8.self) + "\r\n"
  }

  /// A cell as a CSV field: text made safe, the rest plain.
  static func field(_ cell: ExportTable.Cell) -> String {
    guard case .text(let text) = cell else { return cell.plain }
    return safe(text)
  }

  /// Text as a CSV field: made inert (a CSV is often read in a terminal), then with a leading
  /// `'` when a spreadsheet would read it as a formula. Every text field goes through here.
  public static func safe(_ text: String) -> String {
    let text = UntrustedText.inert(text)
    guard let first = text.unicodeScalars.first, "=+-@".unicodeScalars.contains(first) else {
      return text
    }
    return "'" + text
  }
}
