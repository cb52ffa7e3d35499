import Foundation

/// How a cluster's telemetry names its nodes, mapped onto the names its scheduler uses. Real
/// sites call one host `gpu017` in Slurm and `gpu017.dc1.example.com` in DCGM's `Hostname`; the
/// join matches nodes by (cluster, name), so telemetry's names are mapped first: the domain
/// dropped (the default), then an optional regular-expression rename. A name the rule does not
/// bring to a scheduler's node is kept and shown as unmatched, never dropped.
public struct NodeNaming: Sendable, Hashable {
  /// Drop everything from the first `.` (not for a name that is an IPv4 address).
  public let stripDomain: Bool
  /// `(pattern, template)`: a name the pattern matches whole becomes the template, with `$1`…
  /// for the pattern's groups (`^(.+)-bmc$` → `$1`).
  public let rename: (pattern: String, template: String)?
  private let regex: CompiledPattern?

  public static let standard = NodeNaming()

  /// Throws (a message naming the pattern) when `pattern` is no regular expression.
  public init(stripDomain: Bool = true, rename: (pattern: String, template: String)? = nil)
    throws(InputError)
  {
    self.stripDomain = stripDomain
    self.rename = rename
    if let rename {
      do {
        regex = CompiledPattern(try NSRegularExpression(pattern: rename.pattern))
      } catch {
        throw InputError(
          source: "node_names.match", message: "not a regular expression: \(rename.pattern)")
      }
    } else {
      regex = nil
    }
  }

  private init() {
    stripDomain = true
    rename = nil
    regex = nil
  }

  /// The scheduler's name for a host that telemetry calls `reported`.
  public func name(_ reported: String) -> String {
    var name = reported
    if stripDomain, !name.allSatisfy({ $0.isNumber || $0 == "." }),
      let short = name.split(separator: ".").first
    {
      name = String(short)
    }
    if let rename, let regex = regex?.expression {
      let whole = NSRange(name.startIndex..., in: name)
      if let match = regex.firstMatch(in: name, range: whole), match.range == whole {
        name = regex.replacementString(
          for: match, in: name, offset: 0, template: rename.template)
      }
    }
    return name
  }

  public static func == (a: NodeNaming, b: NodeNaming) -> Bool {
    a.stripDomain == b.stripDomain && a.rename?.pattern == b.rename?.pattern
      && a.rename?.template == b.rename?.template
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(stripDomain)
    hasher.combine(rename?.pattern)
    hasher.combine(rename?.template)
  }
}

/// A compiled expression, shared between threads: NSRegularExpression is immutable and
/// documented as safe to use from several threads at once.
private struct CompiledPattern: @unchecked Sendable {
  let expression: NSRegularExpression
  init(_ expression: NSRegularExpression) { self.expression = expression }
}
