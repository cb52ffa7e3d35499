/// One item of a GRES string: `gpu:h100:2(IDX:0-1)`, `gpu:8`, `gpu:h100:0(IDX:N/A)`.
public struct GresItem: Sendable, Hashable {
  public var name: String
  /// The GPU type (`h100`), when the item is typed.
  public var type: String?
  /// nil when Slurm wrote a count that is not one (`gpu:h100:x`, or past 2³¹ − 1).
  public var count: Int?
  /// Device indices (`IDX:0,2-3`); empty when the string has none.
  public var indices: [Int]

  /// The items of a GRES string. Items are split on commas outside parentheses (`IDX:0,2-3`
  /// holds commas); `N/A` and `(null)` mean none.
  public static func parse(_ text: String?) -> [GresItem] {
    guard let text, !["", "N/A", "(null)", "none"].contains(text) else { return [] }
    return splitOutsideParentheses(text).compactMap(item)
  }

  /// The GPUs a GRES string counts: nil when it names no GPU, or a GPU count that is not one.
  public static func gpus(_ text: String?) -> Int? {
    let counts = gpuCounts(text)
    return counts.isEmpty ? nil : Count.sum(counts)
  }

  /// The count of each GPU item; empty when the string names no GPU.
  static func gpuCounts(_ text: String?) -> [Int?] {
    parse(text).filter { $0.name == "gpu" }.map(\.count)
  }

  private static func item(_ text: Substring) -> GresItem? {
    var head = text
    var detail: Substring = ""
    if let open = text.firstIndex(of: "(") {
      head = text[..<open]
      detail = text[text.index(after: open)...].prefix { $0 != ")" }
    }
    // Requests spell the kind as a prefix: `gres:gpu:8` (22.05), `gres/gpu:h100:1` (later).
    if head.hasPrefix("gres:") || head.hasPrefix("gres/") { head = head.dropFirst(5) }
    let fields = head.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    guard let name = fields.first, !name.isEmpty else { return nil }
    var type: String?
    var count: Int? = 1
    switch fields.count {
    case 1: break
    case 2:
      if let n = Int(fields[1]) {
        count = Count.checked(n)
      } else {
        type = fields[1]
      }
    default:
      type = fields[1]
      count = Count.parse(fields[2])
    }
    var indices: [Int] = []
    if detail.hasPrefix("IDX:") {
      for range in detail.dropFirst(4).split(separator: ",") {
        let bounds = range.split(separator: "-").compactMap { Int($0) }
        if bounds.count == 2, bounds[1] >= bounds[0], bounds[1] - bounds[0] < 4_096 {
          indices += Array(bounds[0]...bounds[1])
        } else if bounds.count == 1 {
          indices.append(bounds[0])
        }
      }
    }
    return GresItem(name: name, type: type, count: count, indices: indices)
  }

  static func splitOutsideParentheses(_ text: String) -> [Substring] {
    var parts: [Substring] = []
    var start = text.startIndex
    var depth = 0
    for i in text.indices {
      switch text[i] {
      case "(": depth += 1
      case ")": depth = max(0, depth - 1)
      case "," where depth == 0:
        parts.append(text[start..<i])
        start = text.index(after: i)
      default: break
      }
    }
    parts.append(text[start...])
    return parts.map { $0.trimmingPrefix(" ") }.filter { !$0.isEmpty }
  }
}

/// TRES strings: `cpu=2,node=2,billing=2,gres/gpu=16,gres/gpu:h100=16`.
public enum Tres {
  /// The GPUs a TRES string counts: the untyped `gres/gpu=N` (typed entries repeat it, and 22.05
  /// even doubles them), else the sum of the typed ones; nil when it names no GPU, or a count
  /// that decides the total is not one.
  public static func gpus(_ text: String?) -> Int? {
    let gpu = (text ?? "").split(separator: ",").compactMap {
      entry -> (key: Substring, count: Int?)? in
      let pair = entry.split(separator: "=", maxSplits: 1)
      guard pair.count == 2, pair[0].hasPrefix("gres/gpu") else { return nil }
      return (pair[0], Count.parse(pair[1]))
    }
    if let untyped = gpu.first(where: { $0.key == "gres/gpu" }) { return untyped.count }
    return gpu.isEmpty ? nil : Count.sum(gpu.map(\.count))
  }
}
