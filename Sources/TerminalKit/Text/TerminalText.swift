import UntrustedText

/// Text as the terminal will see it: made inert, and measured in columns.
public enum TerminalText {
  /// Columns a grapheme takes: 0 for marks and format characters, 2 for wide and emoji, else 1.
  public static func columns(of character: Character) -> Int {
    guard let first = character.unicodeScalars.first else { return 0 }
    if character.unicodeScalars.contains("\u{FE0F}") { return 2 }
    return columns(of: first)
  }

  static func columns(of scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    if v < 0x300 { return 1 }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if scalar.properties.isEmojiPresentation { return 2 }
    switch v {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
      0xFFE0...0xFFE6, 0x20000...0x3FFFD:
      return 2
    default:
      return 1
    }
  }

  /// Columns a string takes once made inert.
  public static func width(_ text: String) -> Int {
    UntrustedText.inert(text).reduce(0) { $0 + columns(of: $1) }
  }

  /// `text` cut to `width` columns, ending in `…` when something was cut.
  public static func truncated(_ text: String, to width: Int) -> String {
    let safe = UntrustedText.inert(text)
    guard width > 0 else { return "" }
    if safe.reduce(0, { $0 + columns(of: $1) }) <= width { return safe }
    var result = ""
    var used = 0
    for character in safe {
      let w = columns(of: character)
      if used + w > width - 1 { break }
      result.append(character)
      used += w
    }
    return result + "…"
  }

  /// `text` broken into lines of at most `width` columns, at spaces where it can.
  public static func wrapped(_ text: String, to width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    var current = ""
    for word in UntrustedText.inert(text).split(separator: " ", omittingEmptySubsequences: true) {
      let candidate = current.isEmpty ? String(word) : current + " " + word
      if TerminalText.width(candidate) <= width {
        current = candidate
        continue
      }
      if !current.isEmpty { lines.append(current) }
      current = String(word)
      while TerminalText.width(current) > width {
        let head = truncated(current, to: width + 1).dropLast()
        lines.append(String(head))
        current = String(current.dropFirst(head.count))
      }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
  }
}
