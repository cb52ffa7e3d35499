import Foundation
import UntrustedText

/// Tables as Markdown for tickets and reports: a title, the age of the data and the state of
/// its sources, then a pipe table with numbers right-aligned and unknown as `N/A`.
public enum MarkdownExport {
  public static func render(_ table: ExportTable, snapshot: Snapshot) -> String {
    let ages = snapshot.sources.map { source in
      "\(source.name) \(source.status.rawValue)"
        + (source.ageS.map { ", data \(ExportTable.Cell.plain($0.rounded())) s old" } ?? "")
    }
    return render(
      table, generatedAt: snapshot.generatedAt,
      sources: ages.isEmpty ? "none" : ages.joined(separator: "; "))
  }

  /// `table` under a title and a line saying when it was made and where its data came from.
  public static func render(_ table: ExportTable, generatedAt: Date, sources: String) -> String {
    let generated = generatedAt.formatted(.iso8601)
    let alignments: [String] = table.columns.indices.map {
      isNumeric(table, column: $0) ? " ---: |" : " --- |"
    }
    var lines: [String] = [
      "## factop \(table.name)", "", "Generated \(generated) · sources: \(sources)", "",
      "| " + table.columns.joined(separator: " | ") + " |", "|" + alignments.joined(),
    ]
    lines += table.rows.map { row in
      "| " + row.map(cell).joined(separator: " | ") + " |"
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func cell(_ cell: ExportTable.Cell) -> String {
    switch cell {
    case .unknown: return "N/A"
    case .text(let text):
      // Escape sequences and controls have no business in a report; a pipe would end the cell
      // and a newline the row; backslashes and backticks would change what the rest means.
      return UntrustedText.inert(text).replacingOccurrences(of: "\\", with: "\\\\")
        .replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "`", with: "\\`")
    default: return cell.plain
    }
  }

  private static func isNumeric(_ table: ExportTable, column: Int) -> Bool {
    let known = table.rows.map { $0[column] }.filter { $0 != .unknown }
    return !known.isEmpty
      && known.allSatisfy {
        switch $0 {
        case .number, .integer, .decimal: true
        default: false
        }
      }
  }
}
