/// The Prometheus text exposition format, read: one sample a line,
/// `name{label="value",…} value [timestamp]`, `#` lines are comments. What node exporter and
/// dcgm-exporter serve; a line that does not parse is skipped (exporters add what they like).
///
/// Read as UTF-8 bytes, as the format is specified: a scrape is tens of kilobytes per node, and
/// reading it a `Character` at a time cost grapheme breaking on every byte (and a combining mark
/// after a quote would have joined it into one character that is no quote).
public enum PrometheusText {
  public struct Sample: Sendable, Equatable {
    public let name: String
    public let labels: [String: String]
    public let value: Double

    public init(name: String, labels: [String: String], value: Double) {
      self.name = name
      self.labels = labels
      self.value = value
    }
  }

  public static func samples(_ text: String, named names: Set<String>) -> [Sample] {
    samples(text) { names.contains($0) }
  }

  /// The samples whose metric name `include` accepts.
  public static func samples(_ text: String, where include: (String) -> Bool) -> [Sample] {
    var text = text
    return text.withUTF8 { bytes in
      bytes.split(separator: Byte.newline).compactMap { sample($0, where: include) }
    }
  }

  typealias Line = Slice<UnsafeBufferPointer<UInt8>>

  static func sample(_ line: Line, where include: (String) -> Bool) -> Sample? {
    var rest = line.drop(while: Byte.isBlank)
    guard let first = rest.first, first != Byte.hash else { return nil }
    let nameEnd = rest.firstIndex { $0 == Byte.openBrace || Byte.isBlank($0) } ?? rest.endIndex
    let name = String(decoding: rest[..<nameEnd], as: UTF8.self)
    guard include(name) else { return nil }
    rest = rest[nameEnd...]
    var labels: [String: String] = [:]
    if rest.first == Byte.openBrace {
      rest = rest.dropFirst()
      while true {
        rest = rest.drop { Byte.isBlank($0) || $0 == Byte.comma }
        guard let next = rest.first else { return nil }
        if next == Byte.closeBrace {
          rest = rest.dropFirst()
          break
        }
        guard let equals = rest.firstIndex(of: Byte.equals) else { return nil }
        let key = rest[..<equals].reversed().drop(while: Byte.isBlank).reversed()
        rest = rest[(equals + 1)...].drop(while: Byte.isBlank)
        guard !key.isEmpty, rest.popFirst() == Byte.quote, let value = labelValue(&rest) else {
          return nil
        }
        labels[String(decoding: key, as: UTF8.self)] = value
      }
    }
    guard let field = rest.split(whereSeparator: Byte.isBlank).first,
      let value = Double(String(decoding: field, as: UTF8.self))
    else { return nil }
    return Sample(name: name, labels: labels, value: value)
  }

  /// A label value after its opening quote, through its closing one: `\\`, `\"` and `\n` are
  /// the escapes; nil when the line ends first.
  static func labelValue(_ rest: inout Line) -> String? {
    var value: [UInt8] = []
    while let byte = rest.popFirst() {
      switch byte {
      case Byte.quote: return String(decoding: value, as: UTF8.self)
      case Byte.backslash:
        guard let escaped = rest.popFirst() else { return nil }
        value.append(escaped == UInt8(ascii: "n") ? Byte.newline : escaped)
      default: value.append(byte)
      }
    }
    return nil
  }

  enum Byte {
    static let newline = UInt8(ascii: "\n")
    static let hash = UInt8(ascii: "#")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let comma = UInt8(ascii: ",")
    static let equals = UInt8(ascii: "=")
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")

    /// Blanks separate tokens; a carriage return is a blank too, for exporters that end lines
    /// with CR LF.
    static func isBlank(_ byte: UInt8) -> Bool {
      byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }
  }
}
