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

  /// One item's names: brackets of numbers among literal text (`r[1-2]n[1-2]` → `r1n1`,
  /// `r1n2`, `r2n1`, `r2n2`); nil when the item is malformed or its names would come to more
  /// than `bytes`. The names are counted and sized before any is built, and each is built once:
  /// expanded bracket by bracket, every bracket built all the names so far again, and the
  /// fuzzer's items had hundreds of brackets.
  private static func expandOne(_ item: String, within bytes: Int) -> [String]? {
    guard let parts = Part.parse(item) else { return nil }
    var count = 1
    var longest = MemoryLayout<String>.size
    for part in parts {
      switch part {
      case .text(let text): longest += text.utf8.count
      case .numbers(let ranges):
        count *= ranges.reduce(0) { $0 + $1.count }
        guard count <= mostNames else { return nil }
        longest += ranges.map(\.digits).max() ?? 0
      }
    }
    guard count * longest <= bytes else { return nil }

    // Every combination of one number from each bracket, the last bracket turning fastest.
    let numbers = parts.compactMap { part -> [String]? in
      guard case .numbers(let ranges) = part else { return nil }
      return ranges.flatMap { range in (range.low...range.high).map(range.text) }
    }
    var picks = Array(repeating: 0, count: numbers.count)
    var names: [String] = []
    names.reserveCapacity(count)
    for _ in 0..<count {
      var name = ""
      var bracket = 0
      for part in parts {
        switch part {
        case .text(let text): name += text
        case .numbers:
          name += numbers[bracket][picks[bracket]]
          bracket += 1
        }
      }
      names.append(name)
      var turning = numbers.count - 1
      while turning >= 0 {
        picks[turning] += 1
        if picks[turning] < numbers[turning].count { break }
        picks[turning] = 0
        turning -= 1
      }
    }
    return names
  }

  /// A piece of an item: literal text, or the numbers one bracket stands for.
  private enum Part {
    case text(Substring)
    case numbers([NumberRange])

    /// nil for a malformed bracket; a `[` with no `]` after it is text.
    static func parse(_ item: String) -> [Part]? {
      var parts: [Part] = []
      var rest = item[...]
      while let open = rest.firstIndex(of: "["), let close = rest[open...].firstIndex(of: "]") {
        if open > rest.startIndex { parts.append(.text(rest[..<open])) }
        var ranges: [NumberRange] = []
        for text in rest[rest.index(after: open)..<close].split(separator: ",") {
          guard let range = NumberRange(text) else { return nil }
          ranges.append(range)
        }
        guard !ranges.isEmpty else { return nil }
        parts.append(.numbers(ranges))
        rest = rest[rest.index(after: close)...]
      }
      if !rest.isEmpty { parts.append(.text(rest)) }
      return parts
    }
  }

  /// `low-high` or one number, zero-padded as wide as its low bound is written (`01-10`).
  private struct NumberRange {
    let low: Int
    let high: Int
    let width: Int

    /// nil for an empty or reversed bound, or a range wider than any cluster.
    init?(_ text: Substring) {
      // Empty bounds are kept, so `[-]`, `[-5]` and `[5-]` are malformed, not a number.
      let bounds = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
      guard let low = Self.number(bounds[0]) else { return nil }
      let high = bounds.count == 2 ? Self.number(bounds[1]) : low
      guard let high, high >= low, high - low < Hostlist.mostNames else { return nil }
      (self.low, self.high, width) = (low, high, bounds[0].utf8.count)
    }

    var count: Int { high - low + 1 }
    /// The widest number it writes: its padding or its high bound's digits.
    var digits: Int { max(width, String(high).utf8.count) }

    func text(_ n: Int) -> String {
      let digits = String(n)
      return String(repeating: "0", count: max(0, width - digits.utf8.count)) + digits
    }

    /// ASCII digits only: `Int` would also take `+1`, which Slurm does not write.
    private static func number(_ text: Substring) -> Int? {
      guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
      return Int(text)
    }
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
