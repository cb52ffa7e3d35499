import CNCurses
import Foundation

/// The real terminal, through ncursesw. It owns the terminal between `init` and `shutdown`:
/// alternate screen, no echo, keypad mode, hidden cursor; `shutdown` gives all of it back.
public final class CursesBackend: TerminalBackend {
  public let colorDepth: ColorDepth
  /// Whether only ASCII is sent: the locale is not UTF-8, or the user asked.
  public let isASCII: Bool
  private let window: UnsafeMutablePointer<WINDOW>
  private var pairs: [PairKey: Int32] = [:]
  private var isShutDown = false

  private struct PairKey: Hashable {
    let foreground: Color
    let background: Color
  }

  /// Takes over the terminal on standard input and output. With `lockedKeys`, the terminal's
  /// own control keys do nothing either: Ctrl-Z would suspend factop and hand the screen to the
  /// shell, Ctrl-\ would kill it into the Swift runtime's interactive backtrace prompt, and
  /// Ctrl-S would freeze it; they arrive as keys instead. Ctrl-C still sends SIGINT.
  public init(ascii: Bool = false, lockedKeys: Bool = false) throws {
    setlocale(LC_ALL, "")
    isASCII = ascii || String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8"
    let environment = ProcessInfo.processInfo.environment
    // COLORTERM is how terminals say they take 24-bit colour; curses sends it only through a
    // direct-colour terminfo entry, so open the terminal as that entry where one is installed.
    let direct = ColorDepth.directColorEntries(environment: environment)
      .first { factop_has_terminfo($0) != 0 }
    guard let screen = factop_newterm(direct), let window = factop_stdscr() else {
      throw TerminalError.noTerminal
    }
    set_term(screen)
    self.window = window
    cbreak()
    noecho()
    nonl()
    keypad(window, true)
    curs_set(0)
    set_escdelay(25)
    if lockedKeys, factop_lock_control_keys() != 0 {
      endwin()
      throw TerminalError.keysNotLocked
    }
    if has_colors() {
      start_color()
      use_default_colors()
      colorDepth = ColorDepth.detect(colors: Int(factop_colors()), environment: environment)
    } else {
      colorDepth = .monochrome
    }
  }

  /// Restores the terminal as it was. Safe to call more than once.
  public func shutdown() {
    guard !isShutDown else { return }
    isShutDown = true
    curs_set(1)
    endwin()
  }

  deinit { shutdown() }

  public var size: (width: Int, height: Int) { (Int(factop_cols()), Int(factop_lines())) }

  public func draw(_ changes: [CellChange]) {
    let changes = isASCII ? changes.map(ASCIIFallback.map) : changes
    var index = 0
    while index < changes.count {
      // A run: cells next to each other on one row, in one style, sent with one call.
      let first = changes[index]
      var run: [wchar_t] = []
      var next = index
      var x = first.x
      while next < changes.count, changes[next].y == first.y, changes[next].x == x,
        changes[next].cell.style == first.cell.style
      {
        let cell = changes[next].cell
        if !cell.isContinuation {
          run.append(contentsOf: cell.symbol.unicodeScalars.map { wchar_t(bitPattern: $0.value) })
        }
        x += 1
        next += 1
      }
      if !run.isEmpty {
        wmove(window, Int32(first.y), Int32(first.x))
        apply(first.cell.style)
        _ = run.withUnsafeBufferPointer { waddnwstr(window, $0.baseAddress, Int32($0.count)) }
      }
      index = next
    }
    wnoutrefresh(window)
    doupdate()
  }

  private func apply(_ style: Style) {
    var attributes = factop_a_normal()
    if style.attributes.contains(.bold) { attributes |= factop_a_bold() }
    if style.attributes.contains(.dim) { attributes |= factop_a_dim() }
    if style.attributes.contains(.underline) { attributes |= factop_a_underline() }
    if style.attributes.contains(.reverse) { attributes |= factop_a_reverse() }
    var pair = pairNumber(style)
    wattr_set(window, attributes, 0, &pair)
  }

  /// The colour pair for a style's colours, allocated on first use.
  private func pairNumber(_ style: Style) -> Int32 {
    guard colorDepth != .monochrome else { return 0 }
    let key = PairKey(
      foreground: style.foreground.adapted(to: colorDepth),
      background: style.background.adapted(to: colorDepth))
    if let pair = pairs[key] { return pair }
    let number = Int32(pairs.count + 1)
    guard number < factop_color_pairs() else { return 0 }
    init_extended_pair(number, colorNumber(key.foreground), colorNumber(key.background))
    pairs[key] = number
    return number
  }

  private func colorNumber(_ color: Color) -> Int32 {
    switch color {
    case .terminalDefault: -1
    case .indexed(let i): Int32(i)
    case .rgb(let r, let g, let b): Int32(r) << 16 | Int32(g) << 8 | Int32(b)
    }
  }

  public func readEvent(timeoutMs: Int) -> InputEvent? {
    wtimeout(window, Int32(timeoutMs))
    var code: wint_t = 0
    switch wget_wch(window, &code) {
    case KEY_CODE_YES:
      return functionKey(Int32(code))
    case OK:
      return character(UInt32(code))
    default:
      return nil
    }
  }

  private func functionKey(_ code: Int32) -> InputEvent? {
    switch code {
    case KEY_UP: .up
    case KEY_DOWN: .down
    case KEY_LEFT: .left
    case KEY_RIGHT: .right
    case KEY_PPAGE: .pageUp
    case KEY_NPAGE: .pageDown
    case KEY_HOME: .home
    case KEY_END: .end
    case KEY_ENTER: .enter
    case KEY_BTAB: .backTab
    case KEY_BACKSPACE: .backspace
    case KEY_RESIZE:
      // The next frame is drawn whole; make curses repaint rather than trust what it had.
      {
        clearok(factop_curscr(), true); return InputEvent.resize
      }()
    default: nil
    }
  }

  private func character(_ code: UInt32) -> InputEvent? {
    switch code {
    case 10, 13: return .enter
    case 27: return .escape
    case 9: return .tab
    case 8, 127: return .backspace
    default: return Unicode.Scalar(code).map { .character(Character($0)) }
    }
  }
}

public enum TerminalError: Error, CustomStringConvertible {
  case noTerminal
  case keysNotLocked

  public var description: String {
    switch self {
    case .noTerminal:
      "cannot open the terminal (is TERM set to a terminal that exists?)"
    case .keysNotLocked:
      "cannot turn off the terminal's suspend, quit and pause keys (Ctrl-Z, Ctrl-\\, Ctrl-S)"
    }
  }
}
