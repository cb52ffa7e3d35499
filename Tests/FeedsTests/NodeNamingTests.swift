import Feeds
import FleetModel
import Foundation
import Testing

/// Telemetry's host names mapped onto the scheduler's node names (`[[cluster]] node_names`).
@Suite struct NodeNamingTests {
  @Test func theDomainIsDroppedByDefaultButNotFromAnAddress() {
    let naming = NodeNaming.standard
    #expect(naming.name("gpu017.dc1.example.com") == "gpu017")
    #expect(naming.name("gpu017") == "gpu017")
    #expect(naming.name("10.1.0.17") == "10.1.0.17")
  }

  @Test func aRenameAppliesToTheWholeNameAfterTheDomainIsDropped() throws {
    let naming = try NodeNaming(rename: ("^(.+)-ib$", "$1"))
    #expect(naming.name("gpu017-ib.fabric.example") == "gpu017")
    #expect(naming.name("gpu017-ibx") == "gpu017-ibx")
    let kept = try NodeNaming(stripDomain: false, rename: ("^node-(\\d+)$", "n$1"))
    #expect(kept.name("node-7") == "n7")
    #expect(kept.name("node-7.lab") == "node-7.lab")
  }

  @Test func aPatternThatIsNoRegularExpressionIsRefusedByName() {
    #expect(
      throws: InputError(source: "node_names.match", message: "not a regular expression: (gpu")
    ) {
      try NodeNaming(rename: ("(gpu", "$1"))
    }
  }

  /// DCGM's host names pass through the cluster's rule before they become nodes.
  @Test func dcgmHostsAreNamedByTheClustersRule() throws {
    let layout = ClusterLayout(
      cluster: Cluster(name: "c", scheduler: .slurm, site: "s", pricing: .owned),
      naming: try NodeNaming(rename: ("^(.+)-ib$", "$1")))
    let scrape = DCGMExposition.gpus(
      from: PrometheusText.samples(
        #"DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-1",device="nvidia3",pci_bus_id="00000000:1B:00.0",Hostname="gpu017-ib.dc1.example.com"} 50"#,
        where: { _ in true }))
    let state = DCGMInventory.state(scrape.gpus, layout: layout, at: Date())
    #expect(state.nodes.map(\.id) == [NodeID(cluster: "c", name: "gpu017")])
    let gpu = try #require(state.gpus.first)
    #expect(gpu.minorNumber == 3 && gpu.pciBusID == "00000000:1B:00.0" && gpu.index == 0)
  }
}
