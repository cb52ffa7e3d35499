import Foundation

/// A power meter's reading: a BMC for a node, a PDU for a rack. Meters are separate from the
/// sources that own the inventory: a Redfish BMC reports for a node that Slurm lists.
public struct MeterReading: Sendable, Hashable, Codable {
  public enum Scope: String, Sendable, Hashable, Codable {
    /// A node's BMC: the node's whole draw.
    case node
    /// A rack PDU's mains: everything in the rack.
    case rack
    /// One outlet of a rack PDU (target `CLUSTER/RACK#OUTLET`).
    case outlet
  }

  public var scope: Scope
  /// The node (`NODE`, or `CLUSTER/NODE` where clusters share node names), or the rack as
  /// `CLUSTER/RACK`.
  public var target: String
  public var watts: Double
  /// Which resource answered (`EnvironmentMetrics.PowerWatts`, `Power.PowerControl`…): sources
  /// disagree, so a series never mixes them.
  public var via: String
  public var time: Date

  /// A node's reading taken at its PDU outlet: the node's whole draw at the wall, used where
  /// no BMC reports the node.
  public static let outletVia = "PowerDistribution.Outlet"

  public init(scope: Scope, target: String, watts: Double, via: String, time: Date) {
    self.scope = scope
    self.target = target
    self.watts = watts
    self.via = via
    self.time = time
  }
}

extension FleetState {
  /// Makes each node's meter reading its power: a meter measures the whole node, where a
  /// feed's own node power may be its GPUs' sum. A BMC's reading wins over an outlet's, and
  /// the newest over older ones. A meter names its node `NODE` or, where clusters share node
  /// names, `CLUSTER/NODE`; a name several clusters use, or none, is reported, not guessed.
  mutating func applyNodeMeters() {
    func rank(_ meter: MeterReading) -> Int { meter.via == MeterReading.outletVia ? 0 : 1 }
    let ordered = meters.filter { $0.scope == .node }.sorted {
      (rank($0), $0.time) < (rank($1), $1.time)
    }
    guard !ordered.isEmpty else { return }
    let names = NodeNames(nodes)
    var reported: Set<String> = []
    for meter in ordered {
      let matches = names.matches(meter.target)
      guard let node = matches.first, matches.count == 1 else {
        if reported.insert(meter.target).inserted {
          joinFindings.append(
            matches.isEmpty
              ? .unmatchedMeter(target: meter.target)
              : .ambiguousMeter(target: meter.target, clusters: matches.map(\.cluster)))
        }
        continue
      }
      nodeSamples[node] = NodeSample(time: meter.time, powerW: meter.watts)
    }
  }
}
