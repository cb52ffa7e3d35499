/// An optional that encodes as JSON `null` when absent, instead of dropping the key: the
/// snapshot's consumers rely on every key being present, and unknown must read as `null`.
@propertyWrapper
public struct Null<Value: Encodable & Sendable & Equatable>: Encodable, Sendable, Equatable {
  public var wrappedValue: Value?

  public init(wrappedValue: Value?) {
    self.wrappedValue = wrappedValue
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    if let wrappedValue {
      try container.encode(wrappedValue)
    } else {
      try container.encodeNil()
    }
  }
}
