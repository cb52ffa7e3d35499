/// One physical GPU (or a whole MIG-capable board) in a node.
public struct GPU: Sendable, Hashable, Codable {
  public let uuid: String
  public let node: String
  public let index: Int
  public let model: GPUModel

  public init(uuid: String, node: String, index: Int, model: GPUModel) {
    self.uuid = uuid
    self.node = node
    self.index = index
    self.model = model
  }
}
