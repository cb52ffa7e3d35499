import Synchronization

/// What a poll read from its source (HTTP bodies, command output), counted for factop's own
/// telemetry: the poller gives each poll a counter, and the readers below the feeds add to it,
/// whichever feed called them.
public final class BytesRead: Sendable {
  private let total = Atomic<Int>(0)

  public init() {}

  public var count: Int { total.load(ordering: .relaxed) }

  /// The counter of the poll this task works for; nil outside one.
  @TaskLocal public static var current: BytesRead?

  static func add(_ bytes: Int) {
    current?.total.add(bytes, ordering: .relaxed)
  }
}
