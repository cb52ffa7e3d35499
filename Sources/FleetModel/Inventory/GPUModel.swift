/// A GPU product as the fleet model needs it: power envelope and memory.
///
/// Idle power is a fraction of TDP measured on real parts (roughly 10–16 %); the model's power
/// physics (`power = idle + (TDP − idle) × activity`) hangs off these two numbers.
public struct GPUModel: Sendable, Hashable, Codable {
  public let name: String
  public let vendor: String
  public let tdpW: Double
  public let idleW: Double
  public let memoryMiB: Int

  public init(name: String, vendor: String, tdpW: Double, idleW: Double, memoryMiB: Int) {
    self.name = name
    self.vendor = vendor
    self.tdpW = tdpW
    self.idleW = idleW
    self.memoryMiB = memoryMiB
  }

  /// Board power at a given activity (0…1), following the linear idle-to-TDP law.
  public func powerW(atActivity activity: Double) -> Double {
    idleW + (tdpW - idleW) * min(max(activity, 0), 1)
  }
}

extension GPUModel {
  public static let a100SXM = GPUModel(
    name: "A100-SXM4-80GB", vendor: "NVIDIA", tdpW: 400, idleW: 56, memoryMiB: 81_920)
  public static let h100SXM = GPUModel(
    name: "H100-SXM5-80GB", vendor: "NVIDIA", tdpW: 700, idleW: 75, memoryMiB: 81_559)
  public static let h200 = GPUModel(
    name: "H200-SXM-141GB", vendor: "NVIDIA", tdpW: 700, idleW: 80, memoryMiB: 143_771)
  public static let b200 = GPUModel(
    name: "B200-SXM-192GB", vendor: "NVIDIA", tdpW: 1_000, idleW: 140, memoryMiB: 183_359)
  public static let l40s = GPUModel(
    name: "L40S-48GB", vendor: "NVIDIA", tdpW: 350, idleW: 36, memoryMiB: 46_068)
  public static let mi300x = GPUModel(
    name: "MI300X-192GB", vendor: "AMD", tdpW: 750, idleW: 110, memoryMiB: 196_608)

  /// Every model factop knows by name; feeds map vendor strings onto these.
  public static let catalog: [GPUModel] = [a100SXM, h100SXM, h200, b200, l40s, mi300x]

  /// The catalog entry with this exact name, if any.
  public static func named(_ name: String) -> GPUModel? {
    catalog.first { $0.name == name }
  }
}
