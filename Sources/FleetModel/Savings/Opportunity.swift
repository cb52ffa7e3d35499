/// One thing that would save money, with the numbers and the rule behind it.
public struct Opportunity: Sendable, Hashable, Encodable {
  public enum Kind: String, Sendable, Hashable, Encodable, CaseIterable {
    case idleAllocation = "idle_allocation"
    case strandedCapacity = "stranded_capacity"
    case overprovisionedInference = "overprovisioned_inference"
    case powerCap = "power_cap"
    case pricingMix = "pricing_mix"
    case straggler
    case lemonNode = "lemon_node"
    case failureWaste = "failure_waste"
    case drainedCapacity = "drained_capacity"
    case undeclaredCapacity = "undeclared_capacity"
    case declaredNotRunning = "declared_not_running"
    case managedEndpoint = "managed_endpoint"
  }

  /// A fact the opportunity rests on: a job, node, GPU, series or number, and what was seen.
  public struct Evidence: Sendable, Hashable, Encodable {
    public let type: String
    public let id: String?
    public let detail: String

    public init(type: String, id: String?, detail: String) {
      self.type = type
      self.id = id
      self.detail = detail
    }

    enum CodingKeys: String, CodingKey { case type, id, detail }

    public func encode(to encoder: any Encoder) throws {
      // `id` is null, not missing, when the evidence is a plain number.
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(type, forKey: .type)
      try container.encode(id, forKey: .id)
      try container.encode(detail, forKey: .detail)
    }
  }

  public let kind: Kind
  public let title: String
  /// What it concerns: `job train-a/1234`, `node gpu-a0080`, `cluster infer-k8s`.
  public let scope: String
  /// Who would act on it, where the detector knows: a job's team. The savings ledger tells
  /// waste that moved from waste that stopped by it.
  public let owner: String?
  public let usdPerMonth: Double
  /// Share of the fleet's monthly spend (0…100), filled in by the finder.
  public var pctOfSpend: Double
  /// How sure the finder is (0…1): lower when the history behind it is short.
  public let confidence: Double
  public let rule: String
  public let evidence: [Evidence]
  public let action: String

  public init(
    kind: Kind, title: String, scope: String, owner: String? = nil, usdPerMonth: Double,
    confidence: Double, rule: String, evidence: [Evidence], action: String
  ) {
    self.kind = kind
    self.title = title
    self.scope = scope
    self.owner = owner
    self.usdPerMonth = usdPerMonth
    self.pctOfSpend = 0
    self.confidence = confidence
    self.rule = rule
    self.evidence = evidence
    self.action = action
  }

  enum CodingKeys: String, CodingKey {
    case kind, title, scope, owner, confidence, rule, evidence, action
    case usdPerMonth = "usd_per_month"
    case pctOfSpend = "pct_of_spend"
  }

  public func encode(to encoder: any Encoder) throws {
    // `owner` is null, not missing, where the detector names none.
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(kind, forKey: .kind)
    try container.encode(title, forKey: .title)
    try container.encode(scope, forKey: .scope)
    try container.encode(owner, forKey: .owner)
    try container.encode(usdPerMonth, forKey: .usdPerMonth)
    try container.encode(pctOfSpend, forKey: .pctOfSpend)
    try container.encode(confidence, forKey: .confidence)
    try container.encode(rule, forKey: .rule)
    try container.encode(evidence, forKey: .evidence)
    try container.encode(action, forKey: .action)
  }
}
