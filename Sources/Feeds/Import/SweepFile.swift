import FleetModel

/// A power-limit sweep in the Zeus format:
/// `dataset,network,batch_size,optimizer,power_limit,time_per_epoch,average_power`. Every column
/// but the last three identifies a configuration, whatever those columns are.
public enum SweepFile {
  static let measured = ["power_limit", "time_per_epoch", "average_power"]

  public static func parse(_ text: String, source: String) throws(InputError) -> [PowerSweepSample]
  {
    let table = try CSVTable(text: text, source: source)
    let limit = try table.column("power_limit")
    let time = try table.column("time_per_epoch")
    let power = try table.column("average_power")
    let identity = table.header.indices.filter { !measured.contains(table.header[$0]) }
    var samples: [PowerSweepSample] = []
    for row in table.rows {
      var configuration: [String] = []
      for column in identity { configuration.append(try table.text(row, column)) }
      samples.append(
        PowerSweepSample(
          configuration: configuration, powerLimitW: try table.number(row, limit),
          timePerEpochS: try table.number(row, time), averagePowerW: try table.number(row, power)))
    }
    return samples
  }
}
