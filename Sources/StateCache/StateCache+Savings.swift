import FleetModel
import Foundation
import GRDB

extension StateCache {
  /// Every series of `metric` whose entity starts with `prefix`, by entity, oldest point first.
  public func series(
    entityPrefix prefix: String, metric: String, resolution: SeriesResolution, since: Date
  ) throws -> [String: [SeriesPoint]] {
    try read { db in
      guard try hasSchema(db) else { return [:] }
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT entity, t, mean, min, max FROM \(resolution.table)
          WHERE entity >= ? AND entity < ? AND metric = ? AND t >= ? ORDER BY entity, t
          """,
        arguments: [prefix, prefix + "\u{FFFF}", metric, Int(since.timeIntervalSince1970)])
      var result: [String: [SeriesPoint]] = [:]
      while let row = try rows.next() {
        let entity: String = row["entity"]
        result[entity, default: []].append(
          SeriesPoint(
            entity: entity, metric: metric,
            time: Date(timeIntervalSince1970: TimeInterval(row["t"] as Int)),
            mean: row["mean"], min: row["min"], max: row["max"]))
      }
      return result
    }
  }
}
