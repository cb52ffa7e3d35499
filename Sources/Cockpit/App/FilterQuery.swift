import Foundation

/// The `/` filter: space-separated terms `FIELD OP VALUE`, all of which must hold, with OP one of
/// `=` `!=` `<` `<=` `>` `>=` and `~` (contains, case-insensitive). Numbers compare as numbers;
/// an unknown value never matches a comparison.
public struct FilterQuery: Sendable, Equatable {
  public enum Operator: String, Sendable, CaseIterable {
    // Two-character operators first, so `<=` is not read as `<` and `=…`.
    case notEqual = "!=", atMost = "<=", atLeast = ">=", equal = "=", below = "<", above = ">"
    case contains = "~"
  }

  public struct Term: Sendable, Equatable {
    public let field: String
    public let op: Operator
    public let value: String
  }

  public let text: String
  public let terms: [Term]

  /// Parses `text` against the fields a view offers; the error says at which column (0-based)
  /// the query went wrong.
  public static func parse(_ text: String, fields: [String]) throws(PromptError) -> FilterQuery {
    var terms: [Term] = []
    var offset = 0
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
      defer { offset += word.count + 1 }
      guard !word.isEmpty else { continue }
      // The operator is the first one in the word (the longer one where two start together).
      let found = Operator.allCases.compactMap { op in word.range(of: op.rawValue).map { (op, $0) }
      }
      guard
        let (op, range) = found.min(by: { a, b in
          a.1.lowerBound != b.1.lowerBound
            ? a.1.lowerBound < b.1.lowerBound : a.0.rawValue.count > b.0.rawValue.count
        })
      else {
        throw PromptError(
          column: offset, message: "\"\(word)\" needs an operator: = != < <= > >= ~")
      }
      let field = String(word[..<range.lowerBound]).lowercased()
      let value = String(word[range.upperBound...])
      guard fields.contains(field) else {
        throw PromptError(
          column: offset,
          message: "unknown field \"\(field)\" (fields: \(fields.joined(separator: " ")))")
      }
      guard !value.isEmpty else {
        throw PromptError(
          column: offset + word.count, message: "\(field)\(op.rawValue) needs a value")
      }
      terms.append(Term(field: field, op: op, value: value))
    }
    return FilterQuery(text: text, terms: terms)
  }

  /// Whether a row whose fields read as `value(field)` passes every term.
  func matches(_ value: (String) -> SortKey) -> Bool {
    terms.allSatisfy { term in
      switch value(term.field) {
      case .number(let number):
        guard let number else { return false }
        if term.op == .contains { return String(number).contains(term.value) }
        guard let wanted = Double(term.value) else { return false }
        return Self.compare(number, term.op, wanted)
      case .text(let text):
        if term.op == .contains { return text.localizedCaseInsensitiveContains(term.value) }
        let order = text.localizedStandardCompare(term.value)
        switch term.op {
        case .equal: return order == .orderedSame
        case .notEqual: return order != .orderedSame
        case .below: return order == .orderedAscending
        case .atMost: return order != .orderedDescending
        case .above: return order == .orderedDescending
        case .atLeast: return order != .orderedAscending
        case .contains: return false
        }
      }
    }
  }

  private static func compare(_ a: Double, _ op: Operator, _ b: Double) -> Bool {
    switch op {
    case .equal: a == b
    case .notEqual: a != b
    case .below: a < b
    case .atMost: a <= b
    case .above: a > b
    case .atLeast: a >= b
    case .contains: false
    }
  }
}
