import FleetModel
import Foundation

/// A node as Slurm reports it, in factop's vocabulary.
public struct SlurmNode: Sendable, Hashable {
  public var name: String
  public var state: NodeState
  /// Why, as the operator or Slurm wrote it (`XID 79 on GPU 3`); nil when none.
  public var reason: String?
  public var reasonSince: Date?
  /// The node's GPUs (`gres`), typed when the site types them.
  public var gpus: [GresItem]
  /// The GPUs in use (`gres_used`), with their device indices.
  public var gpusUsed: [GresItem]
  public var partitions: [String]

  /// Unknown (nil) when a GPU item's count is.
  public var gpuCount: Int? { Count.sum(gpus.filter { $0.name == "gpu" }.map(\.count)) }
}

/// Node states, from JSON words (`IDLE`, `["IDLE","DRAIN"]`, 22.05's `idle` + `state_flags`) or
/// sinfo's `%T` (`drained`, `mixed*`, `idle~`).
public enum SlurmNodeState {
  /// The base state and the flags together. DRAIN on a node still running work is draining,
  /// on an idle one drained; DOWN wins over everything, and a node whose slurmd stopped
  /// answering (NOT_RESPONDING, sinfo's `*`) is down too: Slurm places nothing on it, and it
  /// is the first sign of a lost node, minutes before Slurm itself sets it DOWN.
  public static func map(_ words: [String]) -> NodeState {
    let words = Set(words.map { $0.uppercased() })
    if words.contains("DOWN") || words.contains("INVAL") || words.contains("INVALID")
      || words.contains(notResponding)
    {
      return .down
    }
    // COMPLETING is a flag on a base state (`IDLE+COMPLETING` is an idle node running an
    // epilog); alone, as sinfo prints it, the node still holds the job.
    let completing = words.contains("COMPLETING") && !words.contains("IDLE")
    let busy =
      words.contains("MIXED") || words.contains("ALLOCATED") || words.contains("ALLOC")
      || words.contains("MIX") || completing
    if words.contains("DRAIN") || words.contains("FAIL") {
      return busy ? .draining : .drained
    }
    if words.contains("DRAINED") { return .drained }
    if words.contains("DRAINING") || words.contains("FAILING") { return .draining }
    if words.contains("MIXED") || words.contains("MIX") { return .mixed }
    if words.contains("ALLOCATED") || words.contains("ALLOC") || completing {
      return .allocated
    }
    if words.contains("IDLE") || words.contains("PLANNED") { return .idle }
    return .unknown
  }

  /// sinfo `%T` or one word of scontrol's `State=` in the JSON's words (`mixed*` is
  /// `["mixed", "NOT_RESPONDING"]`): a long state name with an optional suffix (`*` not
  /// responding, `~` powered off, `#` powering up, `!` powering down, `%` powering off,
  /// `$` maintenance, `@` reboot, `^` rebooting, `-` planned, `+` in several states).
  public static func words(text word: String) -> [String] {
    let base = word.trimmingCharacters(in: CharacterSet(charactersIn: "*~#!%$@^-+ "))
    return word.contains("*") ? [base, notResponding] : [base]
  }

  /// Why a node is in its state: Slurm's reason, else "not responding" for a node that is not
  /// (Slurm gives that reason only once it sets the node DOWN).
  public static func reason(_ given: String?, words: [String]) -> String? {
    if let given, !given.isEmpty { return given }
    return words.contains { $0.uppercased() == notResponding } ? "not responding" : nil
  }

  static let notResponding = "NOT_RESPONDING"
}

/// `sinfo --json` and slurmrestd's `/slurm/v0.0.NN/nodes` in every shape from 21.08 to 25.11:
/// a `nodes[]` list (one entry per node), or 23.02's grouped `sinfo[]` entries.
public enum SlurmNodes {
  public static func parse(_ data: Data, source: String) throws -> [SlurmNode] {
    let answer = try JSONInput.decode(Answer.self, from: data, source: source)
    try answer.errors.check(source: source)
    if let nodes = answer.nodes { return nodes.map(\.node) }
    if let groups = answer.sinfo {
      var hostBudget = Hostlist.bytesPerAnswer
      return merge(groups.flatMap { $0.members(hostBudget: &hostBudget) })
    }
    throw InputError(source: source, message: "neither nodes[] nor sinfo[]: not a Slurm node list")
  }

  /// A node in several partitions appears once per partition in grouped output.
  private static func merge(_ nodes: [SlurmNode]) -> [SlurmNode] {
    var order: [String] = []
    var byName: [String: SlurmNode] = [:]
    for node in nodes {
      if var known = byName[node.name] {
        known.partitions += node.partitions.filter { !known.partitions.contains($0) }
        byName[node.name] = known
      } else {
        order.append(node.name)
        byName[node.name] = node
      }
    }
    return order.map { byName[$0]! }
  }

  struct Answer: Decodable {
    let nodes: [Node]?
    let sinfo: [Group]?
    let errors: [SlurmMessage]?
  }

  struct Node: Decodable {
    let name: String
    let state: SlurmStates?
    let stateFlags: [String]?
    let reason: String?
    let reasonChangedAt: SlurmNumber?
    let gres: String?
    let gresUsed: String?
    let partitions: [String]?

    var node: SlurmNode {
      let words = (state?.words ?? []) + (stateFlags ?? [])
      return SlurmNode(
        name: name, state: SlurmNodeState.map(words),
        reason: SlurmNodeState.reason(reason, words: words), reasonSince: reasonChangedAt?.date,
        gpus: GresItem.parse(gres), gpusUsed: GresItem.parse(gresUsed),
        partitions: partitions ?? [])
    }
  }

  /// 23.02's `sinfo --json`: nodes grouped by partition and state.
  struct Group: Decodable {
    struct Names: Decodable { let nodes: [String]? }
    struct State: Decodable { let state: SlurmStates? }
    struct Gres: Decodable {
      let total: String?
      let used: String?
    }
    struct Reason: Decodable {
      let description: String?
      let time: SlurmNumber?
    }
    struct Partition: Decodable { let name: String? }
    let nodes: Names?
    let node: State?
    let gres: Gres?
    let reason: Reason?
    let partition: Partition?

    func members(hostBudget: inout Int) -> [SlurmNode] {
      (nodes?.nodes ?? []).flatMap { Hostlist.expand($0, budget: &hostBudget) }.map { name in
        SlurmNode(
          name: name, state: SlurmNodeState.map(node?.state?.words ?? []),
          reason: SlurmNodeState.reason(reason?.description, words: node?.state?.words ?? []),
          reasonSince: reason?.time?.date, gpus: GresItem.parse(gres?.total),
          gpusUsed: GresItem.parse(gres?.used), partitions: partition?.name.map { [$0] } ?? [])
      }
    }
  }
}
