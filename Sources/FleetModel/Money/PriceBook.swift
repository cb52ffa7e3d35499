import Foundation

/// How GPU capacity is paid for.
public enum PricingKind: String, Sendable, Hashable, Codable, CaseIterable {
  case onDemand = "on_demand"
  case reserved1y = "reserved_1y"
  case reserved3y = "reserved_3y"
  case spot
  case owned
}

/// A price with its provenance: every figure factop shows can be traced to a source and a date.
public struct GPUHourPrice: Sendable, Hashable, Codable {
  public let usdPerGPUHour: Double
  public let asOf: String
  public let source: String

  public init(usdPerGPUHour: Double, asOf: String, source: String) {
    self.usdPerGPUHour = usdPerGPUHour
    self.asOf = asOf
    self.source = source
  }
}

/// GPU-hour prices by GPU model and pricing kind, and, for owned hardware, what its power costs.
///
/// Cloud prices include power and cooling. An owned GPU's price is its hardware alone (capex
/// amortized over its life, plus running costs); its energy is added from measured node power ×
/// the site's PUE × the tariff at the time.
public struct PriceBook: Sendable, Hashable {
  public struct Key: Sendable, Hashable {
    public let model: String
    public let pricing: PricingKind
    public init(model: String, pricing: PricingKind) {
      self.model = model
      self.pricing = pricing
    }
  }

  public var prices: [Key: GPUHourPrice]
  /// The tariff owned sites pay; nil when energy is not priced.
  public var energy: EnergyTariff?
  /// Facility power ÷ IT power, per site name.
  public var pueBySite: [String: Double]
  /// Prices that take effect on a date: a new list, a negotiated change.
  public var scheduled: [ScheduledPrice]
  /// Reservations whose term ends on a date, after which their cluster pays another way.
  public var terms: [ReservationTerm]
  /// Managed inference endpoints the fleet's own serving is compared with.
  public var managed: [ManagedEndpoint]

  public init(
    prices: [Key: GPUHourPrice], energy: EnergyTariff? = nil, pueBySite: [String: Double] = [:],
    scheduled: [ScheduledPrice] = [], terms: [ReservationTerm] = [], managed: [ManagedEndpoint] = []
  ) {
    self.prices = prices
    self.energy = energy
    self.pueBySite = pueBySite
    self.scheduled = scheduled
    self.terms = terms
    self.managed = managed
  }

  /// The cost per hour of drawing `watts` of IT power at `site` at `time`, or nil when the
  /// tariff or the site's PUE is unknown.
  public func energyUSDPerHour(watts: Double, site: String, at time: Date) -> Double? {
    guard let energy, let pue = pueBySite[site] else { return nil }
    return watts / 1_000 * pue * energy.usdPerKWh(at: time)
  }

  /// An owned GPU's hourly hardware price: capex spread over its life, plus running costs.
  public static func ownedHardware(
    capexUSD: Double, years: Double, opexUSDPerHour: Double, asOf: String, source: String
  ) -> GPUHourPrice {
    GPUHourPrice(
      usdPerGPUHour: capexUSD / (years * OwnedGPUCost.hoursPerYear) + opexUSDPerHour, asOf: asOf,
      source: source)
  }

  /// This book with `other`'s entries taking precedence.
  public func overridden(by other: PriceBook) -> PriceBook {
    PriceBook(
      prices: prices.merging(other.prices) { _, new in new }, energy: other.energy ?? energy,
      pueBySite: pueBySite.merging(other.pueBySite) { _, new in new },
      scheduled: scheduled + other.scheduled, terms: terms + other.terms,
      managed: managed.filter { mine in
        !other.managed.contains { $0.instanceType.lowercased() == mine.instanceType.lowercased() }
      } + other.managed)
  }

  /// The price of one GPU-hour of `model` bought as `pricing`, or nil when the book has none.
  /// A model named as a source reports it (`NVIDIA H100 80GB HBM3`) is priced as its catalog
  /// family when the book has no entry under that exact name.
  public func price(model: String, pricing: PricingKind) -> GPUHourPrice? {
    if let exact = prices[Key(model: model, pricing: pricing)] { return exact }
    return GPUModel.family(of: model).flatMap { prices[Key(model: $0.name, pricing: pricing)] }
  }
}

extension PriceBook {
  /// The simulated demo fleet's price book: illustrative round figures in the range clouds and
  /// neoclouds quoted in 2025–2026, so the demo's dollars have a realistic scale and every GPU
  /// model and pricing kind it plants waste in has a price. Real fleets start from `publicList`.
  public static let demo: PriceBook = {
    let asOf = "2026-11-01"
    let source = "factop demo price book (illustrative)"
    let table: [(GPUModel, [PricingKind: Double])] = [
      (
        .h100SXM,
        [.onDemand: 4.00, .reserved1y: 2.80, .reserved3y: 2.10, .spot: 1.90, .owned: 1.55]
      ),
      (.h200, [.onDemand: 4.60, .reserved1y: 3.30, .reserved3y: 2.50, .spot: 2.30, .owned: 1.85]),
      (
        .a100SXM,
        [.onDemand: 2.20, .reserved1y: 1.50, .reserved3y: 1.10, .spot: 0.95, .owned: 0.80]
      ),
      (.l40s, [.onDemand: 1.40, .reserved1y: 0.95, .reserved3y: 0.75, .spot: 0.60, .owned: 0.45]),
      (.b200, [.onDemand: 6.50, .reserved1y: 4.90, .reserved3y: 3.80, .spot: 3.40, .owned: 2.90]),
      (
        .mi300x, [.onDemand: 3.40, .reserved1y: 2.40, .reserved3y: 1.90, .spot: 1.60, .owned: 1.40]
      ),
    ]
    var prices: [Key: GPUHourPrice] = [:]
    for (model, byKind) in table {
      for (kind, usd) in byKind {
        prices[Key(model: model.name, pricing: kind)] = GPUHourPrice(
          usdPerGPUHour: usd, asOf: asOf, source: source)
      }
    }
    // US industrial electricity in data-centre states, 2023: 6.6–8.9 ¢/kWh (EIA); PUE: the
    // 2024 industry average 1.56 (Uptime Institute) and a modern hyperscale-style hall.
    return PriceBook(
      prices: prices,
      energy: EnergyTariff(
        usdPerKWh: 0.08, asOf: "2023-12-31", source: "EIA, US industrial average"),
      pueBySite: ["dc-east": 1.56, "dc-west": 1.2],
      // Managed endpoints are priced as the public list has them: the demo invents none.
      managed: ManagedEndpoint.publicList)
  }()
}
