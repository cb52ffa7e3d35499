/// Dollars as people read them, the same in the cockpit, the command tables and the savings
/// evidence: whole dollars with thousands separators ("$426,612"), whatever the locale, so a
/// figure in a title reads like the one in the column beside it.
public enum DollarText {
  /// "$426,612"; a negative amount "-$1,200".
  public static func whole(_ usd: Double) -> String {
    let dollars = Int(usd.rounded())
    return (dollars < 0 ? "-$" : "$") + grouped(abs(dollars))
  }

  /// 1234567 → "1,234,567".
  public static func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = value < 0 ? "-" : ""
    for (i, digit) in digits.enumerated() {
      if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(digit)
    }
    return out
  }
}
