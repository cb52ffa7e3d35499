import Foundation

/// Decodes a source's JSON, turning a decoding failure into an `InputError` that names the
/// source and the JSON path (`jobs[3].job_state`) where the document stopped making sense.
public enum JSONInput {
  public static func decode<T: Decodable>(
    _ type: T.Type, from data: Data, source: String, snakeCase: Bool = true
  ) throws -> T {
    let decoder = JSONDecoder()
    if snakeCase { decoder.keyDecodingStrategy = .convertFromSnakeCase }
    do {
      return try decoder.decode(type, from: data)
    } catch let error as DecodingError {
      throw InputError(source: source, message: describe(error, snakeCase: snakeCase))
    }
  }

  static func describe(_ error: DecodingError, snakeCase: Bool) -> String {
    func path(_ keys: [any CodingKey]) -> String { Self.path(keys, snakeCase: snakeCase) }
    switch error {
    case .typeMismatch(let type, let context):
      return
        "at \(path(context.codingPath)): expected \(typeName(type)). \(context.debugDescription)"
    case .valueNotFound(let type, let context):
      return "at \(path(context.codingPath)): expected \(typeName(type)), found null"
    case .keyNotFound(let key, let context):
      return "at \(path(context.codingPath + [key])): missing"
    case .dataCorrupted(let context):
      let underlying = (context.underlyingError as NSError?)?.localizedDescription
      return "at \(path(context.codingPath)): not valid JSON"
        + (underlying.map { " (\($0))" } ?? "")
    @unknown default:
      return "\(error)"
    }
  }

  /// `jobs[3].job_state`, in the document's own spelling.
  static func path(_ keys: [any CodingKey], snakeCase: Bool) -> String {
    guard !keys.isEmpty else { return "the top level" }
    var text = ""
    for key in keys {
      if let index = key.intValue {
        text += "[\(index)]"
      } else {
        text +=
          (text.isEmpty ? "" : ".") + (snakeCase ? snakeCased(key.stringValue) : key.stringValue)
      }
    }
    return text
  }

  private static func typeName(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "a string"
    case is Int.Type, is Double.Type: "a number"
    case is Bool.Type: "true or false"
    default: "\(type)"
    }
  }

  /// Keys are decoded from snake case; paths are shown as the document spells them.
  private static func snakeCased(_ key: String) -> String {
    var out = ""
    for c in key {
      if c.isUppercase {
        out += "_" + c.lowercased()
      } else {
        out.append(c)
      }
    }
    return out
  }
}
