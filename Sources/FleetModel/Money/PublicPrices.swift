extension PriceBook {
  /// The price book a real fleet starts from: public list prices, each with the date it was
  /// published and where. Cloud list prices are per 8-GPU instance-hour, so each is divided by 8.
  /// Only prices a reader can check are here; a GPU model or pricing kind without one (spot
  /// prices move every few minutes) stays unpriced, and its cost shows as unknown until the
  /// config's `[[prices.gpu]]` says what the site pays.
  public static let publicList: PriceBook = {
    let aws = "AWS EC2 on-demand list price, us-east-1"
    let entries:
      [(GPUModel, PricingKind, usdPerInstanceHour: Double, asOf: String, source: String)] =
        [
          (.h100SXM, .onDemand, 98.32, "2023-07-26", "\(aws), p5.48xlarge ($98.32 ÷ 8 GPUs)"),
          (
            .h100SXM, .reserved1y, 57.63, "2023-07-26",
            "AWS EC2 1-year reserved, us-east-1, p5.48xlarge ($57.63 ÷ 8 GPUs)"
          ),
          (
            .h100SXM, .reserved3y, 43.16, "2023-07-26",
            "AWS EC2 3-year reserved, us-east-1, p5.48xlarge ($43.16 ÷ 8 GPUs)"
          ),
          (.a100SXM, .onDemand, 40.9657, "2024-12-01", "\(aws), p4de.24xlarge ($40.97 ÷ 8 GPUs)"),
          (.l40s, .onDemand, 30.131, "2024-08-15", "\(aws), g6e.48xlarge ($30.13 ÷ 8 GPUs)"),
        ]
    var prices: [Key: GPUHourPrice] = [:]
    for entry in entries {
      prices[Key(model: entry.0.name, pricing: entry.1)] = GPUHourPrice(
        usdPerGPUHour: entry.usdPerInstanceHour / 8, asOf: entry.asOf, source: entry.source)
    }
    // Owned hardware: an H100 at about $50k all-in (server share, network, install) spread over 5
    // years; its energy is added from measured power, so the price is hardware alone.
    prices[Key(model: GPUModel.h100SXM.name, pricing: .owned)] = ownedHardware(
      capexUSD: 50_000, years: 5, opexUSDPerHour: 0, asOf: "2024-06-01",
      source: "industry estimate: H100 all-in capex ≈ $50k per GPU, 5-year life")
    // PUE is a property of a site the book cannot know; the config's `[sites.NAME] pue` says it.
    return PriceBook(
      prices: prices,
      energy: EnergyTariff(
        usdPerKWh: 0.08, asOf: "2023-12-31", source: "EIA, US industrial average"),
      managed: ManagedEndpoint.publicList)
  }()
}
