import Foundation

/// What a kWh costs at the meter, with optional time-of-use bands (UTC hours).
public struct EnergyTariff: Sendable, Hashable {
  public struct Band: Sendable, Hashable {
    /// First hour of the band (0…23) and the hour it ends before (1…24); may wrap midnight.
    public let fromHour: Int
    public let toHour: Int
    public let usdPerKWh: Double

    public init(fromHour: Int, toHour: Int, usdPerKWh: Double) {
      self.fromHour = fromHour
      self.toHour = toHour
      self.usdPerKWh = usdPerKWh
    }

    func contains(hour: Int) -> Bool {
      fromHour < toHour ? (fromHour..<toHour).contains(hour) : hour >= fromHour || hour < toHour
    }
  }

  public let usdPerKWh: Double
  public let bands: [Band]
  public let asOf: String
  public let source: String

  public init(usdPerKWh: Double, bands: [Band] = [], asOf: String, source: String) {
    self.usdPerKWh = usdPerKWh
    self.bands = bands
    self.asOf = asOf
    self.source = source
  }

  /// The price of a kWh drawn at `time`: the first band holding its UTC hour, else the base.
  public func usdPerKWh(at time: Date) -> Double {
    let hour = Int(time.timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400) / 3_600)
    return bands.first { $0.contains(hour: hour) }?.usdPerKWh ?? usdPerKWh
  }
}
