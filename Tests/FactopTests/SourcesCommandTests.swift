import Foundation
import TestSupport
import Testing

@MainActor @Suite struct SourcesCommandTests {
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
    // The snapshot exits 1 too, and says why on standard error, the secret kept out.
    let snapshot = try run(
      try factopBinary(),
      ["snapshot", "--offline", "--format", "json", "--config", config.path, "--db", db])
    #expect(snapshot.status == 1)
    #expect(
      snapshot.stderr.contains("source lab/prometheus is failing (no data yet): "),
      "\(snapshot.stderr)")
    #expect(!snapshot.stderr.contains("hunter2"))
  }
}

@MainActor @Suite struct TLSVerificationTests {
  /// A source that skips TLS verification says so, in `factop sources` (table and JSON) and in
  /// the snapshot, beside one that verifies against its CA file and one over plain HTTP.
  @Test(.requires(RealServer.python))
  func aSourceThatSkipsVerificationSaysSo() async throws {
    let certificate = try RealServer.selfSignedCertificate()
    let script = repositoryRoot.appendingPathComponent("scripts/it/faulty_http.py").path
    let server = try await RealServer(
      RealServer.python, arguments: { [script, String($0), "--tls"] + certificate },
      ready: { RealServer.listens($0) })
    defer { server.stop() }
    let folder = temporaryFolder()
    let config = folder.appendingPathComponent("config.toml")
    try """
    [[cluster]]
    name = "lab"
      [[cluster.source]]
      kind = "prometheus"
      name = "checked"
      url = "https://127.0.0.1:\(server.port)/ok"
      ca_file = "\(certificate[0])"
      [[cluster.source]]
      kind = "prometheus"
      name = "unchecked"
      url = "https://127.0.0.1:\(server.port)/ok"
      insecure_skip_verify = true
      [[cluster.source]]
      kind = "prometheus"
      name = "plain"
      url = "http://127.0.0.1:\(server.port)/ok"
    """.write(to: config, atomically: true, encoding: .utf8)
    let db = folder.appendingPathComponent("cache.sqlite").path
    let common = ["--config", config.path, "--db", db]
    // The plain source meets a TLS server and fails: a failure does not hide how it connects.
    let poll = try run(try factopBinary(), ["poll", "--once"] + common)
    #expect(poll.status == 1, "\(poll.stderr)")

    let expected: [String: String?] = [
      "checked": "verified", "unchecked": "unverified", "plain": nil,
    ]
    let listed = try run(try factopBinary(), ["sources", "--json"] + common)
    let rows = try String(decoding: listed.stdout, as: UTF8.self).split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    #expect(tlsByName(rows) == expected)
    let table = String(
      decoding: try run(try factopBinary(), ["sources"] + common).stdout, as: UTF8.self)
    #expect(
      table.split(separator: "\n").contains {
        $0.hasPrefix("unchecked") && $0.contains("UNVERIFIED")
      }, "\(table)")

    let snapshot = try run(
      try factopBinary(), ["snapshot", "--offline", "--format", "json"] + common)
    let sources = try #require(
      (try JSONSerialization.jsonObject(with: snapshot.stdout) as? [String: Any])?["sources"]
        as? [[String: Any]])
    #expect(tlsByName(sources) == expected)
  }

  private func tlsByName(_ rows: [[String: Any]]) -> [String: String?] {
    Dictionary(
      rows.map { ($0["name"] as? String ?? "?", $0["tls"] as? String) },
      uniquingKeysWith: { a, _ in a })
  }
}
