import Foundation

/// How many decimals a number in factop's JSON keeps, from the unit its key names (keys carry
/// their unit, `docs/snapshot-schema.md`). Binary floating point leaves sums like
/// `124610.99999999994`; no reader wants that, and diffs of two snapshots should show only what
/// changed. The rule lives here, once, for every JSON output rather than at each figure.
///
/// - amounts of dollars (`usd` in the key): to the cent;
/// - unit prices (`…usd_per_kwh`, `…usd_per_gpu_h`): 4 decimals, as tariffs have sub-cent digits;
/// - percentages (`pct` in the key): 2 decimals;
/// - everything else that is not a whole number (ratios such as `ettr` or `confidence`, watts,
///   seconds): 4 decimals, or 4 significant digits where the value is smaller than 1, so a rate of
///   failures per GPU-hour keeps its digits.
///
/// Whole numbers are left as they are.
enum JSONPrecision {
  static func decimals(forKey key: String?, value: Double) -> Int {
    if let key {
      if key.hasSuffix("usd_per_kwh") || key.hasSuffix("usd_per_gpu_h") { return 4 }
      if key.contains("usd") { return 2 }
      if key.contains("pct") { return 2 }
    }
    let magnitude = abs(value)
    guard magnitude > 0, magnitude < 1 else { return 4 }
    return max(4, 3 - Int(log10(magnitude).rounded(.down)))
  }

  /// `json` (factop's own, valid JSON) with each fractional number rounded for its key.
  static func round(_ json: Data) -> Data {
    let bytes = [UInt8](json)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count)
    // One entry per open container: the key its numbers belong to. An array's numbers belong
    // to the key the array is the value of.
    var keys: [String?] = []
    var inObject: [Bool] = []
    var lastKey: String?
    var expectingKey = false
    var i = 0
    while i < bytes.count {
      let byte = bytes[i]
      switch byte {
      case UInt8(ascii: "\""):
        let end = endOfString(bytes, from: i)
        out.append(contentsOf: bytes[i..<end])
        if expectingKey {
          lastKey = String(decoding: bytes[(i + 1)..<(end - 1)], as: UTF8.self)
          expectingKey = false
        }
        i = end
        continue
      case UInt8(ascii: "{"):
        keys.append(lastKey)
        inObject.append(true)
        expectingKey = true
      case UInt8(ascii: "["):
        keys.append(lastKey)
        inObject.append(false)
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        lastKey = keys.popLast() ?? nil
        inObject.removeLast()
      case UInt8(ascii: ","):
        expectingKey = inObject.last == true
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        var end = i
        while end < bytes.count, isNumberByte(bytes[end]) { end += 1 }
        let token = bytes[i..<end]
        if token.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }),
          let value = Double(String(decoding: token, as: UTF8.self))
        {
          out.append(
            contentsOf: Array(text(value, decimals: decimals(forKey: lastKey, value: value)).utf8))
        } else {
          out.append(contentsOf: token)
        }
        i = end
        continue
      default:
        break
      }
      out.append(byte)
      i += 1
    }
    return Data(out)
  }

  /// The shortest text of `value` rounded to `decimals` places: `124611`, `0.6764`.
  static func text(_ value: Double, decimals: Int) -> String {
    let scale = pow(10, Double(decimals))
    let rounded = (value * scale).rounded() / scale
    guard rounded.isFinite else { return value.description }
    if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
    return rounded.description
  }

  private static func isNumberByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"),
      UInt8(ascii: "+"), UInt8(ascii: "e"), UInt8(ascii: "E"):
      return true
    default: return false
    }
  }

  /// The index just past the string that opens at `start`, its escapes skipped.
  private static func endOfString(_ bytes: [UInt8], from start: Int) -> Int {
    var i = start + 1
    while i < bytes.count {
      if bytes[i] == UInt8(ascii: "\\") {
        i += 2
        continue
      }
      if bytes[i] == UInt8(ascii: "\"") { return i + 1 }
      i += 1
    }
    return i
  }
}
