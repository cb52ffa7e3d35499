/// A horizontal bar filled to a ratio, with eighth-cell precision.
public struct Gauge: Widget {
  public var ratio: Double
  public var filled: Style
  public var track: Style

  /// One to seven eighths of a cell (index 0 is never drawn: a whole cell is "█").
  static let partials: [Character] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

  public init(ratio: Double, filled: Style, track: Style) {
    self.ratio = ratio
    self.filled = filled
    self.track = track
  }

  public func render(in area: Rect, into buffer: inout Buffer) {
    guard area.width > 0, area.height > 0 else { return }
    let eighths = Int((min(max(ratio, 0), 1) * Double(area.width * 8)).rounded())
    let full = eighths / 8
    buffer.put(String(repeating: "█", count: full), x: area.x, y: area.y, style: filled)
    var x = area.x + full
    if eighths % 8 > 0, x < area.maxX {
      buffer.put(String(Self.partials[eighths % 8]), x: x, y: area.y, style: filled)
      x += 1
    }
    if x < area.maxX {
      buffer.put(String(repeating: "·", count: area.maxX - x), x: x, y: area.y, style: track)
    }
  }
}
