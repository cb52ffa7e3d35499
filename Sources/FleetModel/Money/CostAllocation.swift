import Foundation

/// What one team or one job cost in one hour, as factop computes it from its price book.
public struct CostAllocation: Sendable, Hashable {
  public enum Scope: String, Sendable, Hashable { case team, job }

  public let scope: Scope
  /// The team's name, or the job as `CLUSTER/ID`.
  public let name: String
  /// The team, for a job when it is still known.
  public let team: String?
  public let cluster: String?
  public let hourStart: Date
  public let usd: Double

  public init(
    scope: Scope, name: String, team: String?, cluster: String?, hourStart: Date, usd: Double
  ) {
    self.scope = scope
    self.name = name
    self.team = team
    self.cluster = cluster
    self.hourStart = hourStart
    self.usd = usd
  }
}
