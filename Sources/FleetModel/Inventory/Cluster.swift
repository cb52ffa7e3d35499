/// The scheduler that hands out a cluster's GPUs; it decides how jobs and node states are read.
public enum SchedulerKind: String, Sendable, Hashable, Codable, CaseIterable {
  case slurm
  case kubernetes
}

/// A set of nodes under one scheduler, billed one way.
public struct Cluster: Sendable, Hashable, Codable {
  public let name: String
  public let scheduler: SchedulerKind
  public let site: String
  /// How this cluster's GPU-hours are paid for; the price book turns it into dollars.
  public var pricing: PricingKind

  public init(name: String, scheduler: SchedulerKind, site: String, pricing: PricingKind) {
    self.name = name
    self.scheduler = scheduler
    self.site = site
    self.pricing = pricing
  }
}
