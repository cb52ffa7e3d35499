import UntrustedText

/// One character cell of the screen.
public struct Cell: Sendable, Hashable {
  public var symbol: Character
  public var style: Style
  /// The right half of a double-width character drawn in the cell to the left.
  public var isContinuation: Bool

  public init(symbol: Character = " ", style: Style = .plain, isContinuation: Bool = false) {
    self.symbol = symbol
    self.style = style
    self.isContinuation = isContinuation
  }
}

/// A cell that differs between two frames, and what it must become.
public struct CellChange: Sendable, Hashable {
  public let x: Int
  public let y: Int
  public let cell: Cell

  public init(x: Int, y: Int, cell: Cell) {
    self.x = x
    self.y = y
    self.cell = cell
  }
}

/// The in-memory screen every view draws into. Backends receive only the cells that changed
/// since the last frame, and tests read it back as text.
public struct Buffer: Sendable, Equatable {
  public let width: Int
  public let height: Int
  private var cells: [Cell]

  public init(width: Int, height: Int, style: Style = .plain) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = Array(repeating: Cell(style: style), count: self.width * self.height)
  }

  public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

  public subscript(x: Int, y: Int) -> Cell {
    get { cells[y * width + x] }
    set { cells[y * width + x] = newValue }
  }

  private func contains(_ x: Int, _ y: Int) -> Bool {
    x >= 0 && y >= 0 && x < width && y < height
  }

  /// Writes `text` (made inert first) from (x, y), clipped to `maxWidth` columns and the screen.
  /// Returns the columns used.
  @discardableResult
  public mutating func put(_ text: String, x: Int, y: Int, style: Style, maxWidth: Int? = nil)
    -> Int
  {
    guard y >= 0, y < height else { return 0 }
    let limit = min(width, x + (maxWidth ?? width))
    var column = x
    for character in UntrustedText.inert(text) {
      let columns = TerminalText.columns(of: character)
      if columns == 0 { continue }
      if column + columns > limit { break }
      if column >= 0 {
        clearWideNeighbours(column, y)
        self[column, y] = Cell(symbol: character, style: style)
        if columns == 2 {
          clearWideNeighbours(column + 1, y)
          self[column + 1, y] = Cell(symbol: " ", style: style, isContinuation: true)
        }
      }
      column += columns
    }
    return max(0, column - x)
  }

  /// Before a cell is overwritten, blanks the other half of a wide character it was part of.
  private mutating func clearWideNeighbours(_ x: Int, _ y: Int) {
    guard contains(x, y) else { return }
    if self[x, y].isContinuation, x > 0 {
      self[x - 1, y] = Cell(symbol: " ", style: self[x - 1, y].style)
    }
    if x + 1 < width, self[x + 1, y].isContinuation {
      self[x + 1, y] = Cell(symbol: " ", style: self[x + 1, y].style)
    }
  }

  /// Paints `rect` with `symbol` in `style`.
  public mutating func fill(_ rect: Rect, symbol: Character = " ", style: Style) {
    for y in max(0, rect.y)..<min(height, rect.maxY) {
      for x in max(0, rect.x)..<min(width, rect.maxX) {
        self[x, y] = Cell(symbol: symbol, style: style)
      }
    }
  }

  /// The cells that differ from `previous`; every cell when there is no previous frame or its
  /// size differs (after a resize).
  public func changes(since previous: Buffer?) -> [CellChange] {
    var result: [CellChange] = []
    let comparable = previous.map { $0.width == width && $0.height == height } ?? false
    for y in 0..<height {
      for x in 0..<width {
        let cell = self[x, y]
        if !comparable || previous![x, y] != cell {
          result.append(CellChange(x: x, y: y, cell: cell))
        }
      }
    }
    return result
  }

  /// Applies changes from another buffer of the same size (what a backend does with a diff).
  public mutating func apply(_ changes: [CellChange]) {
    for change in changes where contains(change.x, change.y) {
      self[change.x, change.y] = change.cell
    }
  }

  /// The screen as text, one line per row, trailing blanks trimmed: golden-screen tests read it.
  public func text() -> String {
    (0..<height).map { y in
      var line = ""
      for x in 0..<width where !self[x, y].isContinuation {
        line.append(self[x, y].symbol)
      }
      while line.last == " " { line.removeLast() }
      return line
    }.joined(separator: "\n")
  }
}
