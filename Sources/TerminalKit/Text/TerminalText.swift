/// Text as the terminal will see it: made inert, and measured in columns.
public enum TerminalText {
  /// Removes everything that could make a terminal do something instead of showing text:
  /// escape sequences (CSI, OSC with its payload, DCS and friends), C0 and C1 controls, and bidi
  /// overrides. Strings from the cluster (job, user, node names) are other people's input.
  public static func inert(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
    var out = String.UnicodeScalarView()
    var state = EscapeState.text
    for scalar in text.unicodeScalars {
      switch state {
      case .text:
        if scalar == "\u{1B}" {
          state = .escape
        } else if scalar == "\u{9B}" {
          state = .csi
        } else if scalar == "\u{9D}" || scalar == "\u{90}" || scalar == "\u{9E}"
          || scalar == "\u{9F}"
        {
          state = .string
        } else if scalar == "\t" || scalar == "\n" || scalar == "\r" {
          out.append(" ")
        } else if !isUnsafe(scalar) {
          out.append(scalar)
        }
      case .escape:
        switch scalar {
        case "[": state = .csi
        case "]", "P", "X", "^", "_": state = .string
        default: state = .text  // a two-character sequence: drop both
        }
      case .csi:
        // Parameters and intermediates run until a final byte in @…~.
        if (0x40...0x7E).contains(scalar.value) { state = .text }
      case .string:
        // OSC/DCS payloads (clipboard writes, links, titles) end at BEL or ST (ESC \ or 0x9C).
        if scalar == "\u{07}" || scalar == "\u{9C}" {
          state = .text
        } else if scalar == "\u{1B}" {
          state = .stringEscape
        }
      case .stringEscape:
        state = scalar == "\\" ? .text : .string
      }
    }
    return String(out)
  }

  private enum EscapeState { case text, escape, csi, string, stringEscape }

  static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00...0x1F, 0x7F...0x9F: true
    case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: true  // bidi controls
    default: false
    }
  }

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
    inert(text).reduce(0) { $0 + columns(of: $1) }
  }

  /// `text` cut to `width` columns, ending in `…` when something was cut.
  public static func truncated(_ text: String, to width: Int) -> String {
    let safe = inert(text)
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
    for word in inert(text).split(separator: " ", omittingEmptySubsequences: true) {
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
