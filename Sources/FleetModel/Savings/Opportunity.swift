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
  public let usdPerMonth: Double
  /// Share of the fleet's monthly spend (0…100), filled in by the finder.
  public var pctOfSpend: Double
  /// How sure the finder is (0…1): lower when the history behind it is short.
  public let confidence: Double
  public let rule: String
  public let evidence: [Evidence]
  public let action: String

  public init(
    kind: Kind, title: String, scope: String, usdPerMonth: Double, confidence: Double,
    rule: String, evidence: [Evidence], action: String
  ) {
    self.kind = kind
    self.title = title
    self.scope = scope
    self.usdPerMonth = usdPerMonth
    self.pctOfSpend = 0
    self.confidence = confidence
    self.rule = rule
    self.evidence = evidence
    self.action = action
  }

  enum CodingKeys: String, CodingKey {
    case kind, title, scope, confidence, rule, evidence, action
    case usdPerMonth = "usd_per_month"
    case pctOfSpend = "pct_of_spend"
  }
}
