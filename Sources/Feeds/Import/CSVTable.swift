import CSV

/// A CSV file with a header row, read whole, whose cells are fetched by column name with errors
/// that name the file, the line and the column.
struct CSVTable {
  let source: String
  let header: [String]
  /// Data rows with the file line each came from (the header is line 1).
  let rows: [(line: Int, cells: [String])]

  init(text: String, source: String) throws(InputError) {
    self.source = source
    guard !text.allSatisfy(\.isWhitespace) else {
      throw InputError(source: source, message: "empty file: expected a header row")
    }
    // Cells are trimmed here: the reader's own trimming goes through Foundation's NSString for
    // every cell, and was most of the time spent reading a file.
    let reader: CSVReader
    do {
      reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: false)
    } catch {
      throw InputError(source: source, line: 1, message: "not CSV: \(error)")
    }
    guard let header = reader.headerRow?.map({ $0.trimmingSpaces() }), !header.allSatisfy(\.isEmpty)
    else {
      throw InputError(source: source, message: "empty file: expected a header row")
    }
    self.header = header
    var rows: [(Int, [String])] = []
    while let cells = reader.next()?.map({ $0.trimmingSpaces() }) {
      if cells.allSatisfy(\.isEmpty) { continue }
      rows.append((rows.count + 2, cells))
    }
    if let error = reader.error {
      throw InputError(source: source, line: rows.count + 2, message: "not CSV: \(error)")
    }
    guard !rows.isEmpty else { throw InputError(source: source, message: "no data rows") }
    self.rows = rows
  }

  /// The index of a column, or an error listing the ones the file has.
  func column(_ name: String) throws(InputError) -> Int {
    guard let index = header.firstIndex(of: name) else {
      throw InputError(
        source: source, line: 1, column: name,
        message: "no such column (the file has: \(header.joined(separator: ", ")))")
    }
    return index
  }

  func text(_ row: (line: Int, cells: [String]), _ column: Int) throws(InputError) -> String {
    guard column < row.cells.count else {
      throw InputError(
        source: source, line: row.line, column: header[column], message: "the row is too short")
    }
    return row.cells[column]
  }

  func number(_ row: (line: Int, cells: [String]), _ column: Int) throws(InputError) -> Double {
    let cell = try text(row, column)
    guard let value = Double(cell), value.isFinite else {
      throw InputError(
        source: source, line: row.line, column: header[column],
        message: "\"\(cell)\" is not a number")
    }
    return value
  }
}
