import Foundation

/// `nvidia-smi --query-gpu=… --format=csv[,noheader][,nounits]`: one row per GPU, fields
/// separated by `, ` and never quoted. Units are per field, in the header (`memory.used [MiB]`)
/// and after each value (`19818 MiB`) unless `nounits`; `[N/A]`, `[Not Supported]` and the like
/// mean unknown. Fields are found by name, so any selection and order works; the ones factop
/// needs are read, the rest ignored.
public enum NvidiaSMIQuery {
  /// The rows of a query's output; `header` is needed when the output has none (`noheader`).
  public static func parse(_ text: String, source: String, header: [String]? = nil)
    throws(InputError) -> [NvidiaSMIGPU]
  {
    var lines = text.scalarLines
      .filter { !$0.unicodeScalars.allSatisfy(\.isSpace) }
    var firstDataLine = 1
    let fields: [String]
    if let header {
      fields = header
    } else {
      guard !lines.isEmpty else { throw InputError(source: source, message: "empty output") }
      fields = Self.fields(lines.removeFirst())
      firstDataLine = 2
    }
    let names = fields.map { $0.split(separator: " [").first.map(String.init) ?? $0 }
    guard let uuidColumn = names.firstIndex(of: "uuid") else {
      throw InputError(
        source: source, line: 1, column: "uuid",
        message: "the query must include uuid (GPUs are keyed by it)")
    }
    return try lines.enumerated().map { offset, line throws(InputError) in
      let values = Self.fields(line)
      let lineNumber = offset + firstDataLine
      guard values.count == names.count else {
        throw InputError(
          source: source, line: lineNumber,
          message:
            "\(values.count) fields for \(names.count) columns (free text with \", \" in it?)")
      }
      func value(_ name: String...) -> String? {
        for candidate in name {
          if let i = names.firstIndex(of: candidate), let v = Self.known(values[i]) { return v }
        }
        return nil
      }
      func number(_ name: String...) -> Double? {
        for candidate in name {
          if let text = value(candidate), let n = Self.number(text) { return n }
        }
        return nil
      }
      return NvidiaSMIGPU(
        uuid: values[uuidColumn], index: Count.whole(number("index")),
        pciBusID: value("pci.bus_id"), name: value("name"),
        memoryTotalMiB: number("memory.total"), memoryUsedMiB: number("memory.used"),
        utilizationPct: number("utilization.gpu"),
        powerW: number("power.draw", "power.draw.instant", "power.draw.average"),
        powerLimitW: number("power.limit", "enforced.power.limit"),
        temperatureC: number("temperature.gpu"),
        smClockMHz: number("clocks.current.sm", "clocks.sm"),
        memoryClockMHz: number("clocks.current.memory", "clocks.mem"),
        migEnabled: value("mig.mode.current").map { $0 == "Enabled" },
        eccUncorrected: Count.whole(number("ecc.errors.uncorrected.volatile.total")))
    }
  }

  /// `nvidia-smi --query-compute-apps=gpu_uuid,pid,used_gpu_memory,process_name --format=csv`
  /// (any selection and order with a header): the processes holding each GPU. A process name
  /// with `, ` in it is put back together when it is the last column.
  public static func computeApps(_ text: String, source: String) throws(InputError)
    -> [NvidiaSMIProcess]
  {
    var lines = text.scalarLines
      .filter { !$0.unicodeScalars.allSatisfy(\.isSpace) }
    guard !lines.isEmpty else { return [] }
    let names = fields(lines.removeFirst()).map {
      $0.split(separator: " [").first.map(String.init) ?? $0
    }
    guard let uuidColumn = names.firstIndex(of: "gpu_uuid"),
      let pidColumn = names.firstIndex(of: "pid")
    else {
      throw InputError(
        source: source, line: 1, message: "the query must include gpu_uuid and pid")
    }
    return try lines.enumerated().map { offset, line throws(InputError) in
      var values = fields(line)
      if values.count > names.count, names.last == "process_name" {
        let name = values[(names.count - 1)...].joined(separator: ", ")
        values = Array(values[..<(names.count - 1)]) + [name]
      }
      guard values.count == names.count, let pid = Int(values[pidColumn]) else {
        throw InputError(
          source: source, line: offset + 2,
          message: "expected \(names.count) fields with a numeric pid, found \(values.count)")
      }
      func value(_ name: String) -> String? {
        names.firstIndex(of: name).flatMap { known(values[$0]) }
      }
      return NvidiaSMIProcess(
        gpuUUID: values[uuidColumn], pid: pid, name: value("process_name") ?? "",
        usedMemoryMiB: (value("used_gpu_memory") ?? value("used_memory")).flatMap(number))
    }
  }

  /// The sections of a capture file (a line of `#`s, `# <phase> :: <name>`, `# $ <command>`,
  /// then the output), by name: `idle :: query-gpu (csv, what the exporter parses)` and so on.
  public static func captureSections(_ text: String) -> [(name: String, body: String)] {
    var sections: [(String, [Substring])] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("# "), line.contains(" :: ") {
        sections.append((String(line.dropFirst(2)), []))
      } else if !line.hasPrefix("#"), !sections.isEmpty {
        sections[sections.count - 1].1.append(line)
      }
    }
    return sections.map { ($0.0, $0.1.joined(separator: "\n")) }
  }

  static func fields(_ line: String) -> [String] {
    line.components(separatedBy: ", ").map { $0.trimmingSpaces() }
  }

  /// nil for nvidia-smi's ways of saying "no value": `[N/A]`, `[Not Supported]`, `N/A`,
  /// `[Requested functionality has been deprecated]`, …
  static func known(_ value: String) -> String? {
    value.isEmpty || value.hasPrefix("[") || value == "N/A" ? nil : value
  }

  /// `19818 MiB`, `631.95 W`, `100 %`, `59` → the number; anything else nil.
  static func number(_ value: String) -> Double? {
    guard let first = value.split(separator: " ").first, let number = Double(first),
      number.isFinite
    else { return nil }
    return number
  }
}
