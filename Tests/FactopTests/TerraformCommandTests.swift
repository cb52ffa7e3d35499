import FleetSim
import Foundation
import Testing

/// `[[terraform]] state = PATH` end to end: the state is a source the poller reads, and the
/// savings of the demo fleet compare it with what runs.
@Suite struct TerraformCommandTests {
  @Test func aStateInTheConfigFindsOrphanedAndMissingCapacity() throws {
    let folder = temporaryFolder()
    let db = folder.appendingPathComponent("cache.sqlite").path
    // The demo's on-demand inference cluster: its first node is declared, the rest are not.
    let fleet = try DemoFleet(gpus: 256, seed: 1)
    let inference = fleet.state(at: Date()).nodes.filter { $0.cluster == "infer-k8s" }
    let declared = try #require(inference.first).name
    let state = """
      {"version": 4, "terraform_version": "1.9.0", "serial": 1, "lineage": "x", "outputs": {},
       "resources": [
        {"mode": "managed", "type": "aws_instance", "name": "infer",
         "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"]",
         "instances": [
          {"index_key": 0, "schema_version": 1,
           "attributes": {"instance_type": "p5.48xlarge", "id": "i-1", "tags": {"Name": "\(declared)"}}},
          {"index_key": 1, "schema_version": 1,
           "attributes": {"instance_type": "p5.48xlarge", "id": "i-2", "tags": {"Name": "ghost-1"}}}]}]}
      """
    let statePath = folder.appendingPathComponent("prod.tfstate")
    try state.write(to: statePath, atomically: true, encoding: .utf8)
    let config = folder.appendingPathComponent("config.toml")
    try "[[terraform]]\nstate = \"\(statePath.path)\"\n".write(
      to: config, atomically: true, encoding: .utf8)

    let common = ["--db", db, "--config", config.path, "--sim-gpus", "256"]
    let polled = try run(try factopBinary(), ["poll", "--once"] + common)
    #expect(polled.status == 0, "\(polled.stderr)")
    let result = try run(
      try factopBinary(), ["savings", "--offline", "--format", "json"] + common)
    #expect(result.status == 0, "\(result.stderr)")
    let savings = try #require(
      try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    let found = savings["opportunities"] as? [[String: Any]] ?? []
    let orphaned = try #require(
      found.first {
        $0["kind"] as? String == "undeclared_capacity"
          && $0["scope"] as? String == "cluster infer-k8s"
      })
    #expect((orphaned["title"] as? String)?.contains("\(inference.count - 1) nodes") == true)
    let missing = try #require(found.first { $0["kind"] as? String == "declared_not_running" })
    #expect((missing["title"] as? String)?.contains("1 declared GPU instance (8 GPUs)") == true)
    // The owned research cluster is no cloud capacity to declare.
    #expect(!found.contains { $0["scope"] as? String == "cluster research" })

    // The state is a source like any other: listed, and its error named when it breaks.
    let listed = String(
      decoding: try run(try factopBinary(), ["sources"] + common).stdout, as: UTF8.self)
    #expect(listed.contains("terraform/prod.tfstate"))
    try "{\"version\": 3}".write(to: statePath, atomically: true, encoding: .utf8)
    let broken = try run(try factopBinary(), ["poll", "--once"] + common)
    #expect(broken.stderr.contains("prod.tfstate: state format version 3"), "\(broken.stderr)")
  }
}
