import Foundation

/// A Slurm number in any release's spelling: a plain int or float (22.05), `null` (22.05's
/// "unlimited"), or `{set, infinite, number}` (23.02 on). Unset is not 0.
public enum SlurmNumber: Decodable, Sendable, Hashable {
  case value(Double)
  case infinite
  case unset

  public init(from decoder: any Decoder) throws {
    let single = try decoder.singleValueContainer()
    if single.decodeNil() {
      self = .unset
    } else if let number = try? single.decode(Double.self) {
      self = .value(number)
    } else {
      let parts = try decoder.container(keyedBy: Keys.self)
      if try parts.decodeIfPresent(Bool.self, forKey: .infinite) == true {
        self = .infinite
      } else if try parts.decodeIfPresent(Bool.self, forKey: .set) == false {
        self = .unset
      } else if let number = try parts.decodeIfPresent(Double.self, forKey: .number) {
        self = .value(number)
      } else {
        self = .unset
      }
    }
  }

  private enum Keys: String, CodingKey { case set, infinite, number }

  public var number: Double? {
    if case .value(let v) = self { v } else { nil }
  }

  /// As a time: Slurm writes 0 for "not yet".
  public var date: Date? {
    number.flatMap { $0 > 0 ? Date(timeIntervalSince1970: $0) : nil }
  }
}

/// A state that is a string (`"RUNNING"`, 22.05 and 23.02) or an array (`["IDLE","DRAIN"]`,
/// 23.11 on), as upper-case words.
public struct SlurmStates: Decodable, Sendable, Hashable {
  public let words: [String]

  public init(_ words: [String]) { self.words = words.map { $0.uppercased() } }

  public init(from decoder: any Decoder) throws {
    let single = try decoder.singleValueContainer()
    if let text = try? single.decode(String.self) {
      self.init(text.split(separator: "+").map(String.init))
    } else {
      self.init(try single.decode([String].self))
    }
  }
}

/// What every slurmctld, slurmdbd and slurmrestd answer carries besides its data.
struct SlurmMessage: Decodable {
  let error: String?
  let description: String?

  var text: String? {
    [description, error].compactMap { $0 }.filter { !$0.isEmpty }.first
  }
}

/// A Slurm answer that reports errors: 22.05's slurmrestd answers HTTP 200 with
/// `errors: [{"error": "Protocol authentication error"}]` and no data.
public struct SlurmAnswerError: Error, CustomStringConvertible, Equatable {
  public let source: String
  public let messages: [String]
  public var description: String { "\(source): Slurm says: \(messages.joined(separator: "; "))" }
}

extension [SlurmMessage]? {
  func check(source: String) throws {
    let messages = (self ?? []).compactMap(\.text)
    if !messages.isEmpty { throw SlurmAnswerError(source: source, messages: messages) }
  }
}
