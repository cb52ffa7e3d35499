import FleetModel
import Foundation
import GRDB

extension StateCache {
  /// The savings ledger as last recorded.
  public func ledger() throws -> SavingsLedger {
    try read { db in
      guard try hasSchema(db) else { return SavingsLedger() }
      let order = [LedgerRecord.Columns.firstSeen, LedgerRecord.Columns.id]
      return SavingsLedger(try LedgerRecord.order(order).fetchAll(db).map(\.entry))
    }
  }

  /// When the finder last ran for the ledger; nil if it never did.
  public func ledgerRecordedAt() throws -> Date? {
    try read { db in
      guard try hasSchema(db) else { return nil }
      return try Int.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'ledger_recorded_at'")
        .map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }
  }

  /// Replaces the ledger with `ledger`, as recorded at `time`, in one transaction.
  public func replaceLedger(_ ledger: SavingsLedger, recordedAt time: Date) throws {
    try write { db in
      try db.execute(sql: "DELETE FROM savings_ledger")
      try LedgerRecord.insert(ledger.entries.map(LedgerRecord.init), db)
      try db.execute(
        sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('ledger_recorded_at', ?)",
        arguments: [Int(time.timeIntervalSince1970)])
      try db.execute(sql: "UPDATE meta SET value = value + 1 WHERE key = 'generation'")
    }
  }
}
