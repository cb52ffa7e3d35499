import Foundation
import Testing

/// What a person sees when the cache is damaged or from a newer factop, through the binary.
@MainActor @Suite struct CacheRecoveryTests {
  @Test func aDamagedCacheIsMovedAsideAndRebuiltByThePoller() throws {
    let folder = temporaryFolder()
    let db = folder.appendingPathComponent("cache.sqlite").path
    let first = try run(try factopBinary(), ["poll", "--once", "--db", db, "--sim-gpus", "256"])
    #expect(first.status == 0, "\(first.stderr)")
    // Garbage over the middle of the file, as a failing disk leaves it.
    let handle = try #require(FileHandle(forUpdatingAtPath: db))
    let size = try handle.seekToEnd()
    try handle.seek(toOffset: size / 3)
    handle.write(Data(repeating: 0xA5, count: Int(size / 3)))
    try handle.close()

    // A reader says what is wrong and changes nothing.
    let reader = try run(try factopBinary(), ["snapshot", "--offline", "--db", db])
    #expect(reader.status == 2 && reader.stderr.contains(db), "\(reader.stderr)")
    // The poller moves it aside, says where, and starts again.
    let again = try run(try factopBinary(), ["poll", "--once", "--db", db, "--sim-gpus", "256"])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stderr.contains("was damaged") && again.stderr.contains(".corrupt-"))
    let aside = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
      $0.hasPrefix("cache.sqlite.corrupt-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm")
    }
    #expect(aside.count == 1)
    let snapshot = try run(try factopBinary(), ["snapshot", "--offline", "--db", db])
    #expect(snapshot.status == 0, "\(snapshot.stderr)")
  }
}
