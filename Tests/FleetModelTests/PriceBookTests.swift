import FleetModel
import Foundation
import Testing

@Suite struct PriceBookTests {
  let midnight = Date(timeIntervalSince1970: 1_794_960_000)

  @Test func timeOfUseBandsChooseThePriceByUTCHour() {
    let tariff = EnergyTariff(
      usdPerKWh: 0.07,
      bands: [
        .init(fromHour: 14, toHour: 20, usdPerKWh: 0.15),
        .init(fromHour: 22, toHour: 6, usdPerKWh: 0.05),
      ],
      asOf: "2025-01-01", source: "contract")
    #expect(tariff.usdPerKWh(at: midnight.addingTimeInterval(15 * 3_600)) == 0.15)
    #expect(tariff.usdPerKWh(at: midnight.addingTimeInterval(20 * 3_600)) == 0.07)
    // The night band wraps midnight.
    #expect(tariff.usdPerKWh(at: midnight.addingTimeInterval(23 * 3_600)) == 0.05)
    #expect(tariff.usdPerKWh(at: midnight.addingTimeInterval(3 * 3_600)) == 0.05)
    #expect(tariff.usdPerKWh(at: midnight.addingTimeInterval(10 * 3_600)) == 0.07)
  }

  @Test func ownedHardwareIsCapexOverItsLifePlusOpex() {
    let price = PriceBook.ownedHardware(
      capexUSD: 50_000, years: 5, opexUSDPerHour: 0.1, asOf: "2024-01-01", source: "po")
    #expect(abs(price.usdPerGPUHour - (50_000 / 43_800 + 0.1)) < 1e-12)
  }

  @Test func ownedClustersPayForTheirEnergyAtTheSitesPUE() throws {
    let t = midnight
    let state = FleetState(
      clusters: [
        Cluster(name: "own", scheduler: .slurm, site: "s1", pricing: .owned),
        Cluster(name: "rent", scheduler: .slurm, site: "s1", pricing: .onDemand),
      ],
      nodes: [
        Node(name: "a", cluster: "own", rack: "r", state: .idle),
        Node(name: "b", cluster: "rent", rack: "r", state: .idle),
      ],
      gpus: [
        GPU(uuid: "1", node: NodeID(cluster: "own", name: "a"), index: 0, model: .h100SXM),
        GPU(uuid: "2", node: NodeID(cluster: "rent", name: "b"), index: 0, model: .h100SXM),
      ],
      nodeSamples: [
        NodeID(cluster: "own", name: "a"): NodeSample(time: t, powerW: 10_000),
        NodeID(cluster: "rent", name: "b"): NodeSample(time: t, powerW: 10_000),
      ])
    let prices = PriceBook(
      prices: [
        .init(model: "H100-SXM5-80GB", pricing: .owned): GPUHourPrice(
          usdPerGPUHour: 1, asOf: "2024-01-01", source: "po"),
        .init(model: "H100-SXM5-80GB", pricing: .onDemand): GPUHourPrice(
          usdPerGPUHour: 4, asOf: "2024-01-01", source: "list"),
      ],
      energy: EnergyTariff(usdPerKWh: 0.1, asOf: "2024-01-01", source: "utility"),
      pueBySite: ["s1": 1.5])
    let summary = FleetSummary(state, prices: prices)
    let own = try #require(
      summary.clusters.first { $0.cluster.name == "own" }?.totals.costUSDPerHour)
    let rent = try #require(
      summary.clusters.first { $0.cluster.name == "rent" }?.totals.costUSDPerHour)
    #expect(abs(own - (1 + 10 * 1.5 * 0.1)) < 1e-12)  // hardware + 10 kW × PUE × tariff
    #expect(rent == 4)  // cloud prices include power
    // Without a PUE for the site, energy is unknown and not counted.
    var noPUE = prices
    noPUE.pueBySite = [:]
    #expect(FleetSummary(state, prices: noPUE).clusters[0].totals.costUSDPerHour == 1)
  }

  @Test func overridesReplaceEntryByEntry() {
    let custom = PriceBook(
      prices: [
        .init(model: "H100-SXM5-80GB", pricing: .onDemand): GPUHourPrice(
          usdPerGPUHour: 12.29, asOf: "2023-07-26", source: "AWS")
      ],
      pueBySite: ["dc-east": 1.2])
    let merged = PriceBook.demo.overridden(by: custom)
    #expect(merged.price(model: "H100-SXM5-80GB", pricing: .onDemand)?.usdPerGPUHour == 12.29)
    #expect(
      merged.price(model: "H100-SXM5-80GB", pricing: .spot)
        == PriceBook.demo.price(model: "H100-SXM5-80GB", pricing: .spot))
    #expect(
      merged.pueBySite["dc-east"] == 1.2
        && merged.pueBySite["dc-west"] == PriceBook.demo.pueBySite["dc-west"])
    #expect(merged.energy == PriceBook.demo.energy)
  }

  @Test func thePublicBookHoldsOnlyDatedPublicPrices() {
    let book = PriceBook.publicList
    #expect(!book.prices.isEmpty)
    for price in book.prices.values {
      #expect(price.asOf.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil, "\(price)")
      #expect(!price.source.contains("illustrative") && !price.source.contains("demo"))
    }
    #expect(book.energy?.source.contains("EIA") == true)
    // A site's PUE is the site's own; the public book cannot know it.
    #expect(book.pueBySite.isEmpty)
  }

  /// The public book's H100 entries are guide row P1's list prices, so its break-evens are P1's.
  @Test func thePublicH100PricesReproduceTheirPublishedBreakEvens() throws {
    func usd(_ kind: PricingKind) throws -> Double {
      try #require(PriceBook.publicList.price(model: "H100-SXM5-80GB", pricing: kind))
        .usdPerGPUHour
    }
    #expect(abs(try usd(.onDemand) * 8 - 98.32) < 1e-9)
    let oneYear = ReservationBreakEven(
      onDemandUSDPerHour: try usd(.onDemand), reservedUSDPerHour: try usd(.reserved1y))
    let threeYear = ReservationBreakEven(
      onDemandUSDPerHour: try usd(.onDemand), reservedUSDPerHour: try usd(.reserved3y))
    #expect(abs(oneYear.breakevenUtilizationPct - 58.6) <= 0.5)
    #expect(abs(threeYear.breakevenUtilizationPct - 43.9) <= 0.5)
    // Owned: $50k over 5 years is guide row P2's $1.14 per GPU-hour of hardware.
    #expect(abs(try usd(.owned) - 50_000 / (5 * 8_760)) < 0.01)
  }

  @Test func aModelOrKindWithoutAPublicPriceStaysUnpriced() {
    #expect(PriceBook.publicList.price(model: "H200-SXM-141GB", pricing: .onDemand) == nil)
    #expect(PriceBook.publicList.price(model: "H100-SXM5-80GB", pricing: .spot) == nil)
    // A reported name finds its family's public price.
    #expect(PriceBook.publicList.price(model: "NVIDIA H100 80GB HBM3", pricing: .onDemand) != nil)
  }

  @Test func everyDemoPriceSaysWhereAndWhenItCameFrom() {
    for price in PriceBook.demo.prices.values {
      #expect(!price.source.isEmpty && price.asOf.count == 10)
    }
  }
}
