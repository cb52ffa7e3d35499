import FleetModel
import Foundation

/// A FOCUS 1.0–1.2 billing export (CSV). Columns are found by name, so added, reordered and
/// custom (`x_…`, or, as in the FinOps sample, not prefixed at all) columns are fine. Missing
/// values are the bare word `NULL` or an empty cell; times are `2024-09-18 22:00:00` or
/// ISO-8601, UTC; money is parsed as decimal, never binary floating point.
public enum FocusFile {
  public static func parse(_ text: String, source: String) throws(InputError) -> [BillingRow] {
    let table = try CSVTable(text: text, source: source)
    let billed = try table.column("BilledCost")
    let effective = try table.column("EffectiveCost")
    let list = try table.column("ListCost")
    let start = try table.column("ChargePeriodStart")
    let end = try table.column("ChargePeriodEnd")
    let service = try table.column("ServiceName")
    let currency = try table.column("BillingCurrency")
    func optional(_ name: String) -> Int? { table.header.firstIndex(of: name) }
    let contracted = optional("ContractedCost")
    let category = optional("ChargeCategory")
    let serviceCategory = optional("ServiceCategory")
    let resourceId = optional("ResourceId")
    let resourceName = optional("ResourceName")
    let sku = optional("SkuId")
    let quantity = optional("PricingQuantity")
    let unit = optional("PricingUnit")
    let tags = optional("Tags")

    return try table.rows.map { row throws(InputError) in
      func text(_ column: Int?) throws(InputError) -> String? {
        guard let column else { return nil }
        let cell = try table.text(row, column)
        return cell.isEmpty || cell == "NULL" ? nil : cell
      }
      func required(_ column: Int) throws(InputError) -> String {
        guard let cell = try text(column) else {
          throw InputError(
            source: source, line: row.line, column: table.header[column],
            message: "a value is required here")
        }
        return cell
      }
      func decimal(_ column: Int?) throws(InputError) -> Decimal? {
        guard let column, let cell = try text(column) else { return nil }
        guard Self.isDecimalNumber(cell), let value = Decimal(string: cell, locale: Self.posix)
        else {
          throw InputError(
            source: source, line: row.line, column: table.header[column],
            message: "\"\(cell)\" is not a number")
        }
        return value
      }
      func money(_ column: Int) throws(InputError) -> Decimal {
        _ = try required(column)
        return try decimal(column)!
      }
      func time(_ column: Int) throws(InputError) -> Date {
        let cell = try required(column)
        guard let date = Self.time(cell) else {
          throw InputError(
            source: source, line: row.line, column: table.header[column],
            message: "\"\(cell)\" is not a time (expected 2024-09-18 22:00:00 or ISO-8601)")
        }
        return date
      }
      let periodStart = try time(start)
      let periodEnd = try time(end)
      guard periodEnd >= periodStart else {
        throw InputError(
          source: source, line: row.line, column: "ChargePeriodEnd",
          message: "the charge period ends before it starts")
      }
      return BillingRow(
        billedCost: try money(billed), effectiveCost: try money(effective),
        listCost: try money(list), contractedCost: try decimal(contracted),
        currency: try required(currency), periodStart: periodStart, periodEnd: periodEnd,
        chargeCategory: try text(category), serviceName: try required(service),
        serviceCategory: try text(serviceCategory), resourceId: try text(resourceId),
        resourceName: try text(resourceName), skuId: try text(sku),
        pricingQuantity: try decimal(quantity), pricingUnit: try text(unit),
        tags: try Self.tags(try text(tags), source: source, line: row.line))
    }
  }

  static let posix = Locale(identifier: "en_US_POSIX")

  /// `[-+]?(digits[.[digits]] | .digits)([eE][-+]?digits)?`, ASCII digits only: what
  /// `Decimal(string:)` must have read all of, since it stops quietly at the first character it
  /// cannot use (`12abc` is 12). By hand, not a regex: a regex literal is compiled each time it
  /// is evaluated, and that was a tenth of the time spent reading a file.
  static func isDecimalNumber(_ text: String) -> Bool {
    var rest = text.utf8[...]
    func take(_ bytes: String) -> Bool {
      guard let byte = rest.first, bytes.utf8.contains(byte) else { return false }
      rest = rest.dropFirst()
      return true
    }
    func digits() -> Int {
      let count = rest.prefix { UInt8(ascii: "0")...UInt8(ascii: "9") ~= $0 }.count
      rest = rest.dropFirst(count)
      return count
    }
    _ = take("+-")
    let whole = digits()
    let fraction = take(".") ? digits() : 0
    guard whole + fraction > 0 else { return false }
    if take("eE") {
      _ = take("+-")
      guard digits() > 0 else { return false }
    }
    return rest.isEmpty
  }

  /// `2024-09-18 22:00:00` (UTC by the specification), or ISO-8601 with or without a zone.
  static func time(_ text: String) -> Date? {
    let iso = text.replacingOccurrences(of: " ", with: "T")
    return Timestamp.withZone(iso) ?? Timestamp.withoutZone(iso, in: .gmt)
  }

  /// The `Tags` JSON object, with every value as text.
  static func tags(_ text: String?, source: String, line: Int) throws(InputError) -> [String:
    String]
  {
    guard let text else { return [:] }
    guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    else {
      throw InputError(
        source: source, line: line, column: "Tags", message: "not a JSON object: \(text.prefix(60))"
      )
    }
    return object.compactMapValues { value in
      switch value {
      case let string as String: string
      case is NSNull: nil
      default: "\(value)"
      }
    }
  }
}
