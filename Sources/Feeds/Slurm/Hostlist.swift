/// Slurm hostlists: `n[1-2]`, `gpu[01-04]`, `a[1,3-5],b2` name each node once, in order.
public enum Hostlist {
  /// The node names a hostlist expression stands for. Zero padding is kept (`gpu[01-02]` →
  /// `gpu01`, `gpu02`); a malformed bracket is taken as a literal name rather than guessed at,
  /// and so is one item that would name more nodes than any cluster has.
  public static func expand(_ expression: String) -> [String] {
    var budget = bytesPerAnswer
    return expand(expression, budget: &budget)
  }

  /// The same, drawing the names from a budget of bytes shared by every hostlist of one answer:
  /// past it, an item is taken literally. A hostlist is small and its expansion is not
  /// (`n[0-99999]` is ten bytes and 100,000 names; a long prefix is repeated in each), so
  /// without one, a few kilobytes of jobs could expand to gigabytes (the fuzzer's slurmdbd run
  /// reached 900 MiB). An item is sized before it is built, so one past the budget costs
  /// nothing: sized after, a 21 KB slurmdbd answer of such items took a second to read.
  public static func expand(_ expression: String, budget: inout Int) -> [String] {
    splitOutsideBrackets(expression).flatMap { item in
      guard let names = expandOne(item, within: min(mostBytes, budget)) else { return [item] }
      budget -= names.reduce(0) { $0 + size($1) }
      return names
    }
  }

  /// More names than this from one item is a broken or hostile expression, not a cluster (the
  /// largest have tens of thousands of nodes): `a[0-99999]b[0-99999]` is ten billion.
  static let mostNames = 100_000
  /// Nor is one item that expands to more than this.
  static let mostBytes = 8 << 20

  /// What all the hostlists of one answer may expand to: the cap on a command's output.
  public static let bytesPerAnswer = 64 << 20

  /// A name's cost: its text and the String that holds it.
  private static func size(_ name: String) -> Int { name.utf8.count + MemoryLayout<String>.size }

  /// `prefix[ranges]suffix`, where ranges may also be nested in later brackets (`r[1-2]n[1-2]`);
  /// nil when the item is malformed or its names would come to more than `bytes`.
  private static func expandOne(_ item: String, within bytes: Int) -> [String]? {
    guard let open = item.firstIndex(of: "["),
      let close = item[open...].firstIndex(of: "]")
    else { return item.isEmpty ? [] : [item] }
    let prefix = item[..<open]
    let body = item[item.index(after: open)..<close]
    guard let rest = expandOne(String(item[item.index(after: close)...]), within: bytes) else {
      return nil
    }
    let suffixes = rest.isEmpty ? [""] : rest
    var ranges: [(low: Int, high: Int, width: Int)] = []
    var count = 0
    for range in body.split(separator: ",") {
      // Empty bounds are kept, so `[-]`, `[-5]` and `[5-]` are malformed, not a number.
      let bounds = range.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
      guard let low = number(bounds[0]) else { return nil }
      let high = bounds.count == 2 ? number(bounds[1]) : low
      guard let high, high >= low, high - low < mostNames else { return nil }
      count += (high - low + 1) * suffixes.count
      guard count <= mostNames else { return nil }
      ranges.append((low, high, bounds[0].utf8.count))
    }
    // The longest name: the widest number (its padding or its digits) and the longest suffix.
    let digits = ranges.map { max($0.width, String($0.high).utf8.count) }.max() ?? 0
    let longest = prefix.utf8.count + digits + (suffixes.map(size).max() ?? 0)
    guard count * longest <= bytes else { return nil }
    var names: [String] = []
    names.reserveCapacity(count)
    for (low, high, width) in ranges {
      for n in low...high {
        let digits = String(n)
        let stem =
          prefix + String(repeating: "0", count: max(0, width - digits.utf8.count)) + digits
        for suffix in suffixes { names.append(stem + suffix) }
      }
    }
    return names
  }

  /// A bound is ASCII digits only: `Int` would also take `+1`, which Slurm does not write.
  private static func number(_ text: Substring) -> Int? {
    guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
    return Int(text)
  }

  private static func splitOutsideBrackets(_ text: String) -> [String] {
    var parts: [String] = []
    var current = ""
    var depth = 0
    for c in text {
      switch c {
      case "[": depth += 1
      case "]": depth = max(0, depth - 1)
      case "," where depth == 0:
        parts.append(current)
        current = ""
        continue
      default: break
      }
      current.append(c)
    }
    parts.append(current)
    return parts.map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
  }
}
