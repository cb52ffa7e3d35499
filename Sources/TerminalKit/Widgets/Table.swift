/// A table whose rows are pulled on demand: drawing costs only the rows on screen, so 16,000
/// rows scroll as fast as 16.
public struct Table: Widget {
  public struct Column: Sendable {
    public enum Alignment: Sendable { case left, right }
    public var title: String
    public var width: Int
    public var alignment: Alignment
    /// Columns with the lowest priority are dropped first when the table is too narrow.
    public var priority: Int
    /// A flexible column takes the width left over.
    public var flexible: Bool

    public init(
      _ title: String, width: Int, alignment: Alignment = .left, priority: Int = 0,
      flexible: Bool = false
    ) {
      self.title = title
      self.width = width
      self.alignment = alignment
      self.priority = priority
      self.flexible = flexible
    }
  }

  public var columns: [Column]
  public var rowCount: Int
  /// The cells of row `i`, one span per column.
  public var row: (Int) -> [Span]
  /// The first row shown.
  public var offset: Int
  public var headerStyle: Style
  /// The highlighted row, and how it looks.
  public var selected: Int?
  public var selectedStyle: Style?

  public init(
    columns: [Column], rowCount: Int, offset: Int = 0, headerStyle: Style,
    selected: Int? = nil, selectedStyle: Style? = nil, row: @escaping (Int) -> [Span]
  ) {
    self.columns = columns
    self.rowCount = rowCount
    self.offset = offset
    self.headerStyle = headerStyle
    self.selected = selected
    self.selectedStyle = selectedStyle
    self.row = row
  }

  /// The first row to show so that `selected` is on screen when `visible` rows fit.
  public static func offset(keeping selected: Int, visible: Int) -> Int {
    max(0, selected - max(1, visible) + 1)
  }

  /// The columns that fit in `width`, with their widths.
  func layout(width: Int) -> [(index: Int, width: Int)] { Self.layout(columns, width: width) }

  /// Which of `columns` fit in `width`, with their widths: the lowest priorities go first, and
  /// the first flexible column takes what is left.
  public static func layout(_ columns: [Column], width: Int) -> [(index: Int, width: Int)] {
    var shown = Array(columns.indices)
    func needed() -> Int { shown.reduce(0) { $0 + columns[$1].width } + max(0, shown.count - 1) }
    while needed() > width, shown.count > 1 {
      let drop = shown.min { columns[$0].priority < columns[$1].priority }!
      shown.removeAll { $0 == drop }
    }
    let spare = max(0, width - needed())
    let flexible = shown.filter { columns[$0].flexible }
    return shown.map { index in
      var w = columns[index].width
      if let first = flexible.first, index == first { w += spare }
      return (index, w)
    }
  }

  public func render(in area: Rect, into buffer: inout Buffer) {
    guard area.height > 0 else { return }
    let layout = layout(width: area.width)
    draw(
      layout.map { Span(columns[$0.index].title, headerStyle) }, layout, at: area.x, area.y,
      into: &buffer)
    let visible = min(area.height - 1, max(0, rowCount - offset))
    for line in 0..<max(0, visible) {
      var cells = row(offset + line)
      if offset + line == selected, let selectedStyle {
        buffer.fill(area.row(1 + line), style: selectedStyle)
        cells = cells.map { Span($0.text, selectedStyle) }
      }
      draw(
        layout.map { $0.index < cells.count ? cells[$0.index] : Span("") }, layout,
        at: area.x, area.y + 1 + line, into: &buffer)
    }
  }

  private func draw(
    _ cells: [Span], _ layout: [(index: Int, width: Int)], at left: Int, _ y: Int,
    into buffer: inout Buffer
  ) {
    var x = left
    for (cell, column) in zip(cells, layout) {
      let text = TerminalText.truncated(cell.text, to: column.width)
      let pad = column.width - TerminalText.width(text)
      let start = columns[column.index].alignment == .right ? x + pad : x
      buffer.put(text, x: start, y: y, style: cell.style)
      x += column.width + 1
    }
  }
}
