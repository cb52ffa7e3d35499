import FleetModel
import Foundation

/// A TOML number: `years = 5` and `years = 5.0` alike (TOML keeps integers and floats apart).
struct TOMLNumber: Decodable, Equatable {
  let value: Double

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let double = try? container.decode(Double.self) {
      value = double
    } else {
      value = Double(try container.decode(Int.self))
    }
    // TOML spells `inf` and `nan`; no price, interval or budget is either.
    guard value.isFinite else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "must be a finite number"))
    }
  }
}

/// `[[prices.gpu]]`: cloud prices of one GPU model, USD per GPU-hour.
struct GPUPriceEntry: Decodable, Equatable {
  var model: String
  var onDemand: TOMLNumber?
  var reserved1y: TOMLNumber?
  var reserved3y: TOMLNumber?
  var spot: TOMLNumber?
  var asOf: String
  var source: String
  /// The day (UTC) these prices take effect; absent, they are the prices now.
  var from: String?

  enum CodingKeys: String, CodingKey {
    case model, spot, source, from
    case onDemand = "on_demand"
    case reserved1y = "reserved_1y"
    case reserved3y = "reserved_3y"
    case asOf = "as_of"
  }
}

/// `[[prices.owned]]`: an owned GPU model's hardware cost.
struct OwnedPriceEntry: Decodable, Equatable {
  var model: String
  var capexUSD: TOMLNumber
  var years: TOMLNumber
  var opexUSDPerHour: TOMLNumber?
  var asOf: String
  var source: String

  enum CodingKeys: String, CodingKey {
    case model, years, source
    case capexUSD = "capex_usd"
    case opexUSDPerHour = "opex_usd_per_h"
    case asOf = "as_of"
  }
}

/// `[[prices.reservation]]`: a cluster's reservation term, and how it pays once it ends.
struct ReservationEntry: Decodable, Equatable {
  var cluster: String
  var ends: String
  var then: String?
}

/// `[[prices.managed]]`: a managed inference endpoint's price per instance-hour. An instance
/// type the public list has keeps its service and accelerators unless the entry names them.
struct ManagedPriceEntry: Decodable, Equatable {
  var instanceType: String
  var service: String?
  var accelerator: String?
  var accelerators: Int?
  var usdPerHour: TOMLNumber
  var asOf: String
  var source: String

  enum CodingKeys: String, CodingKey {
    case service, accelerator, accelerators, source
    case instanceType = "instance_type"
    case usdPerHour = "usd_per_h"
    case asOf = "as_of"
  }
}

struct PriceSection: Decodable, Equatable {
  var gpu: [GPUPriceEntry]?
  var owned: [OwnedPriceEntry]?
  var reservation: [ReservationEntry]?
  var managed: [ManagedPriceEntry]?
}

/// `[energy]`: the tariff owned sites pay, with optional `[[energy.bands]]` by UTC hour.
struct EnergySection: Decodable, Equatable {
  struct Band: Decodable, Equatable {
    var fromHour: Int
    var toHour: Int
    var usdPerKWh: TOMLNumber

    enum CodingKeys: String, CodingKey {
      case fromHour = "from_hour"
      case toHour = "to_hour"
      case usdPerKWh = "usd_per_kwh"
    }
  }

  var usdPerKWh: TOMLNumber
  var asOf: String
  var source: String
  var bands: [Band]?

  enum CodingKeys: String, CodingKey {
    case source, bands
    case usdPerKWh = "usd_per_kwh"
    case asOf = "as_of"
  }
}

/// `[sites.NAME]`: what the model needs to know of a site.
struct SiteSection: Decodable, Equatable {
  var pue: TOMLNumber?
  /// The IT power the site may draw, and each of its racks.
  var powerBudgetKW: TOMLNumber?
  var rackPowerBudgetKW: TOMLNumber?

  enum CodingKeys: String, CodingKey {
    case pue
    case powerBudgetKW = "power_budget_kw"
    case rackPowerBudgetKW = "rack_power_budget_kw"
  }
}

extension ConfigFile {
  /// The price book the config describes, validated; every error names the key at fault.
  func priceBook(path: String) throws(ConfigError) -> PriceBook {
    func fail(_ message: String) -> ConfigError { ConfigError(path: path, message: message) }
    func positive(_ value: Double?, _ key: String) throws(ConfigError) {
      if let value, !(value > 0 && value.isFinite) {
        throw fail("\(key) must be a positive number")
      }
    }
    func provenance(_ asOf: String, _ source: String, _ key: String) throws(ConfigError) {
      guard asOf.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else {
        throw fail("\(key).as_of must be a date, YYYY-MM-DD (got \"\(asOf)\")")
      }
      guard !source.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw fail("\(key).source must say where the price comes from")
      }
    }

    func day(_ text: String, _ key: String) throws(ConfigError) -> Date {
      let parsed =
        text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) == nil
        ? nil : ISO8601DateFormatter().date(from: text + "T00:00:00Z")
      guard let parsed else { throw fail("\(key) must be a date, YYYY-MM-DD (got \"\(text)\")") }
      return parsed
    }

    var prices: [PriceBook.Key: GPUHourPrice] = [:]
    var scheduled: [ScheduledPrice] = []
    for (i, entry) in (self.prices?.gpu ?? []).enumerated() {
      let key = "prices.gpu[\(i)]"
      try provenance(entry.asOf, entry.source, key)
      let from = try entry.from.map { (text) throws(ConfigError) in try day(text, "\(key).from") }
      let kinds: [(PricingKind, Double?, String)] = [
        (.onDemand, entry.onDemand?.value, "on_demand"),
        (.reserved1y, entry.reserved1y?.value, "reserved_1y"),
        (.reserved3y, entry.reserved3y?.value, "reserved_3y"), (.spot, entry.spot?.value, "spot"),
      ]
      for (kind, value, name) in kinds {
        try positive(value, "\(key).\(name)")
        guard let value else { continue }
        let price = GPUHourPrice(usdPerGPUHour: value, asOf: entry.asOf, source: entry.source)
        let bookKey = PriceBook.Key(model: entry.model, pricing: kind)
        if let from {
          scheduled.append(ScheduledPrice(key: bookKey, from: from, price: price))
        } else {
          prices[bookKey] = price
        }
      }
    }
    for (i, entry) in (self.prices?.owned ?? []).enumerated() {
      let key = "prices.owned[\(i)]"
      try provenance(entry.asOf, entry.source, key)
      try positive(entry.capexUSD.value, "\(key).capex_usd")
      try positive(entry.years.value, "\(key).years")
      if let opex = entry.opexUSDPerHour?.value, !(opex >= 0) {
        throw fail("\(key).opex_usd_per_h must be 0 or more")
      }
      prices[PriceBook.Key(model: entry.model, pricing: .owned)] = PriceBook.ownedHardware(
        capexUSD: entry.capexUSD.value, years: entry.years.value,
        opexUSDPerHour: entry.opexUSDPerHour?.value ?? 0,
        asOf: entry.asOf, source: entry.source)
    }

    var tariff: EnergyTariff?
    if let energy {
      try provenance(energy.asOf, energy.source, "energy")
      try positive(energy.usdPerKWh.value, "energy.usd_per_kwh")
      var bands: [EnergyTariff.Band] = []
      for (i, band) in (energy.bands ?? []).enumerated() {
        let key = "energy.bands[\(i)]"
        guard (0...23).contains(band.fromHour), (1...24).contains(band.toHour),
          band.fromHour != band.toHour
        else { throw fail("\(key) must have from_hour in 0…23 and a different to_hour in 1…24") }
        try positive(band.usdPerKWh.value, "\(key).usd_per_kwh")
        bands.append(
          .init(fromHour: band.fromHour, toHour: band.toHour % 24, usdPerKWh: band.usdPerKWh.value))
      }
      tariff = EnergyTariff(
        usdPerKWh: energy.usdPerKWh.value, bands: bands, asOf: energy.asOf, source: energy.source)
    }

    var pue: [String: Double] = [:]
    for (site, section) in sites ?? [:] {
      guard let value = section.pue?.value else { continue }
      guard value >= 1, value < 5 else {
        throw fail("sites.\(site).pue must be between 1 and 5 (facility power ÷ IT power)")
      }
      pue[site] = value
    }
    var terms: [ReservationTerm] = []
    for (i, entry) in (self.prices?.reservation ?? []).enumerated() {
      let key = "prices.reservation[\(i)]"
      guard !entry.cluster.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw fail("\(key).cluster must name the cluster the reservation covers")
      }
      let then = entry.then ?? PricingKind.onDemand.rawValue
      guard let kind = PricingKind(rawValue: then) else {
        throw fail(
          "\(key).then must be one of \(PricingKind.allCases.map(\.rawValue).joined(separator: ", "))"
        )
      }
      terms.append(
        ReservationTerm(
          cluster: entry.cluster, ends: try day(entry.ends, "\(key).ends"), then: kind))
    }
    var managed: [ManagedEndpoint] = []
    for (i, entry) in (self.prices?.managed ?? []).enumerated() {
      let key = "prices.managed[\(i)]"
      try provenance(entry.asOf, entry.source, key)
      try positive(entry.usdPerHour.value, "\(key).usd_per_h")
      let listed = ManagedEndpoint.publicList.first {
        $0.instanceType.lowercased() == entry.instanceType.lowercased()
      }
      let accelerator = try entry.accelerator.map { (name) throws(ConfigError) in
        guard let known = ServingAccelerator.named(name) else {
          throw fail(
            "\(key).accelerator must be one of \(ServingAccelerator.all.map(\.name).joined(separator: ", ")) (got \"\(name)\")"
          )
        }
        return known
      }
      guard let service = entry.service ?? listed?.service,
        let accelerator = accelerator ?? listed?.accelerator,
        let count = entry.accelerators ?? listed?.accelerators
      else {
        throw fail(
          "\(key): \(entry.instanceType) is not in the public list; give its service, accelerator and accelerators"
        )
      }
      guard count > 0 else { throw fail("\(key).accelerators must be a positive number") }
      managed.append(
        ManagedEndpoint(
          service: service, instanceType: entry.instanceType, accelerator: accelerator,
          accelerators: count, usdPerHour: entry.usdPerHour.value, asOf: entry.asOf,
          source: entry.source))
    }
    return PriceBook(
      prices: prices, energy: tariff, pueBySite: pue, scheduled: scheduled, terms: terms,
      managed: managed)
  }
}

extension ConfigFile {
  /// The power budgets the config sets, in watts; every error names the key at fault.
  func powerBudgets(path: String) throws(ConfigError) -> PowerBudgets {
    var budgets = PowerBudgets()
    for (site, section) in sites ?? [:] {
      for (key, value) in [
        ("power_budget_kw", section.powerBudgetKW),
        ("rack_power_budget_kw", section.rackPowerBudgetKW),
      ] {
        guard let kw = value?.value else { continue }
        guard kw > 0, kw.isFinite else {
          throw ConfigError(path: path, message: "sites.\(site).\(key) must be a positive number")
        }
        if key == "power_budget_kw" {
          budgets.siteW[site] = kw * 1_000
        } else {
          budgets.rackW[site] = kw * 1_000
        }
      }
    }
    return budgets
  }
}
