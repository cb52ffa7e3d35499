import Foundation
import TestSupport
import Testing

@Suite struct SpawnTests {
  /// A server a test starts holds none of the test process's descriptors: had it kept the write
  /// end of a pipe another test reads to its end, that reader would wait for ever (a CI run hung
  /// so, with a Prometheus and two Python servers holding a `factop` command's output pipe).
  @Test func aSpawnedProgramHoldsOnlyItsStandardDescriptors() throws {
    var ends: [Int32] = [0, 0]
    try #require(pipe(&ends) == 0)
    defer { ends.forEach { close($0) } }
    let pid = try spawnWithEmptySignalMask(["sleep", "30"])
    defer {
      kill(pid, SIGKILL)
      var status: Int32 = 0
      waitpid(pid, &status, 0)
    }
    // posix_spawn returns once the program runs, its descriptors already settled.
    let held = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")
    #expect(Set(held) == ["0", "1", "2"])
  }
}
