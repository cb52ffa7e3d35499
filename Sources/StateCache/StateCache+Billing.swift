import FleetModel
import Foundation
import GRDB

extension StateCache {
  /// Replaces the rows imported before from `source` (a file) with `rows`, in one transaction.
  public func replaceBilling(_ rows: [BillingRow], from source: String) throws {
    try write { db in
      try db.execute(sql: "DELETE FROM billing WHERE source = ?", arguments: [source])
      let insert = try db.cachedStatement(
        sql: """
          INSERT INTO billing (source, line, billed_cost, effective_cost, list_cost,
            contracted_cost, currency, period_start, period_end, charge_category, service_name,
            service_category, resource_id, resource_name, sku_id, pricing_quantity, pricing_unit,
            tags)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """)
      for (line, row) in rows.enumerated() {
        let tags = String(
          decoding: try JSONSerialization.data(withJSONObject: row.tags, options: [.sortedKeys]),
          as: UTF8.self)
        try insert.execute(arguments: [
          source, line, "\(row.billedCost)", "\(row.effectiveCost)", "\(row.listCost)",
          row.contractedCost.map { "\($0)" }, row.currency, row.periodStart.timeIntervalSince1970,
          row.periodEnd.timeIntervalSince1970, row.chargeCategory, row.serviceName,
          row.serviceCategory, row.resourceId, row.resourceName, row.skuId,
          row.pricingQuantity.map { "\($0)" }, row.pricingUnit, tags,
        ])
      }
      try db.execute(sql: "UPDATE meta SET value = value + 1 WHERE key = 'generation'")
    }
  }

  /// Every imported bill row, in import order.
  public func billingRows() throws -> [BillingRow] {
    try read { db in
      guard try db.tableExists("billing") else { return [] }
      return try Row.fetchAll(db, sql: "SELECT * FROM billing ORDER BY source, line").map { r in
        func decimal(_ column: String) -> Decimal? {
          (r[column] as String?).flatMap {
            Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX"))
          }
        }
        let tagsText: String = r["tags"]
        let tags =
          (try? JSONSerialization.jsonObject(with: Data(tagsText.utf8)) as? [String: String]) ?? [:]
        return BillingRow(
          billedCost: decimal("billed_cost") ?? 0, effectiveCost: decimal("effective_cost") ?? 0,
          listCost: decimal("list_cost") ?? 0, contractedCost: decimal("contracted_cost"),
          currency: r["currency"],
          periodStart: Date(timeIntervalSince1970: r["period_start"]),
          periodEnd: Date(timeIntervalSince1970: r["period_end"]),
          chargeCategory: r["charge_category"], serviceName: r["service_name"],
          serviceCategory: r["service_category"], resourceId: r["resource_id"],
          resourceName: r["resource_name"], skuId: r["sku_id"],
          pricingQuantity: decimal("pricing_quantity"), pricingUnit: r["pricing_unit"], tags: tags)
      }
    }
  }
}
