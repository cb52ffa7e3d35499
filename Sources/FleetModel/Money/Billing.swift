import Foundation

/// One charge of an imported bill (a FOCUS row). Money is `Decimal`: bills are summed exactly,
/// never in binary floating point.
public struct BillingRow: Sendable, Hashable {
  public var billedCost: Decimal
  public var effectiveCost: Decimal
  public var listCost: Decimal
  public var contractedCost: Decimal?
  public var currency: String
  /// The charge covers [start, end), UTC.
  public var periodStart: Date
  public var periodEnd: Date
  public var chargeCategory: String?
  public var serviceName: String
  public var serviceCategory: String?
  public var resourceId: String?
  public var resourceName: String?
  public var skuId: String?
  public var pricingQuantity: Decimal?
  public var pricingUnit: String?
  public var tags: [String: String]

  public init(
    billedCost: Decimal, effectiveCost: Decimal, listCost: Decimal, contractedCost: Decimal?,
    currency: String, periodStart: Date, periodEnd: Date, chargeCategory: String?,
    serviceName: String, serviceCategory: String?, resourceId: String?, resourceName: String?,
    skuId: String?, pricingQuantity: Decimal?, pricingUnit: String?, tags: [String: String]
  ) {
    self.billedCost = billedCost
    self.effectiveCost = effectiveCost
    self.listCost = listCost
    self.contractedCost = contractedCost
    self.currency = currency
    self.periodStart = periodStart
    self.periodEnd = periodEnd
    self.chargeCategory = chargeCategory
    self.serviceName = serviceName
    self.serviceCategory = serviceCategory
    self.resourceId = resourceId
    self.resourceName = resourceName
    self.skuId = skuId
    self.pricingQuantity = pricingQuantity
    self.pricingUnit = pricingUnit
    self.tags = tags
  }
}

/// Imported bills added up: totals, the period they cover, and each service's share.
public struct BillingSummary: Sendable, Hashable, Encodable {
  public struct Service: Sendable, Hashable, Encodable {
    public let service: String
    public let billedCost: Decimal
    public let effectiveCost: Decimal

    enum CodingKeys: String, CodingKey {
      case service
      case billedCost = "billed_cost"
      case effectiveCost = "effective_cost"
    }
  }

  /// What the bill charged for one cluster's resources; `(unmapped)` for the rest.
  public struct ClusterShare: Sendable, Hashable, Encodable {
    public let cluster: String
    public let billedCost: Decimal
    public let effectiveCost: Decimal

    enum CodingKeys: String, CodingKey {
      case cluster
      case billedCost = "billed_cost"
      case effectiveCost = "effective_cost"
    }
  }

  /// The name rows no cluster claims are summed under.
  public static let unmapped = "(unmapped)"

  public let rows: Int
  /// The currency when every row agrees; nil for a mix (the sums are then meaningless).
  public let currency: String?
  public let billedCost: Decimal
  public let effectiveCost: Decimal
  public let listCost: Decimal
  public let periodStart: Date?
  public let periodEnd: Date?
  /// Largest effective cost first.
  public let byService: [Service]
  /// Largest effective cost first.
  public let byCluster: [ClusterShare]
  /// The managed AI services among `byService` (SageMaker, Bedrock, Vertex AI, Azure ML…):
  /// serving and training bought rather than built. Largest effective cost first.
  public let managedAI: [Service]

  enum CodingKeys: String, CodingKey {
    case rows, currency
    case billedCost = "billed_cost"
    case effectiveCost = "effective_cost"
    case listCost = "list_cost"
    case periodStart = "period_start"
    case periodEnd = "period_end"
    case byService = "by_service"
    case byCluster = "by_cluster"
    case managedAI = "managed_ai"
  }

  /// FOCUS's `ServiceCategory` for such services (1.0 to 1.2).
  public static let aiCategory = "AI and Machine Learning"
  /// Managed AI services as the clouds' bills name them, for bills whose rows carry no
  /// `ServiceCategory`.
  public static let managedAIServiceNames: Set<String> = [
    "Amazon SageMaker", "Amazon Bedrock", "Amazon Q", "AWS Neuron", "Vertex AI",
    "Vertex AI Platform", "Gemini API", "Azure Machine Learning", "Azure OpenAI Service",
    "Azure OpenAI", "Azure AI services", "Azure AI Foundry", "Azure Cognitive Services",
  ]

  /// Whether a bill's row charges for a managed AI service.
  public static func isManagedAI(_ row: BillingRow) -> Bool {
    row.serviceCategory == aiCategory || managedAIServiceNames.contains(row.serviceName)
  }

  /// Sums `rows`; `clusterOf` says which cluster a row's resource belongs to, if any.
  public init(_ rows: [BillingRow], clusterOf: (BillingRow) -> String? = { _ in nil }) {
    self.rows = rows.count
    let currencies = Set(rows.map(\.currency))
    currency = currencies.count == 1 ? currencies.first : nil
    billedCost = rows.reduce(0) { $0 + $1.billedCost }
    effectiveCost = rows.reduce(0) { $0 + $1.effectiveCost }
    listCost = rows.reduce(0) { $0 + $1.listCost }
    periodStart = rows.map(\.periodStart).min()
    periodEnd = rows.map(\.periodEnd).max()
    byService = Self.shares(rows, by: \.serviceName).map {
      Service(service: $0.name, billedCost: $0.billed, effectiveCost: $0.effective)
    }
    byCluster = Self.shares(rows) { clusterOf($0) ?? Self.unmapped }.map {
      ClusterShare(cluster: $0.name, billedCost: $0.billed, effectiveCost: $0.effective)
    }
    managedAI = Self.shares(rows.filter(Self.isManagedAI), by: \.serviceName).map {
      Service(service: $0.name, billedCost: $0.billed, effectiveCost: $0.effective)
    }
  }

  /// Billed and effective cost summed per `key`, largest effective cost first.
  private static func shares(_ rows: [BillingRow], by key: (BillingRow) -> String)
    -> [(name: String, billed: Decimal, effective: Decimal)]
  {
    var sums: [String: (billed: Decimal, effective: Decimal)] = [:]
    for row in rows {
      sums[key(row), default: (0, 0)].billed += row.billedCost
      sums[key(row), default: (0, 0)].effective += row.effectiveCost
    }
    return sums.map { ($0.key, $0.value.billed, $0.value.effective) }
      .sorted { ($0.effective, $1.name) > ($1.effective, $0.name) }
  }

  /// Maps a bill's rows to the fleet's clusters: by the tag `clusterTag` naming a cluster, else
  /// by the resource's id or name being one of the fleet's nodes (a cloud instance id used as
  /// the node name).
  public static func clusters(of state: FleetState, clusterTag: String = "cluster")
    -> (BillingRow) -> String?
  {
    let clusters = Set(state.clusters.map(\.name))
    let clusterOfNode = Dictionary(
      state.nodes.map { ($0.name, $0.cluster) }, uniquingKeysWith: { a, _ in a })
    return { row in
      if let tagged = row.tags[clusterTag], clusters.contains(tagged) { return tagged }
      for key in [row.resourceId, row.resourceName].compactMap({ $0 }) {
        if let cluster = clusterOfNode[key] { return cluster }
      }
      return nil
    }
  }

  // Explicit so `currency`, `period_start` and `period_end` are null, never missing.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(rows, forKey: .rows)
    try container.encode(currency, forKey: .currency)
    try container.encode(billedCost, forKey: .billedCost)
    try container.encode(effectiveCost, forKey: .effectiveCost)
    try container.encode(listCost, forKey: .listCost)
    try container.encode(periodStart, forKey: .periodStart)
    try container.encode(periodEnd, forKey: .periodEnd)
    try container.encode(byService, forKey: .byService)
    try container.encode(byCluster, forKey: .byCluster)
    try container.encode(managedAI, forKey: .managedAI)
  }
}
