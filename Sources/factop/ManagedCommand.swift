import ArgumentParser
import Config
import FleetModel
import Foundation

/// `factop model managed`: buy or build, for each inference deployment the cache holds.
struct ManagedCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "managed",
    abstract:
      "Each inference deployment priced as it runs, and on managed endpoints (buy or build).",
    discussion: """
      Reads the fleet and its last day from the cache (polling once first unless --offline).
      Each running inference deployment is priced as it runs today, on its own GPUs sized for
      its busiest hour, and on each managed endpoint of the price book (SageMaker, Vertex AI,
      Inferentia), fixed and autoscaled, with the list price's date and source. Imported bills'
      managed AI services are listed beside. Method and assumptions: docs/model.md.
      """)

  @OptionGroup var global: GlobalOptions
  @Option(help: "Output format.") var format: ReportFormat = .table
  @Flag(help: "Read only the cache; never poll a source.") var offline = false

  struct Answer: Encodable {
    let deployments: [ManagedComparison.Deployment]
    let assumptions: [String]
    /// What imported bills already charge for managed AI services; null without bills.
    let billedManagedAI: [BillingSummary.Service]?
    let billCurrency: String?

    enum CodingKeys: String, CodingKey {
      case deployments, assumptions
      case billedManagedAI = "billed_managed_ai"
      case billCurrency = "bill_currency"
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(deployments, forKey: .deployments)
      try container.encode(assumptions, forKey: .assumptions)
      try container.encode(billedManagedAI, forKey: .billedManagedAI)
      try container.encode(billCurrency, forKey: .billCurrency)
    }
  }

  func run() async throws {
    let settings = try Settings.resolve(global)
    let now = Date()
    let cache = try await CacheAccess.openWithHistory(settings, offline: offline, now: now)
    let report = try CacheAccess.report(settings, cache: cache, now: now)
    let comparison = ManagedComparison(
      SavingsContext(
        state: report.state, prices: report.rules.prices, now: now, history: report.history),
      rules: report.rules.savings)
    try format.print(
      Answer(
        deployments: comparison.deployments, assumptions: comparison.assumptions,
        billedManagedAI: report.billing?.managedAI, billCurrency: report.billing?.currency),
      table: Self.table)
    if report.state.isEmpty {
      throw NeedsAttention("the cache at \(settings.dbPath) holds no data: nothing to compare")
    }
  }

  /// For people: one block per deployment, its cheapest options first.
  static func table(_ answer: Answer) -> String {
    func usd(_ value: Double?) -> String { value.map(DollarText.whole) ?? "unknown" }
    var lines: [String] = []
    for d in answer.deployments {
      lines.append(
        "\(d.job.cluster)/\(d.job.id) \(d.name) (team \(d.team)): \(d.gpus) \(d.gpuModel), "
          + "peak \(String(format: "%.0f", d.peakActivityPct)) %, "
          + "mean \(String(format: "%.0f", d.meanActivityPct)) % over \(d.profileHours) h — "
          + d.verdict.rawValue.uppercased())
      lines.append(
        "  today \(usd(d.usdPerMonthToday))/month; sized for its peak "
          + "(\(d.gpusRightSized) GPUs) \(usd(d.usdPerMonthRightSized))/month")
      lines.append(
        "  " + pad("SERVICE", 17) + pad("INSTANCE", 17) + pad("PEAK", 5, right: true)
          + pad("MEAN", 7, right: true) + pad("FIXED $/MONTH", 15, right: true)
          + pad("AUTOSCALED", 12, right: true))
      for option in d.options.prefix(4) {
        lines.append(
          "  " + pad(option.endpoint.service, 17) + pad(option.endpoint.instanceType, 17)
            + pad("\(option.instancesAtPeak)", 5, right: true)
            + pad(String(format: "%.1f", option.instancesMean), 7, right: true)
            + pad(DollarText.whole(option.usdPerMonthFixed), 15, right: true)
            + pad(DollarText.whole(option.usdPerMonthAutoscaled), 12, right: true))
      }
      lines.append("")
    }
    if answer.deployments.isEmpty {
      lines += ["No running inference deployment with GPU readings.", ""]
    }
    if let billed = answer.billedManagedAI {
      lines.append(
        "Imported bills, managed AI services (\(answer.billCurrency ?? "mixed currencies")):")
      lines +=
        billed.isEmpty
        ? ["  none"]
        : billed.map { "  \($0.service): \($0.effectiveCost) effective" }
      lines.append("")
    }
    lines.append("Assumptions:")
    lines += answer.assumptions.map { "  - \($0)" }
    let endpoints = Set(answer.deployments.flatMap { $0.options.prefix(4).map(\.endpoint) })
    if !endpoints.isEmpty {
      lines.append("Prices:")
      lines += endpoints.sorted { $0.instanceType < $1.instanceType }.map {
        "  \($0.instanceType) $\(String(format: "%.2f", $0.usdPerHour))/h: \($0.source), as of \($0.asOf)"
      }
    }
    return lines.joined(separator: "\n")
  }
}
