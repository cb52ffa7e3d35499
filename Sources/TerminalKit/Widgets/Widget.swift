/// Anything that can draw itself into a rectangle of a buffer. Widgets are values built for one
/// frame; scroll offsets and selections live in the view's state, not in the widget.
public protocol Widget {
  func render(in area: Rect, into buffer: inout Buffer)
}

/// Text in one style: the unit tables, status bars and labels are made of.
public struct Span: Sendable, Hashable {
  public var text: String
  public var style: Style

  public init(_ text: String, _ style: Style = .plain) {
    self.text = text
    self.style = style
  }
}

/// A line of spans, drawn left to right and clipped to its area.
public struct Line: Widget, Sendable {
  public var spans: [Span]

  public init(_ spans: [Span]) {
    self.spans = spans
  }

  public var width: Int { spans.reduce(0) { $0 + TerminalText.width($1.text) } }

  public func render(in area: Rect, into buffer: inout Buffer) {
    var x = area.x
    for span in spans where x < area.maxX {
      x += buffer.put(span.text, x: x, y: area.y, style: span.style, maxWidth: area.maxX - x)
    }
  }
}
