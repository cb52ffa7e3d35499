/// A machine the organisation declared in infrastructure code (a Terraform or OpenTofu state):
/// a cloud instance whose type tells how many GPUs, and which, it carries.
public struct DeclaredInstance: Sendable, Hashable {
  /// The resource's address in the state (`module.gpu.aws_instance.train[3]`).
  public let address: String
  /// The provider's resource type (`aws_instance`, `google_compute_instance`…).
  public let resourceType: String
  /// The instance type as declared (`p5.48xlarge`, `a3-highgpu-8g`, `Standard_ND96isr_H100_v5`).
  public let instanceType: String
  /// GPUs it carries, from the catalogue or its declared accelerators.
  public let gpus: Int
  /// The GPU's model name in factop's catalogue (`H100 SXM`), nil when the type names none.
  public let gpuModel: String?
  /// The names a node of it may go by: its name or `Name` tag, host name, private DNS name and
  /// the cloud's id (`i-0abc…`).
  public var names: [String]

  public init(
    address: String, resourceType: String, instanceType: String, gpus: Int, gpuModel: String?,
    names: [String]
  ) {
    self.address = address
    self.resourceType = resourceType
    self.instanceType = instanceType
    self.gpus = gpus
    self.gpuModel = gpuModel
    self.names = names
  }
}
