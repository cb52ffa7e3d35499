import GRDB

/// A row of one of the cache's tables, as a GRDB record: read by named columns (`init(row:)`),
/// written as `values` in the order of `columns`.
protocol CacheRecord: FetchableRecord, PersistableRecord {
  /// The table's columns, in the order `values` gives them.
  static var columns: [Column] { get }
  var values: [(any DatabaseValueConvertible)?] { get }
}

extension CacheRecord {
  func encode(to container: inout PersistenceContainer) {
    for (column, value) in zip(Self.columns, values) { container[column] = value }
  }

  /// Writes `records` through one prepared statement, replacing any row with the same key.
  /// GRDB's own `insert` builds a dictionary of every row's columns, which made writing one
  /// poll of 16,384 GPUs three times as slow.
  static func insert(_ records: some Sequence<Self>, _ db: Database) throws {
    let names = columns.map(\.name)
    let statement = try db.cachedStatement(
      sql: "INSERT OR REPLACE INTO \(databaseTableName) (\(names.joined(separator: ", "))) "
        + "VALUES (\(Array(repeating: "?", count: names.count).joined(separator: ", ")))")
    for record in records {
      try statement.execute(arguments: StatementArguments(record.values))
    }
  }
}
