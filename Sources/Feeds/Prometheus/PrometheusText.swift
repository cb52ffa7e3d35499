/// The Prometheus text exposition format, read: one sample a line,
/// `name{label="value",…} value [timestamp]`, `#` lines are comments. What node exporter and
/// dcgm-exporter serve; a line that does not parse is skipped (exporters add what they like).
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
    text.split(whereSeparator: \.isNewline).compactMap { line in
      guard !line.hasPrefix("#"),
        let name = line.split(separator: "{", maxSplits: 1).first?
          .split(separator: " ", maxSplits: 1).first, include(String(name))
      else { return nil }
      return sample(String(line), name: String(name))
    }
  }

  static func sample(_ line: String, name: String) -> Sample? {
    var rest = Substring(line.dropFirst(name.count))
    var labels: [String: String] = [:]
    if rest.hasPrefix("{") {
      rest = rest.dropFirst()
      while !rest.hasPrefix("}") {
        guard let equals = rest.firstIndex(of: "=") else { return nil }
        let key = rest[..<equals].trimmingCharacters(in: .whitespaces)
        rest = rest[rest.index(after: equals)...]
        guard rest.hasPrefix("\"") else { return nil }
        rest = rest.dropFirst()
        var value = ""
        var escaped = false
        while let character = rest.first {
          rest = rest.dropFirst()
          if escaped {
            value.append(character == "n" ? "\n" : character)
            escaped = false
          } else if character == "\\" {
            escaped = true
          } else if character == "\"" {
            break
          } else {
            value.append(character)
          }
        }
        labels[key] = value
        rest = rest.drop { $0 == "," || $0 == " " }
        guard !rest.isEmpty else { return nil }
      }
      rest = rest.dropFirst()
    }
    let fields = rest.split(separator: " ")
    guard let first = fields.first, let value = Double(first) else { return nil }
    return Sample(name: name, labels: labels, value: value)
  }
}
