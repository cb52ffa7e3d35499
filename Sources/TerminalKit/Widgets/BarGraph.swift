/// A multi-row column chart, one column per value, newest at the right, with eighth-cell
/// precision. Each column takes the style its value asks for (a utilization gradient, say).
public struct BarGraph: Widget {
  public var values: [Double?]
  public var maximum: Double
  public var style: (Double) -> Style

  static let partials: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇"]

  public init(values: [Double?], maximum: Double, style: @escaping (Double) -> Style) {
    self.values = values
    self.maximum = maximum
    self.style = style
  }

  public func render(in area: Rect, into buffer: inout Buffer) {
    guard !area.isEmpty, maximum > 0 else { return }
    let shown = values.suffix(area.width)
    var x = area.maxX - shown.count
    for value in shown {
      defer { x += 1 }
      guard let value else { continue }
      let eighths = Int((min(max(value, 0), maximum) / maximum * Double(area.height * 8)).rounded())
      let cellStyle = style(value)
      for row in 0..<area.height {
        let level = min(8, max(0, eighths - row * 8))
        guard level > 0 else { break }
        let symbol = level == 8 ? "█" : String(Self.partials[level])
        buffer.put(symbol, x: x, y: area.maxY - 1 - row, style: cellStyle)
      }
    }
  }
}
