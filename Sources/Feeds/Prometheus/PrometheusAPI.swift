import Foundation

/// Prometheus' HTTP API answers (`/api/v1/query`, `/api/v1/query_range`): vectors, matrices and
/// scalars, values as strings (`"612.5"`, `"NaN"`, `"+Inf"`, read as unknown when not finite),
/// errors as `{"status":"error","errorType":…,"error":…}`.
public enum PrometheusAPI {
  /// One series of an answer: its labels and its points (one for an instant query).
  public struct Series: Sendable, Equatable {
    public let labels: [String: String]
    public let points: [(time: Date, value: Double?)]

    public static func == (a: Series, b: Series) -> Bool {
      a.labels == b.labels && a.points.map(\.time) == b.points.map(\.time)
        && a.points.map(\.value) == b.points.map(\.value)
    }
  }

  /// The series' values at `time` (nil: each series' last point) as exposition samples, as
  /// if scraped. A value Prometheus had no number for (`NaN`) still names its series: it is
  /// kept as NaN, which the readers take as unknown.
  public static func samples(_ series: [Series], at time: Date?) -> [PrometheusText.Sample] {
    series.compactMap { item in
      guard let name = item.labels["__name__"],
        let point = time.map({ t in item.points.first { $0.time == t } }) ?? item.points.last
      else { return nil }
      return PrometheusText.Sample(name: name, labels: item.labels, value: point.value ?? .nan)
    }
  }

  public static func parse(_ data: Data, source: String) throws -> [Series] {
    let answer = try JSONInput.decode(Answer.self, from: data, source: source, snakeCase: false)
    guard answer.status == "success" else {
      throw InputError(
        source: source,
        message:
          "Prometheus says \(answer.errorType ?? "error"): \(answer.error ?? "no reason given")")
    }
    guard let data = answer.data else {
      throw InputError(source: source, message: "at data: missing")
    }
    switch data.resultType {
    case "vector", "matrix":
      return (data.result.vectors ?? []).map { item in
        Series(
          labels: item.metric ?? [:],
          points: (item.value.map { [$0] } ?? item.values ?? []).map { ($0.time, $0.value) })
      }
    case "scalar":
      return data.result.point.map { [Series(labels: [:], points: [($0.time, $0.value)])] } ?? []
    default:
      throw InputError(
        source: source, message: "at data.resultType: \(data.resultType) is not a vector or matrix")
    }
  }

  struct Answer: Decodable {
    let status: String
    let data: Result?
    let errorType: String?
    let error: String?
  }

  struct Result: Decodable {
    let resultType: String
    let result: Items
  }

  /// A vector/matrix is an array of series; a scalar is one `[time, "value"]` pair.
  struct Items: Decodable {
    let vectors: [Item]?
    let point: Point?

    init(from decoder: any Decoder) throws {
      let single = try decoder.singleValueContainer()
      if let point = try? single.decode(Point.self) {
        self.point = point
        vectors = nil
      } else {
        vectors = try single.decode([Item].self)
        point = nil
      }
    }
  }

  struct Item: Decodable {
    let metric: [String: String]?
    let value: Point?
    let values: [Point]?
  }

  /// `[1795552852.482, "87"]`.
  struct Point: Decodable {
    let time: Date
    let value: Double?

    init(from decoder: any Decoder) throws {
      var pair = try decoder.unkeyedContainer()
      time = Date(timeIntervalSince1970: try pair.decode(Double.self))
      let text = try pair.decode(String.self)
      value = Double(text).flatMap { $0.isFinite ? $0 : nil }
    }
  }
}
