import Foundation

/// A source that does not answer within its timeout.
public struct FeedTimeout: Error, CustomStringConvertible {
  public let seconds: Double
  public var description: String { "no answer within \(seconds.formatted()) s" }
}

/// Runs `operation`, giving up after `seconds`.
public func withTimeout<T: Sendable>(
  seconds: Double, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
  try await withThrowingTaskGroup(of: T.self) { group in
    group.addTask { try await operation() }
    group.addTask {
      try await Task.sleep(for: .seconds(seconds))
      throw FeedTimeout(seconds: seconds)
    }
    defer { group.cancelAll() }
    return try await group.next()!
  }
}
