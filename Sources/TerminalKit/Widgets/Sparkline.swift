/// A row of block characters showing a series; the newest value is at the right. Gaps (unknown
/// values) stay blank instead of pretending to be zero.
public struct Sparkline: Widget {
  public var values: [Double?]
  public var maximum: Double
  public var style: Style

  static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

  public init(values: [Double?], maximum: Double, style: Style) {
    self.values = values
    self.maximum = maximum
    self.style = style
  }

  /// `values` squeezed into at most `width` slots, each the mean of the values it covers, so a
  /// day of history fits the space there is. Unknown stays unknown.
  public static func resampled(_ values: [Double?], to width: Int) -> [Double?] {
    guard width > 0, values.count > width else { return values }
    return (0..<width).map { slot in
      let part = values[slot * values.count / width..<(slot + 1) * values.count / width]
      let known = part.compactMap { $0 }
      return known.isEmpty ? nil : known.reduce(0, +) / Double(known.count)
    }
  }

  /// The newest `width` values as text, right-aligned, for a table cell.
  public static func text(_ values: [Double?], maximum: Double, width: Int) -> String {
    guard width > 0, maximum > 0 else { return "" }
    let shown = values.suffix(width).map { value in
      value.map { Self.levels[Int((min(max($0, 0), maximum) / maximum * 7).rounded())] } ?? " "
    }
    return String(repeating: " ", count: width - shown.count) + String(shown)
  }

  public func render(in area: Rect, into buffer: inout Buffer) {
    guard area.width > 0, area.height > 0 else { return }
    let line = Self.text(values, maximum: maximum, width: area.width)
    for (offset, symbol) in line.enumerated() where symbol != " " {
      buffer.put(String(symbol), x: area.x + offset, y: area.y, style: style)
    }
  }
}
