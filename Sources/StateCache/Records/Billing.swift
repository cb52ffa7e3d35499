import FleetModel
import Foundation
import GRDB

/// A row of `billing`: one charge of an imported bill, money as decimal text so bills sum
/// exactly. Its tags are rows of `billing_tags`.
struct BillingRecord: CacheRecord {
  static let databaseTableName = "billing"
  enum Columns {
    static let source = Column("source")
    static let line = Column("line")
    static let billedCost = Column("billed_cost")
    static let effectiveCost = Column("effective_cost")
    static let listCost = Column("list_cost")
    static let contractedCost = Column("contracted_cost")
    static let currency = Column("currency")
    static let periodStart = Column("period_start")
    static let periodEnd = Column("period_end")
    static let chargeCategory = Column("charge_category")
    static let serviceName = Column("service_name")
    static let serviceCategory = Column("service_category")
    static let resourceID = Column("resource_id")
    static let resourceName = Column("resource_name")
    static let skuID = Column("sku_id")
    static let pricingQuantity = Column("pricing_quantity")
    static let pricingUnit = Column("pricing_unit")
  }

  /// The file the row came from: importing it again replaces its rows.
  var source: String
  var line: Int
  /// The charge without its tags, which `billing_tags` holds.
  var charge: BillingRow

  init(_ charge: BillingRow, source: String, line: Int) {
    self.source = source
    self.line = line
    self.charge = charge
  }

  init(row: Row) {
    func decimal(_ column: Column) -> Decimal? {
      (row[column] as String?).flatMap {
        Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX"))
      }
    }
    source = row[Columns.source]
    line = row[Columns.line]
    charge = BillingRow(
      billedCost: decimal(Columns.billedCost) ?? 0,
      effectiveCost: decimal(Columns.effectiveCost) ?? 0,
      listCost: decimal(Columns.listCost) ?? 0, contractedCost: decimal(Columns.contractedCost),
      currency: row[Columns.currency],
      periodStart: Date(timeIntervalSince1970: row[Columns.periodStart]),
      periodEnd: Date(timeIntervalSince1970: row[Columns.periodEnd]),
      chargeCategory: row[Columns.chargeCategory], serviceName: row[Columns.serviceName],
      serviceCategory: row[Columns.serviceCategory], resourceId: row[Columns.resourceID],
      resourceName: row[Columns.resourceName], skuId: row[Columns.skuID],
      pricingQuantity: decimal(Columns.pricingQuantity), pricingUnit: row[Columns.pricingUnit],
      tags: [:])
  }

  static let columns = [
    Columns.source, Columns.line, Columns.billedCost, Columns.effectiveCost, Columns.listCost,
    Columns.contractedCost, Columns.currency, Columns.periodStart, Columns.periodEnd,
    Columns.chargeCategory, Columns.serviceName, Columns.serviceCategory, Columns.resourceID,
    Columns.resourceName, Columns.skuID, Columns.pricingQuantity, Columns.pricingUnit,
  ]

  var values: [(any DatabaseValueConvertible)?] {
    [
      source,
      line,
      "\(charge.billedCost)",
      "\(charge.effectiveCost)",
      "\(charge.listCost)",
      charge.contractedCost.map { "\($0)" },
      charge.currency,
      charge.periodStart.timeIntervalSince1970,
      charge.periodEnd.timeIntervalSince1970,
      charge.chargeCategory,
      charge.serviceName,
      charge.serviceCategory,
      charge.resourceId,
      charge.resourceName,
      charge.skuId,
      charge.pricingQuantity.map { "\($0)" },
      charge.pricingUnit,
    ]
  }

  /// The charge's tags, one record each.
  var tags: [BillingTagRecord] {
    charge.tags.map { BillingTagRecord(source: source, line: line, key: $0.key, value: $0.value) }
  }
}

/// A row of `billing_tags`: one tag of one charge.
struct BillingTagRecord: CacheRecord {
  static let databaseTableName = "billing_tags"
  enum Columns {
    static let source = Column("source")
    static let line = Column("line")
    static let key = Column("key")
    static let value = Column("value")
  }

  var source: String
  var line: Int
  var key: String
  var value: String

  init(source: String, line: Int, key: String, value: String) {
    self.source = source
    self.line = line
    self.key = key
    self.value = value
  }

  init(row: Row) {
    source = row[Columns.source]
    line = row[Columns.line]
    key = row[Columns.key]
    value = row[Columns.value]
  }

  static let columns = [
    Columns.source, Columns.line, Columns.key, Columns.value,
  ]

  var values: [(any DatabaseValueConvertible)?] {
    [
      source,
      line,
      key,
      value,
    ]
  }
}
