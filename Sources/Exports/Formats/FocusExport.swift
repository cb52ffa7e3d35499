import FleetModel
import Foundation

/// factop's computed cost allocation as FOCUS-shaped CSV (FinOps Open Cost and Usage
/// Specification column names), one row per team and per job per hour, so finance tools that
/// read cloud bills read factop's too. Costs are factop's: list, billed, effective and
/// contracted cost are the same figure. `x_FactopScope` says whether a row is a team (team rows
/// add up to the fleet) or a job (job rows break their team down): sum one or the other.
public enum FocusExport {
  static let columns = [
    "BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "BillingCurrency",
    "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory", "ChargeDescription",
    "ConsumedQuantity", "ConsumedUnit", "ProviderName", "PublisherName", "ResourceId",
    "ResourceName", "ResourceType", "ServiceCategory", "ServiceName", "SubAccountId", "Tags",
    "x_FactopScope",
  ]

  public static func render(_ rows: [CostAllocation]) -> String {
    CSVExport.render(
      header: columns,
      rows: rows.map { row in
        let cost = ExportTable.Cell.plain((row.usd * 100).rounded() / 100)
        var tags: [String: String] = [:]
        tags["team"] = row.team
        tags["cluster"] = row.cluster
        let tagsJSON =
          (try? JSONOutput.encode(tags, pretty: false)).map { String(decoding: $0, as: UTF8.self) }
          ?? "{}"
        return [
          cost, cost, cost, cost, "USD", row.hourStart.formatted(.iso8601),
          row.hourStart.addingTimeInterval(3_600).formatted(.iso8601), "Usage",
          "GPU capacity held by \(row.scope.rawValue) \(row.name)", "1", "Hour", "factop",
          "factop", "\(row.scope.rawValue)/\(row.name)", row.name,
          row.scope == .team ? "Team" : "Job", "AI and Machine Learning", "GPU compute",
          row.cluster ?? "", tagsJSON, row.scope.rawValue,
        ].map(CSVExport.safe)
      })
  }
}
