import CLibXML2
import Foundation

/// `nvidia-smi -q -x`: `<nvidia_smi_log>` with one `<gpu>` per GPU (count the elements; the
/// `attached_gpus` count can disagree). Element names moved between DTD versions — GPU power is
/// `power_readings/power_draw` (v10–v11), `gpu_power_readings/power_draw` (v12), then
/// `gpu_power_readings/instant_power_draw` (v13) — so each value is looked for under every name
/// it has had. Values carry units (`67.03 W`, `27 C`); `N/A` and `Requested functionality has
/// been deprecated` mean unknown. The external DTD is never fetched.
public enum NvidiaSMIXML {
  public static func parse(_ data: Data, source: String) throws(InputError) -> [NvidiaSMIGPU] {
    // nvidia-smi writes UTF-8 (ASCII in practice): anything else is refused in words.
    guard String(data: data, encoding: .utf8) != nil else {
      throw InputError(source: source, message: "not XML: not valid UTF-8")
    }
    let reader = try GPUElements(data, source: source)
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
        // nvidia-smi lists GPUs in NVML index order; `minor_number` is the device file's.
        uuid: uuid, index: i, minorNumber: Count.whole(number("minor_number")),
        pciBusID: text("pci/pci_bus_id"), name: text("product_name"),
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

extension NvidiaSMIXML {
  /// libxml2's error codes (`xmlParserErrors`) for what broken nvidia-smi output most often
  /// is, in words; the rest by number.
  static func describe(code: Int32) -> String {
    let words: [Int32: String] = [
      4: "the document is empty",
      5: "content after the document's last element",
      9: "a character XML does not allow",
      26: "an entity (&name;) that is not defined",
      73: "a tag that is not closed with >",
      76: "a closing tag that does not match the element it closes",
    ]
    return words[code] ?? "XML parser error \(code)"
  }
}

/// Collects, for each `/nvidia_smi_log/gpu`, the text of every element below it by its path
/// from the GPU (`fb_memory_usage/total`); the first occurrence of a path wins. It reads with
/// libxml2's streaming reader directly: Foundation's XMLParser over the same library crashed on
/// a null pointer for some markup (a processing instruction with no data; notation and
/// attribute-list declarations), reported success for some broken documents, and leaked up to
/// half a kilobyte on every document it refused (all found by fuzzing).
private struct GPUElements {
  private(set) var root: String?
  private(set) var gpus: [[String: String]] = []
  private var path: [String] = []
  private var text = ""

  /// libxml2 asks to be set up once before threads use it.
  private static let libxml2: Void = xmlInitParser()

  init(_ data: Data, source: String) throws(InputError) {
    Self.libxml2
    factop_libxml2_silence_generic_errors()
    // libxml2 reads the bytes where they lie, so the whole reading happens inside
    // `withUnsafeBytes`: a small Data keeps its bytes inline, and the pointer it lends is to a
    // copy that is gone once the closure returns.
    try data.withUnsafeBytes { bytes in
      Result { () throws(InputError) in try readDocument(bytes, source: source) }
    }.get()
  }

  private mutating func readDocument(_ bytes: UnsafeRawBufferPointer, source: String)
    throws(InputError)
  {
    let firstError = FirstError()
    // No network, no DTD loaded, entities left unexpanded: nvidia-smi's DTD is never fetched.
    // The text is known to be UTF-8, whatever encoding it declares.
    let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue)
    let reader = xmlReaderForMemory(
      bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(clamping: bytes.count), nil,
      "UTF-8", options)
    guard let reader else { throw InputError(source: source, message: "not XML: unreadable") }
    defer { xmlFreeTextReader(reader) }
    xmlTextReaderSetStructuredErrorHandler(
      reader,
      { context, error in
        guard let context, let error else { return }
        Unmanaged<FirstError>.fromOpaque(context).takeUnretainedValue().note(error.pointee)
      }, Unmanaged.passUnretained(firstError).toOpaque())

    var status = xmlTextReaderRead(reader)
    while status == 1, firstError.code == nil {
      read(reader)
      status = xmlTextReaderRead(reader)
    }
    if status != 0 || firstError.code != nil {
      let code = firstError.code ?? 0
      // libxml2 says "premature end of data" (77) or "extra content" (5) of a cut-off document.
      let reason =
        if let open = path.last, [0, 5, 77].contains(code) {
          "the document ends inside <\(open)>"
        } else {
          NvidiaSMIXML.describe(code: code)
        }
      throw InputError(source: source, line: firstError.line, message: "not XML: \(reason)")
    }
  }

  private mutating func read(_ reader: xmlTextReaderPtr) {
    switch xmlTextReaderNodeType(reader) {
    case Int32(XML_READER_TYPE_ELEMENT.rawValue):
      let name = xmlTextReaderConstName(reader).map { String(cString: $0) } ?? ""
      if path.isEmpty, root == nil { root = name }
      path.append(name)
      text = ""
      if path == ["nvidia_smi_log", "gpu"] { gpus.append([:]) }
      // `<x/>` gets no closing node of its own.
      if xmlTextReaderIsEmptyElement(reader) == 1 { close() }
    case Int32(XML_READER_TYPE_TEXT.rawValue),
      Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue):
      text += xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""
    case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
      close()
    default:
      break
    }
  }

  private mutating func close() {
    if path.count > 2, path[0] == "nvidia_smi_log", path[1] == "gpu", !gpus.isEmpty {
      let key = path.dropFirst(2).joined(separator: "/")
      if gpus[gpus.count - 1][key] == nil { gpus[gpus.count - 1][key] = text }
    }
    path.removeLast()
    text = ""
  }
}

/// The first error (not warning) libxml2 reports while reading, and its line.
private final class FirstError {
  private(set) var code: Int32?
  private(set) var line: Int?

  func note(_ error: xmlError) {
    guard code == nil, error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    code = error.code
    line = error.line > 0 ? Int(error.line) : nil
  }
}
