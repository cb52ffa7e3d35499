/// Strings from the cluster (job, user, node and pod names, reasons, error text a server sent)
/// are other people's input: before they reach a terminal, a report or a log, they are made
/// inert here, the one place that knows what a terminal would act on.
public enum UntrustedText {
  /// Removes everything that could make a terminal do something instead of showing text:
  /// escape sequences (CSI, OSC with its payload, DCS and friends), C0 and C1 controls, and bidi
  /// overrides; tabs and line breaks become spaces.
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

  /// Whether a scalar is a control (C0, DEL, C1) or a bidi override: what a terminal acts on,
  /// or what reorders the text around it.
  public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00...0x1F, 0x7F...0x9F: true
    case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: true  // bidi controls
    default: false
    }
  }
}
