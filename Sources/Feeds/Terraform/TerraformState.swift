import FleetModel
import Foundation

/// The GPU machines a Terraform or OpenTofu state declares. Reads the three shapes the tools
/// write: a state file (format `version` 4: `resources[].instances[].attributes`, in modules by
/// `module`), `terraform show -json` of a state (`values.root_module`, its `child_modules`
/// nested) and of a plan (`planned_values.root_module`). A resource is GPU capacity when its
/// type's instance, machine or VM size is in `CloudGPUInstances`, or it attaches accelerators
/// (Google's `guest_accelerator`); everything else in the state is left out.
public enum TerraformState {
  /// One resource instance as the state holds it.
  struct Resource {
    let address: String
    let type: String
    let attributes: [String: Any]
  }

  public static func parse(_ data: Data, source: String) throws -> [DeclaredInstance] {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: data)
    } catch {
      throw InputError(source: source, message: "not JSON: \(error.localizedDescription)")
    }
    guard let root = object as? [String: Any] else {
      throw InputError(source: source, message: "not a Terraform state: the top level is no object")
    }
    let resources: [Resource]
    if let values = root["values"] as? [String: Any] {
      resources = module(values["root_module"] as? [String: Any] ?? [:])
    } else if let planned = root["planned_values"] as? [String: Any] {
      resources = module(planned["root_module"] as? [String: Any] ?? [:])
    } else if let version = root["version"] as? Int {
      guard version == 4 else {
        throw InputError(
          source: source,
          message: "state format version \(version); factop reads version 4 (Terraform 0.12 on)")
      }
      resources = stateResources(root["resources"] as? [[String: Any]] ?? [])
    } else {
      throw InputError(
        source: source,
        message:
          "not a Terraform state: no `version`, `values` (show -json) or `planned_values` (a plan)")
    }
    return resources.compactMap(declared)
  }

  /// A state file's managed resources, one per instance, addressed as `show` addresses them.
  static func stateResources(_ resources: [[String: Any]]) -> [Resource] {
    resources.filter { ($0["mode"] as? String ?? "managed") == "managed" }.flatMap { resource in
      let type = resource["type"] as? String ?? ""
      let base = [resource["module"] as? String, "\(type).\(resource["name"] as? String ?? "")"]
        .compactMap { $0 }.joined(separator: ".")
      return (resource["instances"] as? [[String: Any]] ?? []).map { instance in
        Resource(
          address: base + indexSuffix(instance["index_key"]), type: type,
          attributes: instance["attributes"] as? [String: Any] ?? [:])
      }
    }
  }

  /// A `show -json` module's managed resources and its child modules', depth first.
  static func module(_ module: [String: Any]) -> [Resource] {
    let own = (module["resources"] as? [[String: Any]] ?? []).filter {
      ($0["mode"] as? String ?? "managed") == "managed"
    }.map { resource in
      Resource(
        address: resource["address"] as? String ?? "", type: resource["type"] as? String ?? "",
        attributes: resource["values"] as? [String: Any] ?? [:])
    }
    return own + (module["child_modules"] as? [[String: Any]] ?? []).flatMap(Self.module)
  }

  static func indexSuffix(_ key: Any?) -> String {
    switch key {
    case let number as Int: "[\(number)]"
    case let text as String: "[\"\(text)\"]"
    default: ""
    }
  }

  /// The resource as declared GPU capacity, or nil when it carries no GPU factop knows. A pool
  /// (EKS node group, GKE node pool, AKS node pool) is its machines' type times its desired size.
  static func declared(_ resource: Resource) -> DeclaredInstance? {
    let a = resource.attributes
    // A pool's machines are described once, in a nested block (GKE's `node_config`).
    let machine = (a["node_config"] as? [[String: Any]])?.first ?? a
    let size =
      ["instance_type", "machine_type", "vm_size", "size"].lazy.compactMap {
        machine[$0] as? String
      }.first ?? (a["instance_types"] as? [String])?.first
    // Google's machine type may be a URL (`…/machineTypes/a3-highgpu-8g`).
    let type = size.map { String($0.split(separator: "/").last ?? Substring($0)) }
    var perMachine = 0
    var model: GPUModel?
    if let type, let entry = CloudGPUInstances.entry(forType: type) {
      perMachine = entry.gpus
      model = entry.model
    }
    for accelerator in machine["guest_accelerator"] as? [[String: Any]] ?? [] {
      guard let name = accelerator["type"] as? String else { continue }
      let count = (accelerator["count"] as? Int) ?? 0
      // A machine type that already carries GPUs lists them here too: count them once.
      if perMachine == 0 { perMachine += count }
      model = model ?? CloudGPUInstances.accelerators[String(name.split(separator: "/").last ?? "")]
    }
    guard perMachine > 0 else { return nil }
    let pool =
      ((a["scaling_config"] as? [[String: Any]])?.first?["desired_size"] as? Int)
      ?? (a["node_count"] as? Int) ?? (a["initial_node_count"] as? Int)
    let tags = a["tags"] as? [String: Any] ?? [:]
    let names =
      pool != nil
      ? []
      : [a["name"], tags["Name"], a["computer_name"], a["hostname"], a["private_dns"], a["id"]]
        .compactMap { $0 as? String }.filter { !$0.isEmpty }
    var unique: [String] = []
    for name in names where !unique.contains(name) { unique.append(name) }
    let machines = pool ?? 1
    guard machines > 0 else { return nil }
    return DeclaredInstance(
      address: resource.address, resourceType: resource.type,
      instanceType: type ?? "accelerators", machines: machines, gpus: perMachine * machines,
      gpuModel: model?.name, names: unique)
  }
}

/// The Terraform states the config names (`[[terraform]] state = PATH`), read on every poll: a
/// source of declared capacity, nothing else. A state that cannot be read is that source's
/// error, and what it declared before stays in the cache.
public struct TerraformFeed: Feed {
  public static let kindName = "terraform"
  public let name: String
  public let kind = TerraformFeed.kindName
  public let intervalS: Double
  public let path: String

  public init(name: String, path: String, intervalS: Double) {
    self.name = name
    self.path = path
    self.intervalS = intervalS
  }

  public var target: String { path }

  public func poll(at time: Date) async throws -> FleetState {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw InputError(source: path, message: "cannot read it: \(error.localizedDescription)")
    }
    var state = FleetState()
    state.declaredInstances = try TerraformState.parse(data, source: path)
    return state
  }
}
