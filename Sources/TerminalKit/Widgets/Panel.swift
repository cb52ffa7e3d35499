/// A box with a title on its top border and a note (the data's age) at its right end.
public struct Panel: Widget {
  public var title: String
  public var note: String
  public var borderStyle: Style
  public var titleStyle: Style
  public var noteStyle: Style

  public init(
    title: String, note: String = "", borderStyle: Style, titleStyle: Style, noteStyle: Style
  ) {
    self.title = title
    self.note = note
    self.borderStyle = borderStyle
    self.titleStyle = titleStyle
    self.noteStyle = noteStyle
  }

  /// Where the panel's content goes.
  public static func inner(_ area: Rect) -> Rect { area.inset(dx: 1, dy: 1) }

  public func render(in area: Rect, into buffer: inout Buffer) {
    guard area.width >= 2, area.height >= 2 else { return }
    let right = area.maxX - 1
    let bottom = area.maxY - 1
    buffer.put(
      "╭" + String(repeating: "─", count: area.width - 2) + "╮", x: area.x, y: area.y,
      style: borderStyle)
    for y in area.y + 1..<bottom {
      buffer.put("│", x: area.x, y: y, style: borderStyle)
      buffer.put("│", x: right, y: y, style: borderStyle)
    }
    buffer.put(
      "╰" + String(repeating: "─", count: area.width - 2) + "╯", x: area.x, y: bottom,
      style: borderStyle)
    let titleWidth = buffer.put(
      " \(title) ", x: area.x + 1, y: area.y, style: titleStyle, maxWidth: area.width - 2)
    let noteWidth = TerminalText.width(note) + 2
    if !note.isEmpty, titleWidth + noteWidth + 3 <= area.width {
      buffer.put(" \(note) ", x: right - noteWidth, y: area.y, style: noteStyle)
    }
  }
}
