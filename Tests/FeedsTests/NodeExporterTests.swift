import Feeds
import FleetModel
import Foundation
import TestSupport
import Testing

let nodeExporter = "/usr/bin/prometheus-node-exporter"

/// A real node exporter reading `sysfs` with only `collectors` on, and a feed of it for the node
/// `gpu-a0001`.
func nodeExporterFeed(sysfs: URL, collectors: [String]) async throws
  -> (RealServer, NodeExporterFeed)
{
  let server = try await RealServer(
    nodeExporter,
    arguments: {
      [
        "--web.listen-address=127.0.0.1:\($0)", "--path.sysfs=\(sysfs.path)",
        "--collector.disable-defaults",
      ] + collectors.map { "--collector.\($0)" }
    }, ready: { RealServer.answers("http://127.0.0.1:\($0)/metrics") })
  do {
    let service = try HTTPSource(
      base: "http://127.0.0.1:\(server.port)", user: nil, password: nil, caFile: nil)
    return (
      server, NodeExporterFeed(intervalS: 10, targets: [.init(node: "gpu-a0001", service: service)])
    )
  } catch {
    server.stop()
    throw error
  }
}

/// Node power from a real node exporter reading a fake sysfs (the sandbox has no hwmon or
/// powercap of its own): the recipe of ../shared/guides/real-servers.md §6.
@Suite(
  .serialized,
  .requires(nodeExporter))
struct NodeExporterTests {
  func fakeSysfs() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-sysfs-\(UUID().uuidString)")
    func write(_ path: String, _ text: String) throws {
      let file = root.appendingPathComponent(path)
      try FileManager.default.createDirectory(
        at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
      try (text + "\n").write(to: file, atomically: true, encoding: .utf8)
    }
    try write("class/hwmon/hwmon0/name", "acpi_power_meter")
    try write("class/hwmon/hwmon0/power1_input", "512000000")  // µW
    try write("class/hwmon/hwmon0/power1_label", "Node Power")
    try write("class/powercap/intel-rapl:0/name", "package-0")
    try write("class/powercap/intel-rapl:0/energy_uj", "123456789")
    try write("class/powercap/intel-rapl:0/max_energy_range_uj", "262143328850")
    return root
  }

  @Test func hwmonFirstThenRAPLAsARateBetweenScrapes() async throws {
    let sysfs = try fakeSysfs()
    let (server, feed) = try await nodeExporterFeed(sysfs: sysfs, collectors: ["hwmon", "rapl"])
    defer { server.stop() }
    let t0 = Date()
    let hwmon = try await feed.poll(at: t0).meters
    #expect(hwmon.map(\.watts) == [512] && hwmon.first?.via == "node_exporter hwmon")
    #expect(hwmon.first?.target == "gpu-a0001")

    // Without a power meter, RAPL: nothing on the first scrape, then joules over seconds.
    try FileManager.default.removeItem(at: sysfs.appendingPathComponent("class/hwmon/hwmon0"))
    #expect(try await feed.poll(at: t0.addingTimeInterval(10)).meters.isEmpty)
    try "223456789\n".write(
      to: sysfs.appendingPathComponent("class/powercap/intel-rapl:0/energy_uj"), atomically: true,
      encoding: .utf8)
    let rapl = try await feed.poll(at: t0.addingTimeInterval(20)).meters
    // 100 J more in 10 s.
    #expect(rapl.count == 1 && abs((rapl.first?.watts ?? 0) - 10) < 1e-9)
    #expect(rapl.first?.via == "node_exporter RAPL (CPU and DRAM only)")
  }
}
