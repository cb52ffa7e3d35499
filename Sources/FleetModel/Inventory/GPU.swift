/// One physical GPU (or a whole MIG-capable board) in a node.
public struct GPU: Sendable, Hashable, Codable {
  /// The UUID telemetry reports (`GPU-6c57…`); nil for a GPU a scheduler counts but no
  /// telemetry has named yet.
  public let uuid: String?
  public let node: NodeID
  /// The NVML index for GPUs telemetry reports; a scheduler's device index (Slurm's GRES `IDX`)
  /// for GPUs only a scheduler counts.
  public let index: Int
  public let model: GPUModel
  /// The PCI bus id (`00000000:1B:00.0`): the one name of a GPU that every source spells the same.
  public let pciBusID: String?
  /// The `/dev/nvidiaN` number (`nvidia-smi -q -x`'s `minor_number`, DCGM's `device` label):
  /// the order of the device files Slurm's gres.conf lists, which need not be the NVML order.
  public let minorNumber: Int?

  public init(
    uuid: String?, node: NodeID, index: Int, model: GPUModel, pciBusID: String? = nil,
    minorNumber: Int? = nil
  ) {
    self.uuid = uuid
    self.node = node
    self.index = index
    self.model = model
    self.pciBusID = pciBusID
    self.minorNumber = minorNumber
  }

  public var id: GPUID { GPUID(node: node, index: index) }

  /// A scheduler's stand-in for a GPU it counts (Slurm GRES, Kubernetes capacity) until
  /// telemetry on the same node names it.
  public static func placeholder(node: NodeID, index: Int, model: GPUModel) -> GPU {
    GPU(uuid: nil, node: node, index: index, model: model)
  }

  public var isPlaceholder: Bool { uuid == nil }

  /// The index a scheduler's device index refers to: the device file's number where telemetry
  /// gives it, else the NVML index (the two agree unless the host's minor numbers are not in
  /// PCI order).
  public var deviceFileIndex: Int { minorNumber ?? index }
}
