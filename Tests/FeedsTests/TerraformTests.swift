import Feeds
import FleetModel
import Foundation
import Testing

/// Terraform and OpenTofu states, pinned by the real format examples in
/// ../shared/fixtures/terraform/ (the tools' own test data: test and null providers, one
/// t2.micro plan). No public state holds GPU instances, so the GPU tests put cloud resources
/// into those same files, in the shape each format gives them.
@Suite(
  .enabled(
    if: FileManager.default.fileExists(atPath: fixtures.appendingPathComponent("terraform").path),
    "shared/fixtures is absent"))
struct TerraformTests {
  func fixture(_ name: String) throws -> Data {
    try Data(contentsOf: fixtures.appendingPathComponent("terraform/\(name)"))
  }

  func object(_ name: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: try fixture(name)) as? [String: Any])
  }

  /// Every example reads, and none declares a GPU: a state of anything else is no error.
  @Test(arguments: [
    "opentofu-show-json-state-basic.terraform.tfstate",
    "opentofu-show-json-state-basic.output.json",
    "opentofu-show-json-state-modules.terraform.tfstate",
    "opentofu-show-json-state-modules.output.json",
    "terraform-json-has_changes.terraform.tfstate",
    "terraform-json-nested_config_keys.plan.json",
  ])
  func theRealExamplesReadAndDeclareNoGPU(name: String) throws {
    #expect(try TerraformState.parse(try fixture(name), source: name).isEmpty)
  }

  /// The cloud resources the GPU tests declare, as a state's `attributes` or show's `values`.
  static var aws: [String: Any] {
    [
      "instance_type": "p5.48xlarge", "id": "i-0abc123", "tags": ["Name": "gpu-a001"],
      "private_dns": "ip-10-0-1-7.ec2.internal",
    ]
  }
  static var gcp: [String: Any] {
    [
      "name": "a100-1",
      "machine_type":
        "https://www.googleapis.com/compute/v1/projects/p/zones/z/machineTypes/n1-standard-16",
      "guest_accelerator": [["type": "nvidia-tesla-a100", "count": 2]],
    ]
  }
  static var azure: [String: Any] {
    [
      "name": "nd-h100-01", "size": "Standard_ND96isr_H100_v5", "computer_name": "ndh100a",
    ]
  }
  static var small: [String: Any] { ["instance_type": "t2.micro", "id": "i-small"] }

  /// A version 4 state: the modules example's resources replaced by cloud ones, in a module
  /// and at the root, one with two instances.
  @Test func aStateFileDeclaresItsGPUInstances() throws {
    var state = try object("opentofu-show-json-state-modules.terraform.tfstate")
    var template = try #require((state["resources"] as? [[String: Any]])?.first)
    func resource(_ type: String, _ name: String, module: String?, _ instances: [[String: Any]])
      -> [String: Any]
    {
      var r = template
      r["type"] = type
      r["name"] = name
      r["module"] = module
      r["instances"] = instances.enumerated().map {
        ["index_key": $0.offset, "schema_version": 0, "attributes": $0.element]
      }
      return r
    }
    template["provider"] = #"provider["registry.terraform.io/hashicorp/aws"]"#
    state["resources"] = [
      resource("aws_instance", "train", module: "module.gpu", [Self.aws, Self.small]),
      resource("google_compute_instance", "a100", module: nil, [Self.gcp]),
      resource("azurerm_linux_virtual_machine", "nd", module: nil, [Self.azure]),
    ]
    let declared = try TerraformState.parse(
      try JSONSerialization.data(withJSONObject: state), source: "gpu.tfstate")
    #expect(
      declared.map(\.address) == [
        "module.gpu.aws_instance.train[0]", "google_compute_instance.a100[0]",
        "azurerm_linux_virtual_machine.nd[0]",
      ])
    #expect(declared.map(\.gpus) == [8, 2, 8])
    #expect(declared.map(\.gpuModel) == ["H100-SXM5-80GB", "A100-SXM4-80GB", "H100-SXM5-80GB"])
    #expect(declared[0].names == ["gpu-a001", "ip-10-0-1-7.ec2.internal", "i-0abc123"])
    #expect(declared[1].instanceType == "n1-standard-16" && declared[1].names == ["a100-1"])
    #expect(declared[2].names == ["nd-h100-01", "ndh100a"])
  }

  /// `show -json` of a state: resources in the root module and nested child modules.
  @Test func showJSONDeclaresItsGPUInstancesInEveryModule() throws {
    var show = try object("opentofu-show-json-state-modules.output.json")
    var values = try #require(show["values"] as? [String: Any])
    var root = try #require(values["root_module"] as? [String: Any])
    var children = try #require(root["child_modules"] as? [[String: Any]])
    var resource = try #require((children[0]["resources"] as? [[String: Any]])?.first)
    resource["type"] = "aws_instance"
    resource["address"] = "module.module_test_bar.aws_instance.example"
    resource["values"] = Self.aws
    children[0]["resources"] = [resource]
    children[1]["child_modules"] = [
      [
        "address": "module.module_test_foo.module.deep",
        "resources": [
          [
            "address": "module.module_test_foo.module.deep.azurerm_linux_virtual_machine.nd",
            "mode": "managed", "type": "azurerm_linux_virtual_machine", "values": Self.azure,
          ]
        ],
      ]
    ]
    root["child_modules"] = children
    values["root_module"] = root
    show["values"] = values
    let declared = try TerraformState.parse(
      try JSONSerialization.data(withJSONObject: show), source: "show.json")
    #expect(
      declared.map(\.address) == [
        "module.module_test_bar.aws_instance.example",
        "module.module_test_foo.module.deep.azurerm_linux_virtual_machine.nd",
      ])
    #expect(declared.map(\.gpus) == [8, 8])
  }

  /// Node pools: an EKS node group (its instance types and desired size) and a GKE node pool
  /// (its machine in `node_config`, its node count), as show -json gives them.
  @Test func nodePoolsDeclareTheirMachinesByCount() throws {
    var show = try object("opentofu-show-json-state-basic.output.json")
    var values = try #require(show["values"] as? [String: Any])
    var root = try #require(values["root_module"] as? [String: Any])
    root["resources"] = [
      [
        "address": "aws_eks_node_group.gpu", "mode": "managed", "type": "aws_eks_node_group",
        "values": [
          "node_group_name": "gpu", "instance_types": ["p5.48xlarge"],
          "scaling_config": [["desired_size": 3, "max_size": 6, "min_size": 0]],
        ],
      ],
      [
        "address": "google_container_node_pool.a3", "mode": "managed",
        "type": "google_container_node_pool",
        "values": [
          "name": "a3", "node_count": 2, "node_config": [["machine_type": "a3-highgpu-8g"]],
        ],
      ],
    ]
    values["root_module"] = root
    show["values"] = values
    let declared = try TerraformState.parse(
      try JSONSerialization.data(withJSONObject: show), source: "pools.json")
    #expect(declared.map(\.machines) == [3, 2])
    #expect(declared.map(\.gpus) == [24, 16])
    #expect(declared.allSatisfy { $0.names.isEmpty && $0.gpuModel == "H100-SXM5-80GB" })
  }

  @Test(arguments: [
    (#"{"version": 3, "resources": []}"#, "state format version 3"),
    (#"[1, 2]"#, "the top level is no object"),
    (#"{"format": 1}"#, "not a Terraform state"),
    ("terraform {", "not JSON"),
  ])
  func badStatesSayWhatIsWrong(text: String, message: String) {
    #expect {
      _ = try TerraformState.parse(Data(text.utf8), source: "prod.tfstate")
    } throws: { error in
      "\(error)".hasPrefix("prod.tfstate: ") && "\(error)".contains(message)
    }
  }
}
