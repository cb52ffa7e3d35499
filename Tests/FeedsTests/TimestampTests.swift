import Feeds
import Foundation
import Testing

@Suite struct TimestampTests {
  let noon = Date(timeIntervalSince1970: 1_769_083_200)  // 2026-01-22T12:00:00Z

  @Test func zonedTimesWithOffsetsAndFractions() {
    #expect(Timestamp.withZone("2026-01-22T12:00:00Z") == noon)
    #expect(Timestamp.withZone("2026-01-22T14:00:00+02:00") == noon)
    #expect(Timestamp.withZone("2026-01-22T12:00:00.250Z").map { $0 >= noon } == true)
    #expect(Timestamp.withZone("2026-01-22T12:00:00") == nil)
  }

  @Test func zonelessTimesAreReadInTheZoneGiven() {
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    #expect(Timestamp.withoutZone("2026-01-22T13:00:00", in: berlin) == noon)
    #expect(Timestamp.withoutZone("2026-01-22T12:00:00", in: .gmt) == noon)
    #expect(Timestamp.date("2026-01-22") == noon.addingTimeInterval(-12 * 3_600))
  }

  @Test func onlyTheWholeTextIsATime() {
    #expect(Timestamp.withZone("2026-01-22T12:00:00Zjunk") == nil)
    #expect(Timestamp.withoutZone("2026-01-22T12:00:00Z", in: .gmt) == nil)
    #expect(Timestamp.date("2026-01-22T12:00:00Z") == nil)
    #expect(Timestamp.withZone("2026-13-45T99:99:99Z") == nil)
  }

  /// libFuzzer's find: Foundation's DateFormatter trapped ("Incorrect range") on a squeue start
  /// time with a combining mark in it; the time now reads as unknown.
  @Test func aCombiningMarkInsideADateIsUnknownNotACrash() throws {
    let start = "2026-01-2\u{0367}10:00:\u{FFFD}0"
    #expect(Timestamp.withoutZone(start, in: .current) == nil)
    let jobs = try SlurmText.squeueJobs(
      "17|RUNNING|2|gres/gpu:8|n[1-2]|\(start)|ada|llm|batch|1:00:00|train", source: "squeue")
    #expect(jobs.count == 1 && jobs[0].start == nil)
  }
}
