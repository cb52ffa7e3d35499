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
  // AMD's published board power and memory; idle at the catalogue's usual ~12 % of it.
  public static let mi100 = GPUModel(
    name: "MI100-32GB", vendor: "AMD", tdpW: 300, idleW: 36, memoryMiB: 32_768)
  public static let mi250x = GPUModel(
    name: "MI250X-128GB", vendor: "AMD", tdpW: 560, idleW: 67, memoryMiB: 131_072)
  public static let mi325x = GPUModel(
    name: "MI325X-256GB", vendor: "AMD", tdpW: 1_000, idleW: 120, memoryMiB: 262_144)

  /// Every model factop knows by name; feeds map vendor strings onto these.
  public static let catalog: [GPUModel] = [
    a100SXM, h100SXM, h200, b200, l40s, mi100, mi250x, mi300x, mi325x,
  ]

  /// The catalog entry with this exact name, if any.
  public static func named(_ name: String) -> GPUModel? {
    catalog.first { $0.name == name }
  }
}

extension GPUModel {
  /// A model as a source names it (nvidia-smi's `NVIDIA H100 80GB HBM3`, Slurm's `h100`, GPU
  /// feature discovery's `NVIDIA-H100-80GB-HBM3`). The name stays as reported; the power envelope
  /// and memory come from the catalog entry of the same family, or, for a family factop does not
  /// know, from what the source says (its power limit and memory), else they are 0.
  public static func reported(_ name: String, powerLimitW: Double? = nil, memoryMiB: Int? = nil)
    -> GPUModel
  {
    if let family = family(of: name) {
      return GPUModel(
        name: name, vendor: family.vendor, tdpW: family.tdpW, idleW: family.idleW,
        memoryMiB: memoryMiB ?? family.memoryMiB)
    }
    let upper = name.uppercased()
    let nvidia = ["NVIDIA", "TESLA", "GEFORCE", "QUADRO", "RTX"].contains { upper.contains($0) }
    let tdp = powerLimitW ?? 0
    return GPUModel(
      name: name,
      vendor: nvidia
        ? "NVIDIA"
        : (["AMD", "INSTINCT", "RADEON"].contains { upper.contains($0) } ? "AMD" : "unknown"),
      tdpW: tdp, idleW: tdp * 0.12, memoryMiB: memoryMiB ?? 0)
  }

  /// The catalog entry whose family (`H100`, `A100`, `MI300X`…) the name carries as a word.
  public static func family(of name: String) -> GPUModel? {
    if let exact = named(name) { return exact }
    let words = Set(
      name.uppercased().split { !$0.isLetter && !$0.isNumber }.map(String.init))
    return familyWords.first { words.contains($0.word) }?.model
  }

  private static let familyWords: [(word: String, model: GPUModel)] = [
    ("H100", h100SXM), ("H200", h200), ("A100", a100SXM), ("B200", b200), ("L40S", l40s),
    ("MI100", mi100), ("MI250X", mi250x), ("MI300X", mi300x), ("MI325X", mi325x),
  ]
}
