import FleetModel
import TerminalKit

/// The colours of the cockpit, by role. Views ask for roles (`crit`, `border`), never colours,
/// so a theme file restyles everything and colour depth is handled in one place.
public struct Theme: Sendable, Equatable {
  public enum Role: String, CaseIterable, Sendable {
    case mainBackground = "main_bg"
    case mainForeground = "main_fg"
    case dimForeground = "dim_fg"
    case title
    case border
    case headerForeground = "header_fg"
    case highlightForeground = "hi_fg"
    case barBackground = "bar_bg"
    case barForeground = "bar_fg"
    case ok, warn, crit, track
    case utilStart = "util_start"
    case utilMid = "util_mid"
    case utilEnd = "util_end"
  }

  public let name: String
  private let colors: [Role: Color]
  /// 101 precomputed steps from util_start through util_mid to util_end.
  private let gradient: [Color]

  public init(name: String, colors: [Role: Color]) {
    self.name = name
    self.colors = colors
    let start = colors[.utilStart] ?? .terminalDefault
    let mid = colors[.utilMid] ?? .terminalDefault
    let end = colors[.utilEnd] ?? .terminalDefault
    gradient = (0...100).map { step in
      step <= 50
        ? Self.blend(start, mid, Double(step) / 50) : Self.blend(mid, end, Double(step - 50) / 50)
    }
  }

  public func color(_ role: Role) -> Color { colors[role] ?? .terminalDefault }

  /// Text in a role's colour on the main background.
  public func style(_ role: Role) -> Style {
    Style(foreground: color(role), background: color(.mainBackground))
  }

  public var text: Style { style(.mainForeground) }
  public var dim: Style { style(.dimForeground) }
  public var bar: Style {
    Style(foreground: color(.barForeground), background: color(.barBackground))
  }

  /// How a node state reads: down is critical, out of service or unknown a warning.
  public func nodeState(_ state: NodeState) -> Style {
    switch state {
    case .down: style(.crit).bold
    case .drained, .draining, .unknown: style(.warn).bold
    default: text
    }
  }

  /// The gradient colour for a percentage (0…100).
  public func utilization(_ pct: Double) -> Style {
    let step = Int(min(max(pct, 0), 100).rounded())
    return Style(foreground: gradient[step], background: color(.mainBackground))
  }

  private static func blend(_ a: Color, _ b: Color, _ t: Double) -> Color {
    guard case .rgb(let r1, let g1, let b1) = a, case .rgb(let r2, let g2, let b2) = b else {
      return t < 0.5 ? a : b
    }
    func mix(_ x: UInt8, _ y: UInt8) -> UInt8 {
      UInt8((Double(x) + (Double(y) - Double(x)) * t).rounded())
    }
    return .rgb(mix(r1, r2), mix(g1, g2), mix(b1, b2))
  }
}
