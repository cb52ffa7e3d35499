import FleetModel
import Foundation

/// OpenCost's `/allocation/compute` answer: `{"code": 200, "data": [{NAME: allocation, …}, …]}`,
/// one set per step. Each allocation has `name`, `properties` (cluster, namespace, controller,
/// pod…), `start`, `end`, `gpuHours`, `gpuCost` and `totalCost`; unknown fields are ignored.
public enum OpenCostAllocation {
  public static func parse(_ data: Data, source: String) throws(InputError) -> [WorkloadCost] {
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw InputError(source: source, message: "not a JSON object")
    }
    if let code = object["code"] as? Int, code != 200 {
      throw InputError(
        source: source,
        message: "OpenCost answered code \(code): \(object["message"] as? String ?? "no message")")
    }
    guard let sets = object["data"] as? [Any] else {
      throw InputError(source: source, message: "no \"data\" array (is this /allocation/compute?)")
    }
    var costs: [WorkloadCost] = []
    for (step, set) in sets.enumerated() {
      // A step with nothing in it is `null` in some versions.
      guard let set = set as? [String: Any] else { continue }
      for key in set.keys.sorted() {
        let path = "data[\(step)].\(key)"
        guard let entry = set[key] as? [String: Any] else {
          throw InputError(source: source, column: path, message: "not an allocation object")
        }
        costs.append(try allocation(entry, key: key, path: path, source: source))
      }
    }
    return costs
  }

  private static func allocation(
    _ entry: [String: Any], key: String, path: String, source: String
  ) throws(InputError) -> WorkloadCost {
    func number(_ field: String) -> Double? {
      (entry[field] as? NSNumber).map(\.doubleValue).flatMap { $0.isFinite ? $0 : nil }
    }
    func time(_ field: String) throws(InputError) -> Date {
      let window = entry["window"] as? [String: Any]
      guard let text = entry[field] as? String ?? window?[field] as? String,
        let date = Timestamp.withZone(text)
      else {
        throw InputError(
          source: source, column: "\(path).\(field)", message: "missing or not an ISO-8601 time")
      }
      return date
    }
    guard let total = number("totalCost") else {
      throw InputError(
        source: source, column: "\(path).totalCost", message: "missing or not a number")
    }
    let properties = entry["properties"] as? [String: Any] ?? [:]
    return WorkloadCost(
      name: entry["name"] as? String ?? key, cluster: properties["cluster"] as? String,
      namespace: properties["namespace"] as? String,
      controller: properties["controller"] as? String, pod: properties["pod"] as? String,
      start: try time("start"), end: try time("end"), gpuHours: number("gpuHours"),
      gpuCost: number("gpuCost"), totalCost: total)
  }
}

/// OpenCost as a source: its allocations over `window`, fetched each poll.
public struct OpenCostFeed: Feed {
  public let name = "opencost"
  public let kind = "opencost"
  public let intervalS: Double
  public let service: HTTPSource
  public let window: String
  public let aggregate: String
  public var target: String { service.origin }
  public var tls: TLSVerification? { service.tls }

  public init(service: HTTPSource, window: String, aggregate: String, intervalS: Double) {
    self.service = service
    self.window = window
    self.aggregate = aggregate
    self.intervalS = intervalS
  }

  public func poll(at time: Date) async throws -> FleetState {
    let path = "/allocation/compute?window=\(window)&aggregate=\(aggregate)&accumulate=true"
    guard let data = try await service.get(path) else {
      throw SourceError(
        origin: service.origin, path: HTTPSource.shown(path),
        message: "not found (is this OpenCost?)")
    }
    var state = FleetState()
    state.workloadCosts = try OpenCostAllocation.parse(
      data, source: service.origin + HTTPSource.shown(path))
    return state
  }
}
