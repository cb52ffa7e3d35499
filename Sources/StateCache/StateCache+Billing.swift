import FleetModel
import Foundation
import GRDB

extension StateCache {
  /// Replaces the rows imported before from `source` (a file) with `rows`, in one transaction.
  public func replaceBilling(_ rows: [BillingRow], from source: String) throws {
    try write { db in
      for table in ["billing", "billing_tags"] {
        try db.execute(sql: "DELETE FROM \(table) WHERE source = ?", arguments: [source])
      }
      let records = rows.enumerated().map {
        BillingRecord($0.element, source: source, line: $0.offset)
      }
      try BillingRecord.insert(records, db)
      try BillingTagRecord.insert(records.lazy.flatMap(\.tags), db)
      try db.execute(sql: "UPDATE meta SET value = value + 1 WHERE key = 'generation'")
    }
  }

  /// Every imported bill row, in import order.
  public func billingRows() throws -> [BillingRow] {
    try read { db in
      guard try hasSchema(db) else { return [] }
      var tags: [String: [Int: [String: String]]] = [:]
      for tag in try BillingTagRecord.fetchAll(db) {
        tags[tag.source, default: [:]][tag.line, default: [:]][tag.key] = tag.value
      }
      let order = [BillingRecord.Columns.source, BillingRecord.Columns.line]
      return try BillingRecord.order(order).fetchAll(db).map { record in
        var charge = record.charge
        charge.tags = tags[record.source]?[record.line] ?? [:]
        return charge
      }
    }
  }
}
