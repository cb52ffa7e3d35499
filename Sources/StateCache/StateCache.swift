import Foundation
import GRDB

#if canImport(Glibc)
  import Glibc
#endif

/// Why the cache could not be opened or used.
public enum CacheError: Error, CustomStringConvertible, Equatable {
  /// No cache file at the path (read-only opening never creates one).
  case missing(path: String)
  /// The file was written by a newer factop whose schema this one does not know.
  case newerSchema(path: String)
  /// The file is not a factop cache, or SQLite refused it.
  case unusable(path: String, reason: String)
  /// The file is damaged (torn by a crash or a full disk, truncated, overwritten): SQLite's
  /// integrity check says so. The one poller may move it aside and start afresh.
  case corrupt(path: String, reason: String)
  /// A write failed for lack of room or permission: the data already there is kept and shown.
  case notWritable(path: String, reason: String)

  public var description: String {
    switch self {
    case .missing(let path): "no cache at \(path) (run `factop poll` to fill one)"
    case .newerSchema(let path):
      "the cache at \(path) was written by a newer factop; upgrade factop or point --db elsewhere"
    case .unusable(let path, let reason): "cannot use the cache at \(path): \(reason)"
    case .corrupt(let path, let reason): "the cache at \(path) is damaged: \(reason)"
    case .notWritable(let path, let reason):
      "cache not writable (\(path)): \(reason); the last data written stays shown"
    }
  }

  /// What SQLite's `error` says of the file at `path`: damaged, or (`writing`) out of room or
  /// permission; nil when it says nothing about the file.
  static func of(_ error: DatabaseError, path: String, writing: Bool = false) -> CacheError? {
    switch error.resultCode {
    case .SQLITE_CORRUPT, .SQLITE_NOTADB:
      .corrupt(path: path, reason: error.message ?? "\(error.resultCode)")
    case .SQLITE_FULL where writing: .notWritable(path: path, reason: "disk full")
    case .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM:
      writing ? .notWritable(path: path, reason: error.message ?? "\(error.resultCode)") : nil
    default: nil
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

  /// The cache file's size with its write-ahead log, in bytes; nil where it cannot be read.
  public var sizeBytes: Int? {
    let sizes = [path, path + "-wal"].compactMap {
      (try? FileManager.default.attributesOfItem(atPath: $0))?[.size] as? Int
    }
    return sizes.isEmpty ? nil : sizes.reduce(0, +)
  }

  private init(path: String, isReadOnly: Bool, database: any DatabaseWriter) {
    self.path = path
    self.isReadOnly = isReadOnly
    self.database = database
  }

  /// Opens (creating if needed, mode 0600) the cache for writing, checks it is whole and brings
  /// its schema up to date. `pageLimit` caps the file at that many pages: what a full disk
  /// looks like to SQLite, for the tests that check factop survives one.
  public static func open(path: String, pageLimit: Int? = nil) throws -> StateCache {
    let directory = (path as NSString).deletingLastPathComponent
    if !directory.isEmpty {
      try? FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true,
        attributes: [.posixPermissions: 0o700])
    }
    // Where it cannot be created, opening it below says why.
    createPrivately(path)
    do {
      var configuration = Configuration()
      configuration.busyMode = .timeout(5)
      if let pageLimit {
        configuration.prepareDatabase {
          try $0.execute(sql: "PRAGMA max_page_count = \(pageLimit)")
        }
      }
      let pool = try whileAnotherOpens {
        try DatabasePool(path: path, configuration: configuration)
      }
      let check = try pool.read { try String.fetchOne($0, sql: "PRAGMA quick_check") }
      guard check == "ok" else {
        throw CacheError.corrupt(path: path, reason: check ?? "the integrity check said nothing")
      }
      let migrator = Schema.migrator
      if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
        throw CacheError.newerSchema(path: path)
      }
      try migrate(pool, with: migrator)
      return StateCache(path: path, isReadOnly: false, database: pool)
    } catch let error as CacheError {
      throw error
    } catch let error as DatabaseError {
      throw CacheError.of(error, path: path) ?? .unusable(path: path, reason: "\(error)")
    } catch {
      throw CacheError.unusable(path: path, reason: "\(error)")
    }
  }

  /// Opening a new cache turns it to WAL mode, which SQLite refuses at once (no busy wait)
  /// while another process does the same: a poller and an import started together. Tried
  /// again for as long as a write waits for the lock.
  private static func whileAnotherOpens<T>(_ open: () throws -> T) throws -> T {
    for _ in 0..<50 {
      do {
        return try open()
      } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
        Thread.sleep(forTimeInterval: 0.1)
      }
    }
    return try open()
  }

  /// Brings the schema up to date. GRDB reads which migrations are applied before running each
  /// in its own transaction, so two processes opening a new cache at once can both try the
  /// same one, and the second fails. A failure while the other process is applying migrations
  /// (more are applied than before) is taken up again from what is applied now; any other
  /// failure is the cache's.
  private static func migrate(_ pool: DatabasePool, with migrator: DatabaseMigrator) throws {
    while true {
      let before = try pool.read { try migrator.appliedIdentifiers($0) }
      do {
        try migrator.migrate(pool)
        return
      } catch {
        let after = try pool.read { try migrator.appliedIdentifiers($0) }
        guard after.count > before.count else { throw error }
      }
    }
  }

  /// Moves a damaged cache (and its -wal and -shm) aside to `<path>.corrupt-<unix time>`, so a
  /// new one can start in its place and nothing is deleted; returns where it went. Only the
  /// process holding the poll lock may do this.
  public static func moveAside(path: String, at time: Date) throws -> String {
    let aside = "\(path).corrupt-\(Int(time.timeIntervalSince1970))"
    for suffix in ["", "-wal", "-shm"]
    where FileManager.default.fileExists(atPath: path + suffix) {
      try FileManager.default.moveItem(atPath: path + suffix, toPath: aside + suffix)
    }
    return aside
  }

  /// Runs a read; a file found damaged on the way becomes `CacheError.corrupt`, naming it.
  func read<T>(_ value: (Database) throws -> T) throws -> T {
    do {
      return try database.read(value)
    } catch let error as DatabaseError {
      throw CacheError.of(error, path: path) ?? error
    }
  }

  /// Runs a write transaction; a write refused for lack of room or permission becomes
  /// `CacheError.notWritable`, which the poller reports as the cache's state.
  func write<T>(_ updates: (Database) throws -> T) throws -> T {
    do {
      return try database.write(updates)
    } catch let error as DatabaseError {
      throw CacheError.of(error, path: path, writing: true) ?? error
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
  /// A schema an older factop left, which only the poller upgrades, cannot be read.
  func hasSchema(_ db: Database) throws -> Bool {
    guard try db.tableExists("meta") else { return false }
    guard try Schema.migrator.hasCompletedMigrations(db) else {
      throw CacheError.unusable(
        path: path, reason: "an older factop wrote it; `factop poll` upgrades it when it next runs")
    }
    return true
  }
}

/// Creates an empty file at `path`, mode 0600, before SQLite opens it (SQLite gives its -wal
/// and -shm the same mode). Only where no file is (O_EXCL): another process may be opening the
/// same new cache at this moment, and `FileManager.createFile` would replace the file it is
/// writing.
private func createPrivately(_ path: String) {
  let created = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
  if created >= 0 { close(created) }
}
