import Feeds
import FleetModel
import Foundation
import TestSupport
import Testing

/// InfiniBand ports from node exporter's infiniband collector, pinned by node exporter's own
/// expected output and read from a real node exporter over its fixture sysfs tree
/// (../shared/fixtures/infiniband/).
@Suite(
  .serialized,
  .enabled(
    if: FileManager.default.fileExists(atPath: fixtures.appendingPathComponent("infiniband").path),
    "shared/fixtures is absent"))
struct InfiniBandTests {
  let folder = fixtures.appendingPathComponent("infiniband")
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  @Test func theExpectedOutputReadsAsThreePorts() throws {
    let text = try String(
      contentsOf: folder.appendingPathComponent("node_exporter-e2e-output-infiniband.txt"),
      encoding: .utf8)
    let ports = FabricPort.parse(text, node: "n1", at: Date(timeIntervalSince1970: 0))
    #expect(ports.map(\.name) == ["i40iw0/1", "mlx4_0/1", "mlx4_0/2"])
    let first = ports[1]
    #expect(first.state == "ACTIVE" && first.physicalState == "LinkUp")
    #expect(first.rateBytesPerS == 5e9 && first.linkDownedTotal == 0)
    #expect(first.receiveErrorsTotal == 0 && first.linkErrorRecoveryTotal == 0)
    // Port 2 keeps no error counters, and i40iw0 none at all (`N/A (no PMA)`): unknown, not 0.
    #expect(ports[2].receiveErrorsTotal == nil && ports[2].linkDownedTotal == 0)
    #expect(ports[0].linkDownedTotal == nil && ports[0].rateBytesPerS == 1.25e9)
    // One scrape has no rates yet.
    #expect(ports.allSatisfy { $0.receivedBytesPerS == nil && !$0.isFlapping })
  }

  @Test func theOtherSpellingsOfReceiveAndSymbolErrorsRead() {
    let text = """
      node_infiniband_port_receive_errors_total{device="mlx5_0",port="1"} 12
      node_infiniband_symbol_error_total{device="mlx5_0",port="1"} 4
      node_infiniband_state_id{device="mlx5_0",port="1"} 1
      """
    let port = FabricPort.parse(text, node: "n1", at: Date(timeIntervalSince1970: 0))
    #expect(port.map(\.receiveErrorsTotal) == [12] && port.map(\.symbolErrorsTotal) == [4])
    #expect(port.first?.state == "DOWN" && port.first?.linkDownedTotal == nil)
  }

  @Test(.requires(nodeExporter))
  func aRealNodeExporterShowsTrafficAndAFlappingLink() async throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-ib-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    // The archive's InfiniBand tree, unpacked by the script the reference factory uses.
    let sysfs = root.appendingPathComponent("sys")
    let unpacked = try runToEnd(
      [
        "/usr/bin/env", "python3",
        Self.repository.appendingPathComponent("scripts/it/ttar.py").path,
        folder.appendingPathComponent("node_exporter-sys.ttar").path, sysfs.path,
        "sys/class/infiniband", "sys/",
      ], directory: nil, timeoutS: 30)
    try #require(unpacked.status == 0, "\(unpacked.output)")
    let (server, feed) = try await nodeExporterFeed(sysfs: sysfs, collectors: ["infiniband"])
    defer { server.stop() }
    let t0 = Date()
    let first = try await feed.poll(at: t0).fabric
    #expect(first.map(\.name) == ["i40iw0/1", "mlx4_0/1", "mlx4_0/2"])
    #expect(first.allSatisfy { $0.node == "gpu-a0001" })
    #expect(first[1].state == "ACTIVE" && first[1].rateBytesPerS == 5e9)
    #expect(first.allSatisfy { $0.receivedBytesPerS == nil && !$0.isFlapping })

    // Ten seconds later: 250,000 more words received (the kernel counts 4-octet words) and the
    // link went down once and came back.
    let counters = sysfs.appendingPathComponent("class/infiniband/mlx4_0/ports/1/counters")
    try "4881917\n".write(
      to: counters.appendingPathComponent("port_rcv_data"), atomically: true, encoding: .utf8)
    try "1\n".write(
      to: counters.appendingPathComponent("link_downed"), atomically: true, encoding: .utf8)
    // And twenty more errors on the wire: two a second.
    let before = try #require(first.first { $0.name == "mlx4_0/1" })
    try "\(Int(before.receiveErrorsTotal ?? 0) + 20)\n".write(
      to: counters.appendingPathComponent("port_rcv_errors"), atomically: true, encoding: .utf8)
    let second = try await feed.poll(at: t0.addingTimeInterval(10)).fabric
    let port = try #require(second.first { $0.name == "mlx4_0/1" })
    #expect(port.receivedBytesPerS == 100_000)
    #expect(port.transmittedBytesPerS == 0)
    #expect(port.linkDownedTotal == 1 && port.linkDownedNew == 1 && port.isFlapping)
    #expect(second.filter(\.isFlapping).map(\.name) == ["mlx4_0/1"])
    #expect(port.errorsPerS == 2 && port.isErroring)
    #expect(second.filter(\.isErroring).map(\.name) == ["mlx4_0/1"])
  }
}
