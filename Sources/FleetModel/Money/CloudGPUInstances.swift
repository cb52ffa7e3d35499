/// How many GPUs, and which, each cloud's GPU instance types carry: what makes a Terraform
/// state's `instance_type` a count of GPUs. From the clouds' public catalogues, dated like the
/// price book; a type not listed here is not counted as GPU capacity.
public enum CloudGPUInstances {
  public struct Entry: Sendable, Hashable {
    public let gpus: Int
    public let model: GPUModel
    public let source: String
  }

  /// When the entries below were read from their sources.
  public static let asOf = "2026-11"

  static let aws = "https://aws.amazon.com/ec2/instance-types/"
  static let gcp = "https://cloud.google.com/compute/docs/gpus"
  static let azure = "https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/"

  /// Instance and machine types (AWS, Google Cloud, Azure VM sizes, matched without case).
  public static let types: [String: Entry] = {
    var types: [String: Entry] = [:]
    func add(_ name: String, _ gpus: Int, _ model: GPUModel, _ source: String) {
      types[name.lowercased()] = Entry(gpus: gpus, model: model, source: source)
    }
    // AWS
    add("p4d.24xlarge", 8, .a100SXM, aws + "p4/")
    add("p4de.24xlarge", 8, .a100SXM, aws + "p4/")
    add("p5.4xlarge", 1, .h100SXM, aws + "p5/")
    add("p5.48xlarge", 8, .h100SXM, aws + "p5/")
    add("p5e.48xlarge", 8, .h200, aws + "p5/")
    add("p5en.48xlarge", 8, .h200, aws + "p5/")
    add("p6-b200.48xlarge", 8, .b200, aws + "p6/")
    for (size, gpus) in [
      ("xlarge", 1), ("2xlarge", 1), ("4xlarge", 1), ("8xlarge", 1), ("16xlarge", 1),
      ("12xlarge", 4), ("24xlarge", 4), ("48xlarge", 8),
    ] {
      add("g6e.\(size)", gpus, .l40s, aws + "g6e/")
    }
    // Google Cloud (machine types with GPUs attached; other types declare `guest_accelerator`)
    for gpus in [1, 2, 4, 8] { add("a2-highgpu-\(gpus)g", gpus, .a100SXM, gcp) }
    add("a2-megagpu-16g", 16, .a100SXM, gcp)
    for gpus in [1, 2, 4, 8] { add("a2-ultragpu-\(gpus)g", gpus, .a100SXM, gcp) }
    for gpus in [1, 2, 4, 8] { add("a3-highgpu-\(gpus)g", gpus, .h100SXM, gcp) }
    add("a3-megagpu-8g", 8, .h100SXM, gcp)
    add("a3-edgegpu-8g", 8, .h100SXM, gcp)
    add("a3-ultragpu-8g", 8, .h200, gcp)
    add("a4-highgpu-8g", 8, .b200, gcp)
    // Azure
    add("Standard_ND96asr_v4", 8, .a100SXM, azure + "nd-family")
    add("Standard_ND96amsr_A100_v4", 8, .a100SXM, azure + "nd-family")
    add("Standard_ND96isr_H100_v5", 8, .h100SXM, azure + "nd-family")
    add("Standard_ND96isr_H200_v5", 8, .h200, azure + "nd-family")
    add("Standard_ND96isr_MI300X_v5", 8, .mi300x, azure + "nd-family")
    return types
  }()

  /// Google Cloud's accelerator types (`guest_accelerator.type`), by the GPU they are.
  public static let accelerators: [String: GPUModel] = [
    "nvidia-tesla-a100": .a100SXM, "nvidia-a100-80gb": .a100SXM, "nvidia-h100-80gb": .h100SXM,
    "nvidia-h100-mega-80gb": .h100SXM, "nvidia-h200-141gb": .h200, "nvidia-b200": .b200,
  ]

  public static func entry(forType type: String) -> Entry? { types[type.lowercased()] }
}
