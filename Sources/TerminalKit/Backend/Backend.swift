/// What the user pressed, or what happened to the terminal.
public enum InputEvent: Sendable, Hashable {
  case character(Character)
  case up, down, left, right, pageUp, pageDown, home, end
  case enter, escape, tab, backTab, backspace
  /// The window changed size; the next frame must be drawn whole.
  case resize
}

/// Where frames go: a real terminal or text for tests. A backend gets only the changed cells.
public protocol TerminalBackend: AnyObject {
  /// The screen size in cells.
  var size: (width: Int, height: Int) { get }
  /// How many colours the terminal shows; styles are adapted to it.
  var colorDepth: ColorDepth { get }
  /// Sends the changed cells and makes them visible in one write.
  func draw(_ changes: [CellChange])
  /// Waits at most `timeoutMs` for input; nil when none came.
  func readEvent(timeoutMs: Int) -> InputEvent?
}

/// A backend with no terminal: frames land in a buffer that tests and dumps read as text.
public final class TextBackend: TerminalBackend {
  public private(set) var screen: Buffer
  public let colorDepth: ColorDepth
  private var pending: [InputEvent]

  /// Whether frames are reduced to ASCII, as on a terminal whose locale is not UTF-8.
  public let isASCII: Bool

  public init(
    width: Int, height: Int, colorDepth: ColorDepth = .trueColor, ascii: Bool = false,
    input: [InputEvent] = []
  ) {
    screen = Buffer(width: width, height: height)
    self.colorDepth = colorDepth
    isASCII = ascii
    pending = input
  }

  public var size: (width: Int, height: Int) { (screen.width, screen.height) }

  public func draw(_ changes: [CellChange]) {
    screen.apply(isASCII ? changes.map(ASCIIFallback.map) : changes)
  }

  public func readEvent(timeoutMs: Int) -> InputEvent? {
    pending.isEmpty ? nil : pending.removeFirst()
  }

  /// Resizes the fake terminal and queues the resize event a real one would send.
  public func resize(width: Int, height: Int) {
    screen = Buffer(width: width, height: height)
    pending.append(.resize)
  }
}
