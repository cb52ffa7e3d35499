import Foundation
import Testing

/// The newcomer's path: the demo first, in the default cache, then a real cluster in the
/// config. What is shown is then the configured cluster alone, and the snapshot exits 0.
@MainActor @Suite struct NewcomerPathTests {
  @Test func aConfiguredClusterReplacesTheDemoInTheSameCache() throws {
    let folder = temporaryFolder()
    let db = folder.appendingPathComponent("cache.sqlite").path
    let demo = try factop(["snapshot", "--format", "json", "--sim-gpus", "256"], db: db)
    #expect(demo.status == 0, "\(demo.stderr)")

    // One H100 host seen through a command source (a stand-in for nvidia-smi).
    let smi = folder.appendingPathComponent("nvidia-smi")
    try writeFakeNvidiaSMI(
      to: smi,
      gpus: [
        "GPU-00000000-0000-0000-0000-000000000001, 0, 81559, 1000, 42, 300.00, 700.00, 50, 1980, "
          + "2619, Disabled, NVIDIA H100 80GB HBM3, 00000000:1B:00.0"
      ])
    let config = folder.appendingPathComponent("config.toml")
    try """
    [[cluster]]
    name = "lab"
    [[cluster.source]]
    kind = "nvidia-smi"
    command = "\(smi.path)"
    node = "box1"
    """.write(to: config, atomically: true, encoding: .utf8)

    let real = try factop(["snapshot", "--format", "json", "--config", config.path], db: db)
    #expect(real.status == 0, "\(real.stderr)")
    #expect(real.stderr.contains("source demo is no longer configured"), "\(real.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: real.stdout) as? [String: Any])
    let clusters = try #require(json["clusters"] as? [[String: Any]])
    #expect(clusters.compactMap { $0["name"] as? String } == ["lab"])
    let sources = try #require(json["sources"] as? [[String: Any]])
    #expect(sources.compactMap { $0["name"] as? String } == ["lab/nvidia-smi"])
    let gpus = try #require(json["gpus"] as? [[String: Any]])
    #expect(gpus.count == 1 && gpus.first?["pci_bus_id"] as? String == "00000000:1B:00.0")
    // The demo's failures and findings went with its history.
    let incidents = try #require(json["incidents"] as? [String: Any])
    #expect((incidents["incidents"] as? [Any])?.isEmpty == true, "\(incidents)")
    #expect(((json["ledger"] as? [String: Any])?["entries"] as? [Any])?.isEmpty == true)

    // Said once: the next reads are quiet, and still show the configured cluster alone.
    let again = try factop(
      ["snapshot", "--offline", "--format", "json", "--config", config.path], db: db)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(!again.stderr.contains("no longer configured"))
    let later = try #require(try JSONSerialization.jsonObject(with: again.stdout) as? [String: Any])
    #expect((later["fleet"] as? [String: Any])?["gpus_total"] as? Int == 1)
  }
}
