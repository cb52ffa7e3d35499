import Foundation

/// A colour as a theme names it; the terminal's depth decides what is actually sent.
public enum Color: Sendable, Hashable {
  /// The terminal's own foreground or background.
  case terminalDefault
  /// One of the 256 palette entries (0–15 are the terminal's ANSI colours).
  case indexed(UInt8)
  case rgb(UInt8, UInt8, UInt8)

  /// Parses `#rrggbb`, a palette number `0`…`255`, or the empty string (terminal default).
  public init?(hex text: String) {
    let text = text.trimmingCharacters(in: .whitespaces)
    if text.isEmpty || text == "default" {
      self = .terminalDefault
    } else if let index = UInt8(text) {
      self = .indexed(index)
    } else if text.hasPrefix("#"), text.count == 7, let value = UInt32(text.dropFirst(), radix: 16)
    {
      self = .rgb(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
    } else {
      return nil
    }
  }

  /// This colour as the best the terminal can show: the one place colour depth is handled.
  public func adapted(to depth: ColorDepth) -> Color {
    switch (self, depth) {
    case (.terminalDefault, _), (_, .trueColor): return self
    case (_, .monochrome): return .terminalDefault
    case (.indexed(let i), .palette256): return .indexed(i)
    case (.indexed(let i), .palette16) where i < 16: return .indexed(i)
    case (.indexed(let i), .palette8) where i < 8: return .indexed(i)
    case (.indexed(let i), _): return Color.rgb(Self.rgbOfPalette(i)).adapted(to: depth)
    case (.rgb(let r, let g, let b), .palette256): return .indexed(Self.nearest256(r, g, b))
    case (.rgb(let r, let g, let b), .palette16):
      return .indexed(Self.nearestANSI(r, g, b, count: 16))
    case (.rgb(let r, let g, let b), .palette8):
      return .indexed(Self.nearestANSI(r, g, b, count: 8))
    }
  }

  private static func rgb(_ c: (UInt8, UInt8, UInt8)) -> Color { .rgb(c.0, c.1, c.2) }

  /// The xterm 256-colour cube and grey ramp, plus the usual values of the 16 ANSI colours.
  static func rgbOfPalette(_ index: UInt8) -> (UInt8, UInt8, UInt8) {
    let i = Int(index)
    if i < 16 { return ansi[i] }
    if i >= 232 {
      let level = UInt8(8 + (i - 232) * 10)
      return (level, level, level)
    }
    let cube = i - 16
    let steps: [UInt8] = [0, 95, 135, 175, 215, 255]
    return (steps[cube / 36], steps[cube / 6 % 6], steps[cube % 6])
  }

  static let ansi: [(UInt8, UInt8, UInt8)] = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205),
    (0, 205, 205), (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
    (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
  ]

  private static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
    let dr = Int(a.0) - Int(b.0)
    let dg = Int(a.1) - Int(b.1)
    let db = Int(a.2) - Int(b.2)
    return dr * dr * 2 + dg * dg * 4 + db * db * 3
  }

  static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
    UInt8(
      (16...255).min {
        distance(rgbOfPalette(UInt8($0)), (r, g, b)) < distance(rgbOfPalette(UInt8($1)), (r, g, b))
      }!)
  }

  static func nearestANSI(_ r: UInt8, _ g: UInt8, _ b: UInt8, count: Int) -> UInt8 {
    UInt8((0..<count).min { distance(ansi[$0], (r, g, b)) < distance(ansi[$1], (r, g, b)) }!)
  }
}

/// How many colours the terminal can show.
public enum ColorDepth: String, Sendable, Hashable, CaseIterable {
  case trueColor = "truecolor"
  case palette256 = "256"
  case palette16 = "16"
  case palette8 = "8"
  case monochrome = "mono"

  /// The depth to use for a terminal reporting `colors` colours: none at all when `NO_COLOR`
  /// is set to anything (no-color.org).
  public static func detect(colors: Int, environment: [String: String]) -> ColorDepth {
    if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
    return ColorDepth(colors: colors)
  }

  /// The terminfo entries to try for a terminal whose `COLORTERM` says it takes
  /// 24-bit colour while its `TERM` entry offers fewer colours: `xterm-256color` → `xterm-direct`.
  /// Empty when there is nothing to gain (no COLORTERM promise, or TERM is direct already).
  public static func directColorEntries(environment: [String: String]) -> [String] {
    guard let colorTerm = environment["COLORTERM"]?.lowercased(),
      ["truecolor", "24bit"].contains(colorTerm),
      environment["NO_COLOR"]?.isEmpty ?? true,
      let term = environment["TERM"], !term.isEmpty, !term.contains("direct")
    else { return [] }
    let base = term.split(separator: "-").first.map(String.init) ?? term
    return ["\(base)-direct"]
  }

  /// The depth for a terminal reporting `colors` colours.
  public init(colors: Int) {
    switch colors {
    case 0x100_0000...: self = .trueColor
    case 256...: self = .palette256
    case 16...: self = .palette16
    case 8...: self = .palette8
    default: self = .monochrome
    }
  }
}
