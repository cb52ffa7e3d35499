/// GPU counts read from Slurm: whole numbers from 0 to 2³¹ − 1 (a field can say anything, and no
/// job holds more), added and multiplied without trapping. A count or a total outside that range
/// is unknown, never a wrapped number and never a crash: libFuzzer found a job whose per-node
/// GRES summed past `Int.max` and stopped the poller.
enum GPUCount {
  static let most = Int(Int32.max)

  static func parse(_ text: some StringProtocol) -> Int? { Int(text).flatMap(checked) }

  /// A count Slurm's JSON gives as a number: whole and in range, or unknown.
  static func whole(_ value: Double?) -> Int? {
    guard let value, value >= 0, value <= Double(most) else { return nil }
    return Int(exactly: value)
  }

  static func checked(_ count: Int) -> Int? { (0...most).contains(count) ? count : nil }

  static func sum(_ counts: some Sequence<Int>) -> Int? {
    var total = 0
    for count in counts {
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
