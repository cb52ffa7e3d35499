import Foundation

/// One InfiniBand port of a node, as node exporter's infiniband collector reads it from sysfs:
/// its state, its speed, its traffic between two scrapes and its error counters. A counter the
/// port does not keep (`N/A (no PMA)`, an absent file) is nil, not 0.
public struct FabricPort: Sendable, Hashable, Codable {
  /// The node as its source names it: `NODE`, or `CLUSTER/NODE` where clusters share node
  /// names (`[[node_exporter]] node`).
  public var node: String
  /// The node it is: the source's own where it knows (the demo), else what the join matched
  /// `node` to; nil while unjoined, or when the name matches no node or several.
  public var nodeID: NodeID?
  /// The host channel adapter (`mlx5_0`) and its port number.
  public var device: String
  public var port: String
  /// The logical state (`4` ACTIVE) and the physical one (`5` LinkUp), as the kernel numbers
  /// them.
  public var stateID: Int?
  public var physicalStateID: Int?
  /// The link's signalling rate, bytes per second (4X QDR: 5e9).
  public var rateBytesPerS: Double?
  /// Data received and sent per second between the last two scrapes; nil after the first.
  public var receivedBytesPerS: Double?
  public var transmittedBytesPerS: Double?
  /// Times the link failed to recover and went down, ever, and since the previous scrape.
  public var linkDownedTotal: Double?
  public var linkDownedNew: Double?
  /// Packets received with errors, symbol errors on the wire, and link error recoveries, ever.
  public var receiveErrorsTotal: Double?
  public var symbolErrorsTotal: Double?
  public var linkErrorRecoveryTotal: Double?
  /// Those three together, per second between the last two scrapes; nil after the first, or
  /// where the port keeps none of them.
  public var errorsPerS: Double?
  public var time: Date

  public init(
    node: String, nodeID: NodeID? = nil, device: String, port: String, stateID: Int? = nil,
    physicalStateID: Int? = nil, rateBytesPerS: Double? = nil, receivedBytesPerS: Double? = nil,
    transmittedBytesPerS: Double? = nil, linkDownedTotal: Double? = nil,
    linkDownedNew: Double? = nil, receiveErrorsTotal: Double? = nil,
    symbolErrorsTotal: Double? = nil, linkErrorRecoveryTotal: Double? = nil,
    errorsPerS: Double? = nil, time: Date
  ) {
    self.node = node
    self.nodeID = nodeID
    self.device = device
    self.port = port
    self.stateID = stateID
    self.physicalStateID = physicalStateID
    self.rateBytesPerS = rateBytesPerS
    self.receivedBytesPerS = receivedBytesPerS
    self.transmittedBytesPerS = transmittedBytesPerS
    self.linkDownedTotal = linkDownedTotal
    self.linkDownedNew = linkDownedNew
    self.receiveErrorsTotal = receiveErrorsTotal
    self.symbolErrorsTotal = symbolErrorsTotal
    self.linkErrorRecoveryTotal = linkErrorRecoveryTotal
    self.errorsPerS = errorsPerS
    self.time = time
  }

  /// The logical state's name (IBA `PortState`).
  public var state: String? {
    stateID.map {
      [1: "DOWN", 2: "INIT", 3: "ARMED", 4: "ACTIVE", 5: "ACTIVE_DEFER"][$0] ?? "state \($0)"
    }
  }

  /// The physical state's name (IBA `PortPhysicalState`).
  public var physicalState: String? {
    physicalStateID.map {
      [
        1: "Sleep", 2: "Polling", 3: "Disabled", 4: "PortConfigurationTraining", 5: "LinkUp",
        6: "LinkErrorRecovery", 7: "PhyTest",
      ][$0] ?? "state \($0)"
    }
  }

  /// The link went down and came back since the previous scrape: a flapping link, which stalls
  /// every collective of every job across it.
  public var isFlapping: Bool { (linkDownedNew ?? 0) > 0 }

  /// Whether errors arrived between the last two scrapes.
  public var isErroring: Bool { (errorsPerS ?? 0) > 0 }

  /// Its error counters summed, where it keeps any.
  public var errorsTotal: Double? {
    let known = [receiveErrorsTotal, symbolErrorsTotal, linkErrorRecoveryTotal].compactMap { $0 }
    return known.isEmpty ? nil : known.reduce(0, +)
  }

  /// `mlx5_0/1`.
  public var name: String { "\(device)/\(port)" }
}

extension FleetState {
  /// Gives each InfiniBand port its node, where its source named it by name only.
  mutating func resolveFabricPorts() {
    guard fabric.contains(where: { $0.nodeID == nil }) else { return }
    let names = NodeNames(nodes)
    for i in fabric.indices where fabric[i].nodeID == nil {
      fabric[i].nodeID = names.node(fabric[i].node)
    }
  }
}
