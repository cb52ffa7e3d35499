import Foundation
import Testing

@Suite struct SourcesCommandTests {
  /// A Prometheus that is not there: the source shows its error, its address without the
  /// password it was given, and the command exits 1.
  @Test func aFailingSourceShowsItsErrorAndNoSecret() throws {
    let folder = temporaryFolder()
    let config = folder.appendingPathComponent("config.toml")
    try """
    [[cluster]]
    name = "lab"
      [[cluster.source]]
      kind = "prometheus"
      url = "http://reader:hunter2@127.0.0.1:9"
      timeout_s = 1
    """.write(to: config, atomically: true, encoding: .utf8)
    let db = folder.appendingPathComponent("cache.sqlite").path
    let poll = try run(
      try factopBinary(), ["poll", "--once", "--config", config.path, "--db", db])
    #expect(poll.status == 1)
    let listed = try run(
      try factopBinary(), ["sources", "--json", "--config", config.path, "--db", db])
    #expect(listed.status == 1)
    let text = String(decoding: listed.stdout, as: UTF8.self)
    #expect(!text.contains("hunter2") && !poll.stderr.contains("hunter2"))
    let row = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(row["name"] as? String == "lab/prometheus" && row["status"] as? String == "error")
    #expect(row["target"] as? String == "http://127.0.0.1:9")
    #expect(row["error"] is String && row["age_s"] is NSNull)
  }
}
