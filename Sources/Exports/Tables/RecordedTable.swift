import FleetModel
import Foundation

/// The figures recorded at a past moment (`factop snapshot --at`), as a table and as JSON.
public struct RecordedFigures: Encodable, Sendable {
  public struct Row: Encodable, Sendable {
    public let scope: String
    public let name: String
    @Null public var utilMeanPct: Double?
    @Null public var gpusAllocated: Double?
    @Null public var gpusBusy: Double?
    @Null public var gpusIdleAllocated: Double?
    @Null public var powerW: Double?
    @Null public var costUSDPerHour: Double?

    enum CodingKeys: String, CodingKey {
      case scope, name
      case utilMeanPct = "util_mean_pct"
      case gpusAllocated = "gpus_allocated"
      case gpusBusy = "gpus_busy"
      case gpusIdleAllocated = "gpus_idle_allocated"
      case powerW = "power_w"
      case costUSDPerHour = "cost_usd_per_h"
    }

    public init(scope: String, name: String, values: [String: Double]) {
      self.scope = scope
      self.name = name
      utilMeanPct = values[KPI.utilMeanPct.rawValue]?.rounded(toPlaces: 2)
      gpusAllocated = values[KPI.gpusAllocated.rawValue]?.rounded(toPlaces: 1)
      gpusBusy = values[KPI.gpusBusy.rawValue]?.rounded(toPlaces: 1)
      gpusIdleAllocated = values[KPI.gpusIdleAllocated.rawValue]?.rounded(toPlaces: 1)
      powerW = values[KPI.powerW.rawValue]?.rounded(toPlaces: 1)
      costUSDPerHour = values[KPI.costUSDPerHour.rawValue]?.rounded(toPlaces: 2)
    }
  }

  public let schemaVersion = Snapshot.schemaVersion
  public let at: Date
  /// `minute` or `hour`: the rollup the figures are the mean of.
  public let resolution: String
  public let bucketStart: Date
  public let rows: [Row]

  enum CodingKeys: String, CodingKey {
    case schemaVersion = "schema_version"
    case at, resolution, rows
    case bucketStart = "bucket_start"
  }

  public init(at: Date, resolution: String, bucketStart: Date, rows: [Row]) {
    self.at = at
    self.resolution = resolution
    self.bucketStart = bucketStart
    self.rows = rows
  }

  public var table: ExportTable {
    ExportTable(
      name: "fleet at \(at.formatted(.iso8601)) (\(resolution) mean)",
      columns: [
        "scope", "name", "util_mean_pct", "gpus_allocated", "gpus_busy", "gpus_idle_allocated",
        "power_w", "cost_usd_per_h",
      ],
      rows: rows.map { r in
        [
          .text(r.scope), .text(r.name), .number(r.utilMeanPct), .number(r.gpusAllocated),
          .number(r.gpusBusy), .number(r.gpusIdleAllocated), .number(r.powerW),
          .number(r.costUSDPerHour),
        ]
      })
  }
}
