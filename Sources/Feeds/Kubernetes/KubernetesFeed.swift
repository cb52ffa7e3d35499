import FleetModel
import Foundation

/// A Kubernetes cluster's GPU nodes and GPU pods through its API server: `list` on nodes and
/// pods (get/list only), 500 at a time, following `continue` tokens and starting over when a
/// token expires (HTTP 410).
public struct KubernetesFeed: Feed {
  public let name: String
  public let kind = "kubernetes"
  public let intervalS: Double
  public let timeoutS: Double?
  public let layout: ClusterLayout
  let http: HTTPSource
  let token: String?
  /// Items per list request: enough that a large cluster costs a few requests, few enough
  /// that no answer is huge.
  let pageSize: Int

  public init(
    name: String, layout: ClusterLayout, http: HTTPSource, token: String?, pageSize: Int = 500,
    timeoutS: Double? = nil, intervalS: Double
  ) {
    self.pageSize = pageSize
    self.name = name
    self.layout = layout
    self.http = http
    self.token = token
    self.intervalS = intervalS
    self.timeoutS = timeoutS
  }

  public var target: String { http.origin }
  public var tls: TLSVerification? { http.tls }

  public func poll(at time: Date) async throws -> FleetState {
    async let nodes = list("/api/v1/nodes", Kubernetes.nodes)
    async let pods = list("/api/v1/pods", Kubernetes.pods)
    return KubernetesInventory.state(nodes: try await nodes, pods: try await pods, layout: layout)
  }

  private func list<Item>(
    _ path: String, _ parse: (Data, String) throws -> Kubernetes.ListPage<Item>
  ) async throws -> [Item] {
    let headers = token.map { ["Authorization": "Bearer \($0)"] } ?? [:]
    var restarts = 0
    var items: [Item] = []
    var next: String? = ""
    while let token = next {
      var query = "?limit=\(pageSize)"
      if !token.isEmpty { query += "&continue=\(PrometheusFeed.encode(token))" }
      let data: Data?
      do {
        data = try await http.get(path + query, headers: headers)
      } catch let error as SourceError where error.message.hasPrefix("HTTP 410") && restarts < 2 {
        // The list changed too much between pages: start again from the first.
        restarts += 1
        items = []
        next = ""
        continue
      }
      guard let data else {
        throw SourceError(origin: http.origin, path: path, message: "not a Kubernetes API (404)")
      }
      let page = try parse(data, http.origin + path)
      items += page.items
      next = page.metadata?.continue.flatMap { $0.isEmpty ? nil : $0 }
    }
    return items
  }
}
