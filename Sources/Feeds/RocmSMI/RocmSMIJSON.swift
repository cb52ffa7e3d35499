import Foundation

/// One AMD GPU as `rocm-smi --json` reports it. Unknown is nil, never 0.
public struct RocmSMIGPU: Sendable, Equatable {
  /// The `N` of `cardN`: the order rocm-smi lists the GPUs, as `HIP_VISIBLE_DEVICES` counts them.
  public var index: Int
  /// `Unique ID` (`0x79ccd55167a2124a`); nil where the driver says `N/A`.
  public var uniqueID: String?
  /// `PCI Bus` (`0000:03:00.0`).
  public var pciBusID: String?
  /// The product as `Card series` names it (`Arcturus GL-XL [Instinct MI100]`).
  public var name: String?
  public var memoryTotalMiB: Double?
  public var memoryUsedMiB: Double?
  public var utilizationPct: Double?
  public var powerW: Double?
  public var powerLimitW: Double?
  /// The junction (hotspot) temperature, else the edge's.
  public var temperatureC: Double?
  /// The shader clock (`sclk`), AMD's counterpart of NVIDIA's SM clock, and the memory clock.
  public var shaderClockMHz: Double?
  public var memoryClockMHz: Double?
}

/// `rocm-smi … --json`: one object per card (`card0`, …) and a `system` object. Every value is a
/// string, units live in the key names (`Average Graphics Package Power (W)`,
/// `VRAM Total Used Memory (B)`), clocks read `(1402Mhz)`, and key names drift between ROCm
/// releases (ROCm 6 reports `Current Socket Graphics Package Power (W)` on newer parts). Pinned by
/// the MI100 captures of ROCm 5.7.1 and 6.0.2 in ../shared/fixtures/amd/.
public enum RocmSMIJSON {
  public static func parse(_ data: Data, source: String) throws(InputError) -> [RocmSMIGPU] {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: data)
    } catch {
      throw InputError(source: source, message: "not valid JSON (\(error.localizedDescription))")
    }
    guard let top = object as? [String: Any] else {
      throw InputError(source: source, message: "at the top level: expected an object of cards")
    }
    var gpus: [RocmSMIGPU] = []
    for (key, value) in top {
      guard key.hasPrefix("card"), let index = Int(key.dropFirst(4)) else { continue }
      guard let card = value as? [String: Any] else {
        throw InputError(source: source, message: "at \(key): expected an object")
      }
      gpus.append(gpu(index: index, card.compactMapValues { $0 as? String }))
    }
    guard !gpus.isEmpty else {
      throw InputError(source: source, message: "no card0, card1… objects: not rocm-smi --json")
    }
    return gpus.sorted { $0.index < $1.index }
  }

  private static func gpu(index: Int, _ card: [String: String]) -> RocmSMIGPU {
    /// The first of `keys` the card carries, unless it says it does not know.
    func text(_ keys: String...) -> String? {
      for key in keys {
        if let value = card[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty,
          !["N/A", "n/a", "unknown"].contains(value)
        {
          return value
        }
      }
      return nil
    }
    /// A number, with whatever rocm-smi wraps it in (`(1402Mhz)`, `53.0`) left out.
    func number(_ keys: String...) -> Double? {
      for key in keys {
        guard let value = text(key) else { continue }
        let digits = value.drop { !$0.isNumber }.prefix { $0.isNumber || $0 == "." }
        if let number = Double(digits), number.isFinite { return number }
      }
      return nil
    }
    let mib = 1_048_576.0
    return RocmSMIGPU(
      index: index, uniqueID: text("Unique ID"), pciBusID: text("PCI Bus"),
      name: text("Card series", "Card model"),
      memoryTotalMiB: number("VRAM Total Memory (B)").map { $0 / mib },
      memoryUsedMiB: number("VRAM Total Used Memory (B)").map { $0 / mib },
      utilizationPct: number("GPU use (%)"),
      powerW: number(
        "Average Graphics Package Power (W)", "Current Socket Graphics Package Power (W)"),
      powerLimitW: number("Max Graphics Package Power (W)"),
      temperatureC: number("Temperature (Sensor junction) (C)", "Temperature (Sensor edge) (C)"),
      shaderClockMHz: number("sclk clock speed:"), memoryClockMHz: number("mclk clock speed:"))
  }
}
