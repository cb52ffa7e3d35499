import Foundation
import TerminalKit

/// Sends frames to a terminal: only the cells that changed since the last frame, and nothing
/// when nothing did. After a resize the next frame goes out whole.
struct FrameSender {
  let backend: any TerminalBackend
  private var previous: Buffer?

  init(backend: any TerminalBackend) {
    self.backend = backend
  }

  /// Whether the next frame must be drawn whatever changed.
  var needsFrame: Bool { previous == nil }

  mutating func send(_ frame: Buffer) {
    backend.draw(frame.changes(since: previous))
    previous = frame
  }

  /// Forgets what the terminal shows, after a resize.
  mutating func invalidate() { previous = nil }
}
