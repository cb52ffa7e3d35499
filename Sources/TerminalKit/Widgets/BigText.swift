/// Text three rows tall in block characters, for figures read from across a room. Digits and
/// the marks figures use (`. : % $ - / k M W h`) have glyphs; any other character is drawn at
/// normal size on the middle row.
public struct BigText: Widget {
  public var text: String
  public var style: Style

  public init(_ text: String, style: Style) {
    self.text = text
    self.style = style
  }

  static let glyphs: [Character: [String]] = [
    "0": ["█▀█", "█ █", "▀▀▀"], "1": ["▀█ ", " █ ", "▀▀▀"], "2": ["▀▀█", "█▀▀", "▀▀▀"],
    "3": ["▀▀█", " ▀█", "▀▀▀"], "4": ["█ █", "▀▀█", "  ▀"], "5": ["█▀▀", "▀▀█", "▀▀▀"],
    "6": ["█▀▀", "█▀█", "▀▀▀"], "7": ["▀▀█", "  █", "  ▀"], "8": ["█▀█", "█▀█", "▀▀▀"],
    "9": ["█▀█", "▀▀█", "▀▀▀"], ".": [" ", " ", "▀"], ":": [" ", "▀", "▀"],
    "%": ["▀ ▄", "▄▀ ", "▀ ▀"], "$": ["▄█▀", "▀█▄", "▀▀ "], "-": ["   ", "▀▀▀", "   "],
    "/": ["  ▄", " ▄▀", "▀  "], " ": [" ", " ", " "], "k": ["█  ", "█▄▀", "▀ ▀"],
    "M": ["█▄ ▄█", "█ ▀ █", "▀   ▀"], "W": ["█   █", "█ ▄ █", "▀▀ ▀▀"], "h": ["█  ", "█▀█", "▀ ▀"],
  ]

  /// Columns the text takes: each glyph and one blank column between glyphs.
  public static func width(_ text: String) -> Int {
    guard !text.isEmpty else { return 0 }
    return text.reduce(0) { $0 + (glyphs[$1]?[0].count ?? TerminalText.width(String($1))) }
      + text.count - 1
  }

  public func render(in area: Rect, into buffer: inout Buffer) {
    guard area.height >= 3 else { return }
    var x = area.x
    for character in text {
      let glyph = Self.glyphs[character] ?? [" ", String(character), " "]
      let width = glyph[0].count
      guard x + width <= area.maxX else { return }
      for (row, line) in glyph.enumerated() {
        buffer.put(line, x: x, y: area.y + row, style: style)
      }
      x += width + 1
    }
  }
}
