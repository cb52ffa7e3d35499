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

  public func render(in area: Rect, into buffer: inout Buffer) {
    guard area.width > 0, area.height > 0, maximum > 0 else { return }
    let shown = values.suffix(area.width)
    var x = area.maxX - shown.count
    for value in shown {
      if let value {
        let level = Int((min(max(value, 0), maximum) / maximum * 7).rounded())
        buffer.put(String(Self.levels[level]), x: x, y: area.y, style: style)
      }
      x += 1
    }
  }
}
