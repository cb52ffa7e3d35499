import FleetModel
import Foundation

/// GPU telemetry through Prometheus' HTTP API: NVIDIA's from dcgm-exporter, AMD's from the
/// device metrics exporter, in one fleet. One query per poll whatever the fleet's size: every
/// metric factop reads, reduced by `max by` to the labels that identify a GPU and its workload,
/// so each GPU costs a handful of series and no exporter label multiplies them.
/// History (for an empty cache) is one range query over the same expression.
public struct PrometheusFeed: Feed {
  public let name: String
  public let kind = "prometheus"
  public let intervalS: Double
  public let timeoutS: Double?
  public let answersForThePast = true
  public let layout: ClusterLayout
  let http: HTTPSource
  /// The bearer token, read for every poll (so a rotated token is picked up); nil for none.
  let token: (@Sendable () throws -> String)?
  /// Label matchers that pick this cluster's series out of a shared Prometheus
  /// (`cluster="train-a"`); empty for all.
  let selector: String

  public init(
    name: String, layout: ClusterLayout, http: HTTPSource,
    token: (@Sendable () throws -> String)? = nil, selector: String = "",
    timeoutS: Double? = nil, intervalS: Double
  ) {
    self.name = name
    self.layout = layout
    self.http = http
    self.token = token
    self.selector = selector
    self.intervalS = intervalS
    self.timeoutS = timeoutS
  }

  /// The labels that name a GPU, a MIG slice and the workload on it, in both spellings.
  static let gpuLabels =
    [
      "Hostname", "hostname", "UUID", "uuid", "gpu", "device", "pci_bus_id", "modelName",
      "GPU_I_ID",
      "GPU_I_PROFILE",
      "exported_namespace", "exported_pod", "exported_container", "namespace", "pod", "container",
      "hpc_job",
    ] + AMDExporterExposition.labels

  /// The one expression every poll sends.
  public var expression: String {
    let names = DCGMExposition.metrics.union(AMDExporterExposition.metrics).sorted()
      .joined(separator: "|")
    let matchers = ["__name__=~\"\(names)\""] + (selector.isEmpty ? [] : [selector])
    let labels = Self.gpuLabels.joined(separator: ", ")
    // NVLink's errors per second, summed over its counters, as one more series per GPU that
    // has them. `rate` drops the name, so each counter's rates are told apart by a label
    // before they meet (else the GPU's would clash); `or` matches label sets without their
    // names, so the extra `factop` label keeps the sum from being taken for a series the left
    // side already has.
    let rates = DCGMExposition.nvlinkErrorCounters.sorted().map { counter in
      let matchers = ["__name__=\"\(counter)\""] + (selector.isEmpty ? [] : [selector])
      return "label_replace(rate({\(matchers.joined(separator: ","))}[5m]), "
        + "\"factop_counter\", \"\(counter)\", \"\", \"\")"
    }
    let rate = "sum by (\(labels)) (\(rates.joined(separator: " or ")))"
    return "max by (__name__, \(labels)) ({\(matchers.joined(separator: ","))})"
      + " or label_replace(label_replace(\(rate), \"__name__\", "
      + "\"\(DCGMExposition.nvlinkErrorRate)\", \"\", \"\"), \"factop\", \"rate\", \"\", \"\")"
  }

  public var target: String { http.origin + (selector.isEmpty ? "" : " {\(selector)}") }
  public var tls: TLSVerification? { http.tls }

  public func poll(at time: Date) async throws -> FleetState {
    let path =
      "/api/v1/query?query=\(Self.encode(expression))&time=\(time.timeIntervalSince1970)"
    let series = try await series(path)
    return DCGMInventory.state(gpus(series, at: nil), layout: layout, at: time)
  }

  /// The fleet at each step of `[start, end]`, from one range query.
  public func history(from start: Date, to end: Date, stepS: Double) async throws
    -> [(Date, FleetState)]
  {
    let path =
      "/api/v1/query_range?query=\(Self.encode(expression))"
      + "&start=\(start.timeIntervalSince1970)&end=\(end.timeIntervalSince1970)&step=\(stepS)"
    let series = try await series(path)
    let times = Set(series.flatMap { $0.points.map(\.time) }).sorted()
    return times.map { time in
      (time, DCGMInventory.state(gpus(series, at: time), layout: layout, at: time))
    }
  }

  private func series(_ path: String) async throws -> [PrometheusAPI.Series] {
    let headers = try token.map { ["Authorization": "Bearer \(try $0())"] } ?? [:]
    guard let data = try await http.get(path, headers: headers) else {
      throw SourceError(
        origin: http.origin, path: HTTPSource.shown(path), message: "not a Prometheus API (404)")
    }
    return try PrometheusAPI.parse(data, source: http.origin + HTTPSource.shown(path))
  }

  private func gpus(_ series: [PrometheusAPI.Series], at time: Date?) -> [DCGMExposition.GPU] {
    let samples = PrometheusAPI.samples(series, at: time)
    return DCGMExposition.gpus(
      from: samples.filter {
        $0.name.hasPrefix("DCGM_FI_") || $0.name == DCGMExposition.nvlinkErrorRate
      }
    ).gpus
      + AMDExporterExposition.gpus(from: samples).gpus
  }

  static func encode(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
  }
}
