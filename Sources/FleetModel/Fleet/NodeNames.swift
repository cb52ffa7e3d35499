/// The nodes by the names a config gives sources that know no cluster (a BMC, a node
/// exporter): `NODE`, or `CLUSTER/NODE` where clusters share node names.
struct NodeNames {
  private var byName: [String: [NodeID]] = [:]

  init(_ nodes: [Node]) {
    for node in nodes {
      byName[node.name, default: []].append(node.id)
      byName[node.id.description, default: []].append(node.id)
    }
  }

  /// Every node `name` can mean: one is a match, several are ambiguous, none is unknown.
  func matches(_ name: String) -> [NodeID] { byName[name] ?? [] }

  /// The one node `name` means, or nil (none, or several: never a guess).
  func node(_ name: String) -> NodeID? {
    let matches = matches(name)
    return matches.count == 1 ? matches[0] : nil
  }
}
