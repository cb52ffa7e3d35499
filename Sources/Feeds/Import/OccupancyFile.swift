import FleetModel

/// A scheduler occupancy series: a time column, allocated and total capacity, and optionally
/// pending demand, named by the caller.
public enum OccupancyFile {
  public struct Columns: Sendable {
    public let time: String
    public let allocated: String
    public let total: String
    public let pending: String?

    public init(time: String, allocated: String, total: String, pending: String?) {
      self.time = time
      self.allocated = allocated
      self.total = total
      self.pending = pending
    }
  }

  public static func parse(_ text: String, source: String, columns: Columns) throws(InputError)
    -> [OccupancySample]
  {
    let table = try CSVTable(text: text, source: source)
    let time = try table.column(columns.time)
    let allocated = try table.column(columns.allocated)
    let total = try table.column(columns.total)
    var pending: Int?
    if let name = columns.pending { pending = try table.column(name) }
    var samples: [OccupancySample] = []
    for row in table.rows {
      var demand: Double?
      if let pending { demand = try table.number(row, pending) }
      samples.append(
        OccupancySample(
          time: try table.text(row, time), allocated: try table.number(row, allocated),
          total: try table.number(row, total), pending: demand))
    }
    return samples
  }
}
