import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Only one process may poll into a cache at a time: an advisory lock on `<cache>.lock`, held for
/// the poller's life and released by the kernel if it dies.
public final class PollLock: Sendable {
  private let descriptor: Int32
  public let path: String

  private init(descriptor: Int32, path: String) {
    self.descriptor = descriptor
    self.path = path
  }

  /// Takes the lock for the cache at `cachePath`, or returns nil when another poller holds it.
  public static func acquire(forCacheAt cachePath: String) throws -> PollLock? {
    let path = cachePath + ".lock"
    // On a first run the cache's folder may not exist yet; the lock is the first file in it.
    let folder = (cachePath as NSString).deletingLastPathComponent
    if !folder.isEmpty {
      try? FileManager.default.createDirectory(
        atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw PollLockError(path: path, reason: String(cString: strerror(errno)))
    }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      close(fd)
      return nil
    }
    return PollLock(descriptor: fd, path: path)
  }

  deinit {
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}

public struct PollLockError: Error, CustomStringConvertible {
  public let path: String
  public let reason: String
  public var description: String { "cannot open the poll lock \(path): \(reason)" }
}
