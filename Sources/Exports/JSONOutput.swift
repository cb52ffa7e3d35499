import Foundation

/// The one JSON writer of every factop report: sorted keys, ISO-8601 UTC times, unescaped
/// slashes, pretty only for people.
public enum JSONOutput {
  public static func encode<T: Encodable>(_ value: T, pretty: Bool) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting =
      pretty
      ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
      : [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return try encoder.encode(value)
  }
}
