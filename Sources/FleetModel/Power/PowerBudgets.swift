/// How much IT power each site, and each rack at a site, may draw: the limits an operator plans
/// against (a colo contract's critical load, a rack's breaker and cooling).
public struct PowerBudgets: Sendable, Hashable {
  /// Watts of IT power each site may draw, by site name.
  public var siteW: [String: Double]
  /// Watts each rack at a site may draw, by site name (one figure for every rack there).
  public var rackW: [String: Double]

  public init(siteW: [String: Double] = [:], rackW: [String: Double] = [:]) {
    self.siteW = siteW
    self.rackW = rackW
  }

  /// These budgets with `other`'s taking precedence, site by site.
  public func overridden(by other: PowerBudgets) -> PowerBudgets {
    PowerBudgets(
      siteW: siteW.merging(other.siteW) { _, new in new },
      rackW: rackW.merging(other.rackW) { _, new in new })
  }
}
