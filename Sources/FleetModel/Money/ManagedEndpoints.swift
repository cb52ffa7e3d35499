/// An accelerator as serving sees it: how much model and cache it holds, and how fast it reads
/// them. Token generation is bound by memory bandwidth, so bandwidth is what makes one
/// accelerator's work a number of another's.
public struct ServingAccelerator: Sendable, Hashable, Encodable {
  public let name: String
  public let memoryGB: Double
  public let bandwidthGBps: Double

  public init(name: String, memoryGB: Double, bandwidthGBps: Double) {
    self.name = name
    self.memoryGB = memoryGB
    self.bandwidthGBps = bandwidthGBps
  }

  enum CodingKeys: String, CodingKey {
    case name
    case memoryGB = "memory_gb"
    case bandwidthGBps = "bandwidth_gb_per_s"
  }

  // Vendors' datasheets (HBM or GDDR capacity and peak bandwidth per device).
  public static let h100 = ServingAccelerator(name: "H100 80GB", memoryGB: 80, bandwidthGBps: 3_350)
  public static let h200 = ServingAccelerator(
    name: "H200 141GB", memoryGB: 141, bandwidthGBps: 4_800)
  public static let b200 = ServingAccelerator(
    name: "B200 180GB", memoryGB: 180, bandwidthGBps: 8_000)
  public static let a100_80 = ServingAccelerator(
    name: "A100 80GB", memoryGB: 80, bandwidthGBps: 2_039)
  public static let a100_40 = ServingAccelerator(
    name: "A100 40GB", memoryGB: 40, bandwidthGBps: 1_555)
  public static let l40s = ServingAccelerator(name: "L40S 48GB", memoryGB: 48, bandwidthGBps: 864)
  public static let a10g = ServingAccelerator(name: "A10G 24GB", memoryGB: 24, bandwidthGBps: 600)
  /// AWS: "32 GB of HBM … 820 GB/sec" per Inferentia2 chip.
  public static let inferentia2 = ServingAccelerator(
    name: "Inferentia2", memoryGB: 32, bandwidthGBps: 820)
  public static let mi300x = ServingAccelerator(
    name: "MI300X 192GB", memoryGB: 192, bandwidthGBps: 5_300)
  public static let mi325x = ServingAccelerator(
    name: "MI325X 256GB", memoryGB: 256, bandwidthGBps: 6_000)
  public static let mi250x = ServingAccelerator(
    name: "MI250X 128GB", memoryGB: 128, bandwidthGBps: 3_277)
  public static let mi100 = ServingAccelerator(
    name: "MI100 32GB", memoryGB: 32, bandwidthGBps: 1_229)

  public static let all: [ServingAccelerator] = [
    .h100, .h200, .b200, .a100_80, .a100_40, .l40s, .a10g, .inferentia2, .mi300x, .mi325x,
    .mi250x, .mi100,
  ]

  /// The accelerator called `name`: its full name (`A100 40GB`) or, where only one has it, its
  /// first word (`H100`, `Inferentia2`), case ignored.
  public static func named(_ name: String) -> ServingAccelerator? {
    let wanted = name.lowercased()
    if let exact = all.first(where: { $0.name.lowercased() == wanted }) { return exact }
    let byWord = all.filter {
      $0.name.lowercased().split(separator: " ").first == Substring(wanted)
    }
    return byWord.count == 1 ? byWord.first : nil
  }

  /// The serving figures of a fleet GPU, by its catalogue family; nil for a model the catalogue
  /// does not know (its work cannot be compared).
  public static func of(_ model: GPUModel) -> ServingAccelerator? {
    guard let family = GPUModel.family(of: model.name) else { return nil }
    switch family {
    case .h100SXM: return .h100
    case .h200: return .h200
    case .b200: return .b200
    case .a100SXM: return model.memoryMiB > 0 && model.memoryMiB < 60_000 ? .a100_40 : .a100_80
    case .l40s: return .l40s
    case .mi300x: return .mi300x
    case .mi325x: return .mi325x
    case .mi250x: return .mi250x
    case .mi100: return .mi100
    default: return nil
    }
  }
}

/// One managed inference offering: an instance type a cloud's managed service runs a model on,
/// billed per instance-hour while deployed, with the list price's date and source.
public struct ManagedEndpoint: Sendable, Hashable, Encodable {
  /// The service as bills name it (FOCUS `ServiceName`): `Amazon SageMaker`, `Vertex AI`.
  public let service: String
  public let instanceType: String
  public let accelerator: ServingAccelerator
  public let accelerators: Int
  public let usdPerHour: Double
  public let asOf: String
  public let source: String

  public init(
    service: String, instanceType: String, accelerator: ServingAccelerator, accelerators: Int,
    usdPerHour: Double, asOf: String, source: String
  ) {
    self.service = service
    self.instanceType = instanceType
    self.accelerator = accelerator
    self.accelerators = accelerators
    self.usdPerHour = usdPerHour
    self.asOf = asOf
    self.source = source
  }

  /// Accelerator memory of one instance, GB.
  public var memoryGB: Double { accelerator.memoryGB * Double(accelerators) }

  enum CodingKeys: String, CodingKey {
    case service, accelerator, accelerators, source
    case instanceType = "instance_type"
    case usdPerHour = "usd_per_hour"
    case asOf = "as_of"
  }

  /// Managed endpoints' on-demand list prices, per instance-hour. These move (AWS cut its P5
  /// prices in 2025), so each carries the date it was read; `[[prices.managed]]` in the config
  /// replaces an entry or adds one.
  public static let publicList: [ManagedEndpoint] = {
    let sageMaker = "Amazon SageMaker"
    let sageMakerPage =
      "Amazon SageMaker real-time inference, us-east-1 on-demand, https://aws.amazon.com/sagemaker/pricing/"
    let vertex = "Vertex AI"
    let vertexPage =
      "Vertex AI prediction (custom-trained models), us-central1, https://cloud.google.com/vertex-ai/pricing"
    let table:
      [(
        service: String, instance: String, accelerator: ServingAccelerator, count: Int,
        usdPerHour: Double, page: String
      )] = [
        (sageMaker, "ml.p5.48xlarge", .h100, 8, 113.068, sageMakerPage),
        (sageMaker, "ml.p4d.24xlarge", .a100_40, 8, 37.688, sageMakerPage),
        (sageMaker, "ml.g5.48xlarge", .a10g, 8, 20.36, sageMakerPage),
        (sageMaker, "ml.g5.12xlarge", .a10g, 4, 7.09, sageMakerPage),
        (sageMaker, "ml.g5.xlarge", .a10g, 1, 1.408, sageMakerPage),
        (sageMaker, "ml.inf2.48xlarge", .inferentia2, 12, 15.58, sageMakerPage),
        (vertex, "a3-highgpu-8g", .h100, 8, 101.22, vertexPage),
        (vertex, "a2-highgpu-1g", .a100_40, 1, 4.2245, vertexPage),
      ]
    return table.map {
      ManagedEndpoint(
        service: $0.service, instanceType: $0.instance, accelerator: $0.accelerator,
        accelerators: $0.count, usdPerHour: $0.usdPerHour, asOf: "2024-12-01", source: $0.page)
    }
  }()
}
