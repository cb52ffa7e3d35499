/// Counts and indices read from outside input (GPUs a Slurm job holds, a GPU's index or memory
/// from nvidia-smi): whole numbers from 0 to 2³¹ − 1, since a field can say anything and nothing
/// factop counts goes higher, added and multiplied without trapping. Anything else, a total
/// included, is unknown: never a wrapped number and never a crash (`Int(_:)` traps on `1e309`,
/// and libFuzzer found a Slurm job whose per-node GRES summed past `Int.max`).
enum Count {
  static let most = Int(Int32.max)

  static func parse(_ text: some StringProtocol) -> Int? { Int(text).flatMap(checked) }

  /// A count given as a JSON or text number: whole and in range, or unknown.
  static func whole(_ value: Double?) -> Int? {
    guard let value, value >= 0, value <= Double(most) else { return nil }
    return Int(exactly: value)
  }

  static func checked(_ count: Int) -> Int? { (0...most).contains(count) ? count : nil }

  /// Unknown when any part is: a total missing a part is no total.
  static func sum(_ counts: some Sequence<Int?>) -> Int? {
    var total = 0
    for count in counts {
      guard let count else { return nil }
      let (sum, overflow) = total.addingReportingOverflow(count)
      guard !overflow, let sum = checked(sum) else { return nil }
      total = sum
    }
    return total
  }

  static func product(_ count: Int, _ times: Int) -> Int? {
    let (product, overflow) = count.multipliedReportingOverflow(by: times)
    return overflow ? nil : checked(product)
  }
}
