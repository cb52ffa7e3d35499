import FleetModel
import Foundation
import GRDB

/// A row of `savings_ledger`: one opportunity the finder raised, with its history.
struct LedgerRecord: CacheRecord {
  static let databaseTableName = "savings_ledger"
  enum Columns {
    static let id = Column("id")
    static let kind = Column("kind")
    static let scope = Column("scope")
    static let owner = Column("owner")
    static let title = Column("title")
    static let firstSeen = Column("first_seen")
    static let confirmed = Column("confirmed")
    static let lastSeen = Column("last_seen")
    static let usdFound = Column("usd_found")
    static let usdLast = Column("usd_last")
    static let status = Column("status")
    static let closed = Column("closed")
    static let movedTo = Column("moved_to")
    static let movedFrom = Column("moved_from")
  }

  var entry: LedgerEntry

  init(_ entry: LedgerEntry) {
    self.entry = entry
  }

  /// A row whose kind or status this version does not know (a newer factop wrote it) is an
  /// error naming it, not a guess.
  init(row: Row) throws {
    func date(_ column: Column) -> Date? {
      (row[column] as Double?).map(Date.init(timeIntervalSince1970:))
    }
    let id: String = row[Columns.id]
    guard let kind = Opportunity.Kind(rawValue: row[Columns.kind]),
      let status = LedgerEntry.Status(rawValue: row[Columns.status]),
      let firstSeen = date(Columns.firstSeen), let lastSeen = date(Columns.lastSeen)
    else { throw UnknownLedgerRow(id: id) }
    entry = LedgerEntry(
      id: id, kind: kind, scope: row[Columns.scope], owner: row[Columns.owner],
      title: row[Columns.title], firstSeen: firstSeen, confirmed: date(Columns.confirmed),
      lastSeen: lastSeen, usdPerMonthFound: row[Columns.usdFound],
      usdPerMonthLast: row[Columns.usdLast], status: status, closed: date(Columns.closed),
      movedTo: row[Columns.movedTo], movedFrom: row[Columns.movedFrom])
  }

  static let columns = [
    Columns.id, Columns.kind, Columns.scope, Columns.owner, Columns.title, Columns.firstSeen,
    Columns.confirmed, Columns.lastSeen, Columns.usdFound, Columns.usdLast, Columns.status,
    Columns.closed, Columns.movedTo, Columns.movedFrom,
  ]

  var values: [(any DatabaseValueConvertible)?] {
    [
      entry.id, entry.kind.rawValue, entry.scope, entry.owner, entry.title,
      entry.firstSeen.timeIntervalSince1970, entry.confirmed?.timeIntervalSince1970,
      entry.lastSeen.timeIntervalSince1970, entry.usdPerMonthFound, entry.usdPerMonthLast,
      entry.status.rawValue, entry.closed?.timeIntervalSince1970, entry.movedTo,
      entry.movedFrom,
    ]
  }
}

/// A ledger row this factop cannot read: a newer one wrote a kind or status it does not know.
struct UnknownLedgerRow: Error, CustomStringConvertible {
  let id: String

  var description: String {
    "savings ledger entry \(id) has a kind or status this version of factop does not know"
  }
}
