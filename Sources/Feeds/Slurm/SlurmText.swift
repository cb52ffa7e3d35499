import FleetModel
import Foundation

/// The text fallbacks for sites whose Slurm gives no JSON: `scontrol show node -o`,
/// `sinfo -N -h -o`, `squeue -h -o`. The `-o` formats are factop's own, with the free-text field
/// last so a `|` in it cannot shift the others.
public enum SlurmText {
  /// `sinfo -N -h -o` with this format: node, state, GRES, partition, reason.
  public static let sinfoFormat = "%N|%T|%G|%P|%E"
  /// `squeue -h -o` with this format: id, state, nodes count, per-node TRES, nodes, start, user,
  /// account, partition, name.
  public static let squeueFormat = "%i|%T|%D|%b|%N|%S|%u|%a|%P|%l|%j"

  /// `sinfo -N -h -o '\(sinfoFormat)'`: one line per node and partition.
  public static func sinfoNodes(_ text: String, source: String) throws -> [SlurmNode] {
    var order: [String] = []
    var nodes: [String: SlurmNode] = [:]
    for (number, line) in lines(text) {
      let fields = try split(line, number: number, format: sinfoFormat, source: source)
      let partition = fields[3].trimmingCharacters(in: CharacterSet(charactersIn: "*"))
      if var known = nodes[fields[0]] {
        if !known.partitions.contains(partition) { known.partitions.append(partition) }
        nodes[fields[0]] = known
        continue
      }
      order.append(fields[0])
      let words = SlurmNodeState.words(text: fields[1])
      nodes[fields[0]] = SlurmNode(
        name: fields[0], state: SlurmNodeState.map(words),
        reason: SlurmNodeState.reason(noValue(fields[4]), words: words),
        reasonSince: nil, gpus: GresItem.parse(noValue(fields[2])), gpusUsed: [],
        partitions: [partition])
    }
    return order.map { nodes[$0]! }
  }

  /// `squeue -h -o '\(squeueFormat)'`.
  public static func squeueJobs(_ text: String, source: String) throws -> [SlurmJob] {
    var hostBudget = Hostlist.bytesPerAnswer
    return try lines(text).map { number, line in
      let fields = try split(line, number: number, format: squeueFormat, source: source)
      let state = SlurmJobState.map([fields[1]])
      let hosts =
        state == .pending ? [] : Hostlist.expand(noValue(fields[4]) ?? "", budget: &hostBudget)
      let nodeCount = max(1, Count.parse(fields[2]) ?? 1)
      let gpus = GresItem.gpus(noValue(fields[3])).flatMap { Count.product($0, nodeCount) }
      return SlurmJob(
        id: fields[0], name: fields[10], user: fields[6], account: fields[7],
        partition: fields[8], state: state, gpus: gpus, nodes: hosts, gpuIndices: [:],
        start: state == .pending ? nil : localTime(fields[5]), timeLimitS: duration(fields[9]))
    }
  }

  /// A Slurm duration (`squeue %l`): `[days-]hours:minutes:seconds`, `minutes:seconds` or
  /// `minutes`, in seconds; nil for `UNLIMITED`, `NOT_SET`, `INVALID` or anything unreadable.
  public static func duration(_ text: String) -> Double? {
    let parts = text.split(separator: "-", maxSplits: 1)
    let days = parts.count == 2 ? Int(parts[0]) : 0
    let clock = (parts.last ?? "").split(separator: ":").map { Int($0) }
    guard let days, days >= 0, !clock.isEmpty, clock.count <= 3,
      clock.allSatisfy({ $0 != nil && $0! >= 0 })
    else { return nil }
    let values = clock.map { $0! }
    // `M`, `M:S`, `H:M:S`; with days, `D-H`, `D-H:M`, `D-H:M:S`.
    let seconds: Int
    switch (parts.count == 2, values.count) {
    case (false, 1): seconds = values[0] * 60
    case (false, 2): seconds = values[0] * 60 + values[1]
    case (true, 1): seconds = values[0] * 3_600
    case (true, 2): seconds = values[0] * 3_600 + values[1] * 60
    default: seconds = values[0] * 3_600 + values[1] * 60 + values[2]
    }
    let total = days * 86_400 + seconds
    return total > 0 ? Double(total) : nil
  }

  /// `scontrol show node -o`: one `Key=Value …` line per node.
  public static func scontrolNodes(_ text: String, source: String) throws -> [SlurmNode] {
    try lines(text).map { number, line in
      let fields = keyValues(line)
      guard let name = fields["NodeName"] else {
        throw InputError(source: source, line: number, message: "no NodeName=")
      }
      var reason = noValue(fields["Reason"] ?? "")
      var since: Date?
      // `Reason=XID 79 on GPU 3 [root@2026-11-24T21:06:58]`: who and when, in brackets.
      if let text = reason, text.hasSuffix("]"), let open = text.lastIndex(of: "[") {
        let stamp = text[text.index(after: open)..<text.index(before: text.endIndex)]
        since = stamp.split(separator: "@").last.flatMap { localTime(String($0)) }
        reason = String(text[..<open]).trimmingSpaces()
      }
      // `State=MIXED*+DRAIN`: flags joined by `+`, each word perhaps with sinfo's suffixes.
      let words = (fields["State"] ?? "").split(separator: "+").flatMap {
        SlurmNodeState.words(text: String($0))
      }
      return SlurmNode(
        name: name, state: SlurmNodeState.map(words),
        reason: SlurmNodeState.reason(reason, words: words), reasonSince: since,
        gpus: GresItem.parse(noValue(fields["Gres"] ?? "")),
        gpusUsed: GresItem.parse(noValue(fields["GresUsed"] ?? "")),
        partitions: (noValue(fields["Partitions"] ?? "") ?? "").split(separator: ",").map(
          String.init))
    }
  }

  /// Splits `Key=Value` pairs where values may hold spaces (`OS=Linux 6.1 #1 SMP`) and keys
  /// may hold `:` and `/` (`AllocNode:Sid=`, `CPUs/Task=`): a pair starts at a space followed
  /// by a key and `=`.
  static func keyValues(_ line: String) -> [String: String] {
    let chars = Array(line)
    var starts: [Int] = []
    var i = 0
    while i < chars.count {
      if i == 0 || chars[i - 1] == " ", chars[i] != " " {
        var j = i
        while j < chars.count, chars[j].isLetter || chars[j].isNumber || "_:/".contains(chars[j]) {
          j += 1
        }
        if j > i, j < chars.count, chars[j] == "=" { starts.append(i) }
      }
      i += 1
    }
    var pairs: [String: String] = [:]
    for (n, start) in starts.enumerated() {
      let end = n + 1 < starts.count ? starts[n + 1] : chars.count
      let pair = String(chars[start..<end]).trimmingSpaces()
      guard let eq = pair.firstIndex(of: "=") else { continue }
      pairs[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
    }
    return pairs
  }

  /// A line of `-o format` output, as many fields as the format has: the last (free text)
  /// keeps any `|` it holds.
  private static func split(_ line: String, number: Int, format: String, source: String) throws
    -> [String]
  {
    let count = format.split(separator: "|").count
    let fields = line.split(separator: "|", maxSplits: count - 1, omittingEmptySubsequences: false)
      .map(String.init)
    guard fields.count == count else {
      throw InputError(
        source: source, line: number,
        message: "expected \(count) fields (\(format)), found \(fields.count)")
    }
    return fields
  }

  private static func lines(_ text: String) -> [(Int, String)] {
    text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap {
      let line = $1.trimmingSpaces()
      return line.isEmpty ? nil : ($0 + 1, line)
    }
  }

  /// Slurm's words for "nothing here".
  static func noValue(_ text: String) -> String? {
    ["", "(null)", "N/A", "n/a", "n/s", "None", "none", "Unknown", "UNLIMITED"].contains(text)
      ? nil : text
  }

  /// Slurm's text times are local and carry no zone (`2026-11-24T21:06:58`).
  static func localTime(_ text: String) -> Date? {
    noValue(text).flatMap { Timestamp.withoutZone($0, in: .current) }
  }
}
