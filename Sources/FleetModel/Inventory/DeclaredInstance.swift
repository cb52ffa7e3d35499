/// GPU machines the organisation declared in infrastructure code (a Terraform or OpenTofu
/// state): one cloud instance, or a pool of them (a managed node group), whose type tells how
/// many GPUs, and which, each carries.
public struct DeclaredInstance: Sendable, Hashable {
  /// The resource's address in the state (`module.gpu.aws_instance.train[3]`).
  public let address: String
  /// The provider's resource type (`aws_instance`, `google_compute_instance`…).
  public let resourceType: String
  /// The instance type as declared (`p5.48xlarge`, `a3-highgpu-8g`, `Standard_ND96isr_H100_v5`).
  public let instanceType: String
  /// Machines declared: 1 for an instance, a pool's desired size.
  public let machines: Int
  /// GPUs they carry in all, from the catalogue or the declared accelerators.
  public let gpus: Int
  /// The GPU's model name in factop's catalogue (`H100 SXM`), nil when the type names none.
  public let gpuModel: String?
  /// The names a node of it may go by: its name or `Name` tag, host name, private DNS name and
  /// the cloud's id (`i-0abc…`). A pool names no machine: its nodes are matched by count.
  public var names: [String]

  public init(
    address: String, resourceType: String, instanceType: String, machines: Int = 1, gpus: Int,
    gpuModel: String?, names: [String]
  ) {
    self.address = address
    self.resourceType = resourceType
    self.instanceType = instanceType
    self.machines = machines
    self.gpus = gpus
    self.gpuModel = gpuModel
    self.names = names
  }
}
