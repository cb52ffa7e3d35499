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
    guard let text = String(data: data, encoding: .utf8) else {
      throw InputError(source: source, message: "not XML: not valid UTF-8")
    }
    if let (line, markup) = unsupportedMarkup(text) {
      throw InputError(source: source, line: line, message: "not nvidia-smi XML: \(markup)")
    }
    let reader = GPUElements()
    let parser = XMLParser(data: data)
    parser.shouldResolveExternalEntities = false
    parser.delegate = reader
    // Foundation's parser on Linux can report success for a document with mismatched or
    // unclosed elements: the errors it saw along the way, and the elements left open, count.
    let parsed = parser.parse()
    if !parsed || reader.error != nil || !reader.isClosed {
      let error = reader.error ?? parser.parserError
      let code = error.map { ($0 as NSError).code }
      // libxml2 says "extra content" (5) of a document cut off inside an element.
      let reason =
        if let open = reader.openElement, code == nil || code == 5 || code == 77 {
          "the document ends inside <\(open)>"
        } else {
          error.map(Self.describe) ?? "unreadable"
        }
      let line = reader.errorLine ?? parser.lineNumber
      throw InputError(source: source, line: line > 0 ? line : nil, message: "not XML: \(reason)")
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

extension NvidiaSMIXML {
  /// Foundation's parser errors say only "NSXMLParserErrorDomain error 76": the common ones in
  /// words. The code is libxml2's (`xmlParserErrors`); Foundation's enum on Linux numbers
  /// them differently, so it is no help here.
  /// Foundation's parser crashes on a null pointer in its callbacks for a processing
  /// instruction with no data and for notation, attribute-list and unparsed-entity declarations
  /// (found by fuzzing). nvidia-smi writes none of these: an XML declaration, an external DTD,
  /// elements. So a `<?` other than the leading declaration, and a `<!` other than the DOCTYPE,
  /// a comment or CDATA, is refused before the parser sees it: where it is, and what.
  static func unsupportedMarkup(_ text: String) -> (line: Int, markup: String)? {
    let body =
      text.prefixMatch(of: /\u{FEFF}?<\?xml\s+version[^>]*\?>/).map { text[$0.range.upperBound...] }
      ?? text[...]
    for found in body.ranges(of: /<[?!]/) {
      let rest = body[found.lowerBound...]
      if ["<!DOCTYPE", "<!--", "<![CDATA["].contains(where: rest.hasPrefix) { continue }
      let line = text[..<found.lowerBound].count(where: \.isNewline) + 1
      let what = rest.hasPrefix("<?") ? "a processing instruction" : "a DTD declaration"
      let name = rest.dropFirst(2).prefix { $0.isLetter || $0 == "-" }.prefix(20)
      return (line, "\(what), \(rest.prefix(2))\(name)")
    }
    return nil
  }

  static func describe(_ error: any Error) -> String {
    let code = (error as NSError).code
    let words = [
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
/// from the GPU (`fb_memory_usage/total`); the first occurrence of a path wins.
private final class GPUElements: NSObject, XMLParserDelegate {
  var root: String?
  var gpus: [[String: String]] = []
  /// The first error the parser reported, and its line.
  var error: (any Error)?
  var errorLine: Int?
  private var path: [String] = []
  private var text = ""

  /// Whether every element opened was closed, in order.
  var isClosed: Bool { root != nil && path.isEmpty && !mismatched }
  var openElement: String? { path.last }
  private var mismatched = false

  func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
    if error == nil {
      error = parseError
      errorLine = parser.lineNumber
    }
  }

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
    guard path.last == name else {
      mismatched = true
      return
    }
    path.removeLast()
    text = ""
  }
}
