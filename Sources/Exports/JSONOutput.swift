import Foundation
import UntrustedText

/// The one JSON writer of every factop report: sorted keys, ISO-8601 UTC times, unescaped
/// slashes, numbers to the precision of their unit (`JSONPrecision`), pretty only for people. Strings keep exactly what the cluster said, but every
/// control and bidi override is written as a `\uXXXX` escape, so a report read in a terminal
/// cannot drive it (the encoder escapes only C0 controls).
public enum JSONOutput {
  public static func encode<T: Encodable>(_ value: T, pretty: Bool) throws -> Data {
    let data = JSONPrecision.round(try encoder(pretty: pretty).encode(value))
    // C0 controls are escaped already, and outside strings JSON has only ASCII punctuation and
    // whitespace: what is left to escape can only be inside a string.
    let unescaped = { (scalar: Unicode.Scalar) in
      UntrustedText.isUnsafe(scalar) && scalar.value > 0x1F
    }
    let text = String(decoding: data, as: UTF8.self)
    guard text.unicodeScalars.contains(where: unescaped) else { return data }
    var escaped = ""
    for scalar in text.unicodeScalars {
      if unescaped(scalar) {
        escaped += String(format: "\\u%04x", scalar.value)
      } else {
        escaped.unicodeScalars.append(scalar)
      }
    }
    return Data(escaped.utf8)
  }

  private static func encoder(pretty: Bool) -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting =
      pretty
      ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
      : [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return encoder
  }
}
