import Foundation
import GRDB

/// Why the cache could not be opened or used.
public enum CacheError: Error, CustomStringConvertible, Equatable {
  /// No cache file at the path (read-only opening never creates one).
  case missing(path: String)
  /// The file was written by a newer factop whose schema this one does not know.
  case newerSchema(path: String)
  /// The file is not a factop cache, or SQLite refused it.
  case unusable(path: String, reason: String)

  public var description: String {
    switch self {
    case .missing(let path): "no cache at \(path) (run `factop poll` to fill one)"
    case .newerSchema(let path):
      "the cache at \(path) was written by a newer factop; upgrade factop or point --db elsewhere"
    case .unusable(let path, let reason): "cannot use the cache at \(path): \(reason)"
    }
  }
}

/// The local state cache: inventory, jobs, latest readings, time series and source health in one
/// SQLite file. One poller writes it (WAL); any number of cockpits, wallboards and snapshots read
/// it at the same time, read-only.
public final class StateCache: Sendable {
  public let path: String
  public let isReadOnly: Bool
  let database: any DatabaseWriter

  private init(path: String, isReadOnly: Bool, database: any DatabaseWriter) {
    self.path = path
    self.isReadOnly = isReadOnly
    self.database = database
  }

  /// Opens (creating if needed) the cache for writing and brings its schema up to date.
  public static func open(path: String) throws -> StateCache {
    let directory = (path as NSString).deletingLastPathComponent
    if !directory.isEmpty {
      try? FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true,
        attributes: [.posixPermissions: 0o700])
    }
    do {
      var configuration = Configuration()
      configuration.busyMode = .timeout(5)
      let pool = try DatabasePool(path: path, configuration: configuration)
      let migrator = Schema.migrator
      if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
        throw CacheError.newerSchema(path: path)
      }
      try migrator.migrate(pool)
      return StateCache(path: path, isReadOnly: false, database: pool)
    } catch let error as CacheError {
      throw error
    } catch {
      throw CacheError.unusable(path: path, reason: "\(error)")
    }
  }

  /// Opens an existing cache read-only: it never creates, migrates or writes anything.
  public static func openReadOnly(path: String) throws -> StateCache {
    guard FileManager.default.fileExists(atPath: path) else { throw CacheError.missing(path: path) }
    do {
      var configuration = Configuration()
      configuration.readonly = true
      configuration.busyMode = .timeout(5)
      let queue = try DatabaseQueue(path: path, configuration: configuration)
      if try queue.read({ try Schema.migrator.hasBeenSuperseded($0) }) {
        throw CacheError.newerSchema(path: path)
      }
      return StateCache(path: path, isReadOnly: true, database: queue)
    } catch let error as CacheError {
      throw error
    } catch {
      throw CacheError.unusable(path: path, reason: "\(error)")
    }
  }

  /// True once the schema exists (a read-only opening of a file no poller ever wrote is empty).
  func hasSchema(_ db: Database) throws -> Bool {
    try db.tableExists("meta")
  }
}
