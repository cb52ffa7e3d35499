import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `nvidia-smi -q -x`: `<nvidia_smi_log>` with one `<gpu>` per GPU (count the elements; the
/// `attached_gpus` count can disagree). Element names moved between DTD versions — GPU power is
/// `power_readings/power_draw` (v10–v11), `gpu_power_readings/power_draw` (v12), then
/// `gpu_power_readings/instant_power_draw` (v13) — so each value is looked for under every name
/// it has had. Values carry units (`67.03 W`, `27 C`); `N/A` and `Requested functionality has
/// been deprecated` mean unknown. The external DTD is never fetched.
public enum NvidiaSMIXML {
  public static func parse(_ data: Data, source: String) throws(InputError) -> [NvidiaSMIGPU] {
    // A streaming parse: Foundation's XMLDocument dereferences a null document on some
    // malformed inputs (found by fuzzing), and a feed must refuse bad input, not crash on it.
    // nvidia-smi writes UTF-8 (ASCII in practice); Foundation's parser traps on some names that
    // are not, so anything else is refused before it gets there.
    guard String(data: data, encoding: .utf8) != nil else {
      throw InputError(source: source, message: "not XML: not valid UTF-8")
    }
    let reader = GPUElements()
    let parser = XMLParser(data: data)
    parser.shouldResolveExternalEntities = false
    parser.delegate = reader
    guard parser.parse() else {
      let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "unreadable"
      throw InputError(
        source: source, line: parser.lineNumber > 0 ? parser.lineNumber : nil,
        message: "not XML: \(reason)")
    }
    guard reader.root == "nvidia_smi_log" else {
      throw InputError(source: source, message: "not nvidia-smi -q -x output (no nvidia_smi_log)")
    }
    return try reader.gpus.enumerated().map { i, values throws(InputError) in
      func text(_ paths: String...) -> String? {
        for path in paths {
          if let value = values[path]?.trimmingCharacters(in: .whitespacesAndNewlines),
            value != "N/A", !value.isEmpty, !value.hasPrefix("Requested functionality")
          {
            return value
          }
        }
        return nil
      }
      func number(_ paths: String...) -> Double? {
        for path in paths {
          if let value = text(path), let n = NvidiaSMIQuery.number(value) { return n }
        }
        return nil
      }
      guard let uuid = text("uuid") else {
        throw InputError(source: source, column: "gpu[\(i)]/uuid", message: "missing")
      }
      return NvidiaSMIGPU(
        uuid: uuid, index: NvidiaSMIQuery.count(number("minor_number")), name: text("product_name"),
        memoryTotalMiB: number("fb_memory_usage/total"),
        memoryUsedMiB: number("fb_memory_usage/used"),
        utilizationPct: number("utilization/gpu_util"),
        powerW: number(
          "gpu_power_readings/instant_power_draw", "gpu_power_readings/power_draw",
          "gpu_power_readings/average_power_draw", "power_readings/power_draw"),
        powerLimitW: number(
          "gpu_power_readings/current_power_limit", "power_readings/enforced_power_limit",
          "power_readings/power_limit"),
        temperatureC: number("temperature/gpu_temp"), smClockMHz: number("clocks/sm_clock"),
        memoryClockMHz: number("clocks/mem_clock"),
        migEnabled: text("mig_mode/current_mig").map { $0 == "Enabled" },
        eccUncorrected: nil)
    }
  }
}

/// Collects, for each `/nvidia_smi_log/gpu`, the text of every element below it by its path
/// from the GPU (`fb_memory_usage/total`); the first occurrence of a path wins.
private final class GPUElements: NSObject, XMLParserDelegate {
  var root: String?
  var gpus: [[String: String]] = []
  private var path: [String] = []
  private var text = ""

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    if path.isEmpty { root = name }
    path.append(name)
    text = ""
    if path == ["nvidia_smi_log", "gpu"] { gpus.append([:]) }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    text += string
  }

  func parser(
    _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
  ) {
    if path.count > 2, path[0] == "nvidia_smi_log", path[1] == "gpu", !gpus.isEmpty {
      let key = path.dropFirst(2).joined(separator: "/")
      if gpus[gpus.count - 1][key] == nil { gpus[gpus.count - 1][key] = text }
    }
    path.removeLast()
    text = ""
  }
}
