/// Plain-ASCII stand-ins for the box drawing, blocks and symbols the widgets use, for terminals
/// whose locale is not UTF-8 (or `--ascii`). Applied by the backend to what it sends, so every
/// view gets it and none has to know.
public enum ASCIIFallback {
  static let table: [Character: Character] = [
    "─": "-", "│": "|", "╭": "+", "╮": "+", "╰": "+", "╯": "+", "┼": "+",
    "█": "#", "▉": "#", "▊": "#", "▋": "#", "▌": "#", "▍": "#", "▎": "#", "▏": "#",
    "▇": "#", "▆": "#", "▅": "=", "▄": "=", "▃": "-", "▂": "_", "▁": "_",
    "·": ".", "…": "~", "▲": "^", "▼": "v", "≈": "~", "≥": ">", "≤": "<", "↑": "^", "⚠": "!",
    "—": "-", "×": "x", "°": " ", "€": "E",
  ]

  /// The ASCII stand-in of a character; anything else outside ASCII becomes `?`.
  public static func map(_ character: Character) -> Character {
    if character.isASCII { return character }
    return table[character] ?? "?"
  }

  /// A cell change as an ASCII terminal gets it; the right half of a wide character, which an
  /// ASCII terminal draws as one column, becomes a space.
  public static func map(_ change: CellChange) -> CellChange {
    var cell = change.cell
    cell.symbol = cell.isContinuation ? " " : map(cell.symbol)
    cell.isContinuation = false
    return CellChange(x: change.x, y: change.y, cell: cell)
  }
}
