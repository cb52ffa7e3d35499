import Foundation
import Testing

@MainActor @Suite struct ImportCommandTests {
  let header =
    "BilledCost,EffectiveCost,ListCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName\n"

  func file(_ text: String) throws -> String {
    let url = temporaryFolder().appendingPathComponent("bill.csv")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  func billing(_ db: String) throws -> [String: Any]? {
    let result = try run(try factopBinary(), ["snapshot", "--offline", "--db", db])
    let json = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
    return json?["billing"] as? [String: Any]
  }

  @Test func aBillShowsInTheSnapshotAndABadFileChangesNothing() throws {
    let db = temporaryFolder().appendingPathComponent("cache.sqlite").path
    let good = try file(
      header + "0.10,0.10,0.10,USD,2024-09-18 22:00:00,2024-09-18 23:00:00,EC2\n"
        + "0.20,0.20,0.20,USD,2024-09-18 23:00:00,2024-09-19 00:00:00,S3\n")
    let imported = try run(try factopBinary(), ["import", "focus", good, "--db", db])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(String(decoding: imported.stdout, as: UTF8.self).contains("imported 2 charges"))
    let before = try #require(try billing(db))
    #expect(before["rows"] as? Int == 2)
    #expect((before["billed_cost"] as? NSNumber)?.decimalValue == Decimal(string: "0.3"))

    // A bad file exits 2, says where, and leaves the cache as it was.
    let bad = try file(header + "0.10,oops,0.10,USD,2024-09-18 22:00:00,2024-09-18 23:00:00,EC2\n")
    let refused = try run(try factopBinary(), ["import", "focus", bad, "--db", db])
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("\(bad) line 2 column EffectiveCost: \"oops\" is not a number"))
    #expect(try billing(db)?["rows"] as? Int == 2)

    // Importing the same file again replaces its rows rather than adding them twice.
    _ = try run(try factopBinary(), ["import", "focus", good, "--db", db])
    #expect(try billing(db)?["rows"] as? Int == 2)
  }
}

/// Bills that already buy managed AI: named in the snapshot and beside `factop model managed`'s
/// comparison, whether the bill says `ServiceCategory` or only the service's name.
@MainActor @Suite struct ManagedAIBillTests {
  @Test func managedAIServicesAreNamedByCategoryOrName() throws {
    let db = temporaryFolder().appendingPathComponent("cache.sqlite").path
    let bill = temporaryFolder().appendingPathComponent("bill.csv")
    try """
    BilledCost,EffectiveCost,ListCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory
    9.00,9.00,9.00,USD,2024-09-18 22:00:00,2024-09-18 23:00:00,Amazon Elastic Compute Cloud,Compute
    4.20,4.00,4.20,USD,2024-09-18 22:00:00,2024-09-18 23:00:00,Amazon SageMaker,NULL
    0.75,0.75,0.75,USD,2024-09-18 22:00:00,2024-09-18 23:00:00,Vertex AI,AI and Machine Learning
    0.50,0.50,0.50,USD,2024-09-18 22:00:00,2024-09-18 23:00:00,In-house Gateway,AI and Machine Learning

    """.write(to: bill, atomically: true, encoding: .utf8)
    let imported = try run(try factopBinary(), ["import", "focus", bill.path, "--db", db])
    #expect(imported.status == 0, "\(imported.stderr)")

    let snapshot = try run(try factopBinary(), ["snapshot", "--offline", "--db", db])
    let json = try JSONSerialization.jsonObject(with: snapshot.stdout) as? [String: Any]
    let billing = try #require(json?["billing"] as? [String: Any])
    let managed = try #require(billing["managed_ai"] as? [[String: Any]])
    #expect(
      managed.map { $0["service"] as? String } == [
        "Amazon SageMaker", "Vertex AI", "In-house Gateway",
      ])
    #expect((managed.first?["effective_cost"] as? NSNumber)?.decimalValue == 4)

    let answer = try run(
      try factopBinary(), ["model", "managed", "--offline", "--format", "json", "--db", db])
    let comparison = try #require(
      try JSONSerialization.jsonObject(with: answer.stdout) as? [String: Any])
    #expect(
      (comparison["billed_managed_ai"] as? [[String: Any]])?.count == 3, "\(answer.stderr)")
    #expect(comparison["bill_currency"] as? String == "USD")
  }
}

/// A node's BMC power from the DMTF mockup, reconciled against its GPUs.
@MainActor
@Suite(
  .enabled(
    if: FileManager.default.fileExists(
      atPath: repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/redfish/public-rackmount1").path),
    "shared/fixtures is absent"))
struct ImportRedfishTests {
  let mockup = repositoryRoot.deletingLastPathComponent()
    .appendingPathComponent("shared/fixtures/redfish/public-rackmount1")

  @Test func aBMCReadingBecomesTheNodesPowerAndAGPUSumAboveItIsFlagged() throws {
    let db = temporaryFolder().appendingPathComponent("cache.sqlite").path
    _ = try run(try factopBinary(), ["poll", "--once", "--db", db, "--sim-gpus", "256"])
    let imported = try run(
      try factopBinary(),
      ["import", "redfish", mockup.path, "--node", "gpu-a0001", "--db", db, "--sim-gpus", "256"])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(
      String(decoding: imported.stdout, as: UTF8.self)
        == "imported gpu-a0001: 374 W from EnvironmentMetrics.PowerWatts\n")
    let snapshot = try run(
      try factopBinary(), ["snapshot", "--offline", "--db", db, "--sim-gpus", "256"])
    let json = try #require(
      try JSONSerialization.jsonObject(with: snapshot.stdout) as? [String: Any])
    let node = (json["nodes"] as? [[String: Any]])?.first { $0["name"] as? String == "gpu-a0001" }
    #expect(node?["power_w"] as? Double == 374)
    // Eight busy H100s draw far more than 374 W: the chain is out of order, and says where.
    let power = try run(
      try factopBinary(),
      ["snapshot", "--offline", "--format", "csv", "--view", "power", "--db", db])
    let rows = String(decoding: power.stdout, as: UTF8.self).split(separator: "\r\n")
    #expect(rows.contains { $0.hasPrefix("node,gpu-a0001,") && $0.hasSuffix(",1") })

    // A file that is no Redfish power resource exits 2 and changes nothing.
    let refused = try run(
      try factopBinary(),
      [
        "import", "redfish", mockup.appendingPathComponent("Chassis/index.json").path, "--node",
        "gpu-a0002", "--db", db,
      ])
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("no power reading"))
  }
}

@MainActor @Suite struct ImportOpenCostTests {
  @Test func savedAllocationsShowInTheSnapshot() throws {
    let db = temporaryFolder().appendingPathComponent("cache.sqlite").path
    let recorded = repositoryRoot.appendingPathComponent(
      "Tests/FeedsTests/Recorded/opencost-allocation-compute.json")
    let imported = try run(try factopBinary(), ["import", "opencost", recorded.path, "--db", db])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(
      String(decoding: imported.stdout, as: UTF8.self).hasPrefix("imported 3 allocations from"))
    let snapshot = try run(try factopBinary(), ["snapshot", "--offline", "--db", db])
    #expect(try validateAgainstSnapshotSchema(snapshot.stdout) == nil)
    let json = try #require(
      try JSONSerialization.jsonObject(with: snapshot.stdout) as? [String: Any])
    let opencost = try #require(json["opencost"] as? [String: Any])
    #expect(opencost["allocations"] as? Int == 3)
    #expect(opencost["total_cost"] as? Double == 12_694.27)

    let bad = temporaryFolder().appendingPathComponent("bad.json")
    try #"{"code": 200, "data": [{"x": {}}]}"#.write(to: bad, atomically: true, encoding: .utf8)
    let refused = try run(try factopBinary(), ["import", "opencost", bad.path, "--db", db])
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("\(bad.path) column data[0].x.totalCost"))
  }
}
