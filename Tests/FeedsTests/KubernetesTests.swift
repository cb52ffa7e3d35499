import Feeds
import FleetModel
import Foundation
import TestSupport
import Testing

private let recorded = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("Recorded/k8s")
private let stub = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("scripts/it/k8s_stub.py")

/// No Kubernetes API server can run on these machines (none in Debian or PyPI, no containers),
/// so the feed reads recorded NodeList/PodList JSON (shaped as `kubectl get -o json` answers,
/// with GPU feature discovery's label names) from scripts/it/k8s_stub.py, which pages and
/// checks the token as an API server does. This is a stand-in, not a real API server.
@Suite struct KubernetesTests {
  let layout = ClusterLayout(
    cluster: Cluster(name: "k8s", scheduler: .kubernetes, site: "dc1", pricing: .onDemand))

  @Test func theFeedListsNodesAndPodsPageByPageThroughAKubeconfig() async throws {
    let token = "factop-test-token"
    let server = try await RealServer(
      RealServer.python, arguments: { [stub.path, String($0), recorded.path, token] },
      ready: { port in
        // Any answer (a 401 without the token) means it listens.
        RealServer.answers("http://127.0.0.1:\(port)/api/v1/nodes") || Self.listens(port)
      })
    defer { server.stop() }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-k8s-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let kubeconfig = folder.appendingPathComponent("config")
    try writeKubeconfig(to: kubeconfig, server: "http://127.0.0.1:\(server.port)", token: token)
    let config = try Kubeconfig.load(path: kubeconfig.path)
    #expect(config.server == "http://127.0.0.1:\(server.port)" && config.token == token)
    let http = try HTTPSource(base: config.server, user: nil, password: nil, caFile: nil)
    // Two items a page: five nodes and seven pods take several requests each.
    let feed = KubernetesFeed(
      name: "k8s/kubernetes", layout: layout, http: http, token: config.token, pageSize: 2,
      intervalS: 30)
    let state = try await feed.poll(at: Date())
    #expect(state.nodes.map(\.name) == ["gpu-a01", "gpu-a02", "gpu-b01", "gpu-a03"])
    #expect(state.nodes.map(\.state) == [.allocated, .draining, .allocated, .down])
    #expect(state.nodes[1].reason == "cordoned")
    #expect(state.nodes[3].reason == "Kubelet stopped posting node status.")
    #expect(state.gpus.count == 26)  // 8 + 8 + 2 + 8
    #expect(state.gpus[0].model.name == "NVIDIA H100 80GB HBM3")
    #expect(state.gpus[0].model.tdpW == GPUModel.h100SXM.tdpW)
    let jobs = Dictionary(uniqueKeysWithValues: state.jobs.map { ($0.id, $0) })
    #expect(jobs.count == 6)
    let pretrain = try #require(jobs["llm/pretrain-0-abcde"])
    #expect(pretrain.name == "pretrain-0" && pretrain.team == "foundation")
    #expect(pretrain.kind == .training && pretrain.state == .running && pretrain.gpus == 8)
    #expect(pretrain.nodes == ["gpu-a01"])
    #expect(jobs["serving/chat-7d9f8-x2k4p"]?.kind == .inference)
    // An init container asking for more GPUs than the main ones sets the pod's count.
    #expect(jobs["serving/chat-7d9f8-q8w2z"]?.gpus == 3)
    #expect(jobs["research/sweep-17-zz9"]?.state == .pending)
    #expect(jobs["research/sweep-17-zz9"]?.nodes == [])
    #expect(jobs["research/eval-3-done"]?.state == .completed)
    #expect(jobs["research/jupyter-ada"]?.kind == .interactive)
    #expect(jobs["kube-system/coredns-5d78c9869d-abcde"] == nil)
    #expect(state.allocations.values.filter { $0.id == "llm/pretrain-0-abcde" }.count == 8)
    // Container restarts and how the last run ended: the line of the termination message that
    // names the GPU error, not the traceback's hint after it.
    let restarted = try #require(pretrain.restarts)
    #expect(restarted.count == 1 && restarted.lastExitNamesAGPUError)
    #expect(
      restarted.lastExit
        == "Error, exit 1: RuntimeError: CUDA error: uncorrectable ECC error encountered")
    #expect(restarted.lastExitAt == Timestamp.withZone("2026-11-24T09:12:03Z"))
    #expect(restarted.runningSince == Timestamp.withZone("2026-11-24T09:12:41Z"))
    let oom = try #require(jobs["serving/chat-7d9f8-x2k4p"]?.restarts)
    #expect(oom.count == 3 && oom.lastExit == "OOMKilled, exit 137" && !oom.lastExitNamesAGPUError)
    #expect(jobs["research/jupyter-ada"]?.restarts?.count == 0)
    #expect(jobs["research/sweep-17-zz9"]?.restarts == nil)

    // Without the token the API server refuses, and the error says so.
    let anonymous = KubernetesFeed(
      name: "anon", layout: layout, http: http, token: nil, intervalS: 30)
    await #expect {
      _ = try await anonymous.poll(at: Date())
    } throws: { "\($0)".contains("HTTP 401") }
  }

  /// Inline data and files relative to the kubeconfig, as clusters hand them out.
  @Test func kubeconfigCredentialsFromDataAndFiles() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-kubeconfig-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let ca = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n"
    let cert = "-----BEGIN CERTIFICATE-----\nME\n-----END CERTIFICATE-----\n"
    try Data("KEY".utf8).write(to: folder.appendingPathComponent("client.key"))
    try Data("reader-token\n".utf8).write(to: folder.appendingPathComponent("token"))
    let file = folder.appendingPathComponent("config")
    try """
    apiVersion: v1
    kind: Config
    current-context: a
    clusters:
    - name: prod
      cluster:
        server: https://10.0.0.1:6443
        certificate-authority-data: \(Data(ca.utf8).base64EncodedString())
    users:
    - name: cert-user
      user:
        client-certificate-data: \(Data(cert.utf8).base64EncodedString())
        client-key: client.key
    - name: token-user
      user:
        tokenFile: token
    contexts:
    - name: a
      context: {cluster: prod, user: cert-user}
    - name: b
      context: {cluster: prod, user: token-user}
    """.write(to: file, atomically: true, encoding: .utf8)
    let a = try Kubeconfig.load(path: file.path)
    #expect(a.server == "https://10.0.0.1:6443" && a.caPEM == Array(ca.utf8))
    #expect(a.clientCertificate?.certPEM == Array(cert.utf8))
    #expect(a.clientCertificate?.keyPEM == Array("KEY".utf8) && a.token == nil)
    let b = try Kubeconfig.load(path: file.path, context: "b")
    #expect(b.token == "reader-token" && b.clientCertificate == nil)
    #expect {
      try Kubeconfig.load(path: file.path, context: "c")
    } throws: { "\($0)".contains("no current-context (or no context named so)") }
  }

  /// A pod whose container restarts on a GPU error between two polls is an incident: hit, with
  /// its wait until the container ran again; one killed for host memory is not.
  @Test func aPodRestartedOnAGPUErrorBetweenTwoPollsIsAnIncident() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-k8s-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for file in ["nodes.json", "pods.json"] {
      try FileManager.default.copyItem(
        at: recorded.appendingPathComponent(file), to: folder.appendingPathComponent(file))
    }
    let server = try await RealServer(
      RealServer.python, arguments: { [stub.path, String($0), folder.path] },
      ready: { RealServer.answers("http://127.0.0.1:\($0)/api/v1/nodes") })
    defer { server.stop() }
    let feed = KubernetesFeed(
      name: "k8s/kubernetes", layout: layout,
      http: try HTTPSource(
        base: "http://127.0.0.1:\(server.port)", user: nil, password: nil, caFile: nil),
      token: nil, intervalS: 30)
    let t0 = try #require(Timestamp.withZone("2026-11-24T10:00:00Z"))
    var log = IncidentLog()
    // What the poll read is counted for factop's telemetry (the poller's span says it).
    let read = BytesRead()
    let first = try await BytesRead.$current.withValue(read) { try await feed.poll(at: t0) }
    let served = try Data(contentsOf: folder.appendingPathComponent("pods.json")).count
    #expect(read.count > served / 2, "\(read.count) bytes read of \(served) in pods.json")
    log.record(first, at: t0, prices: .demo)
    // Only the node that is down (gpu-a03): a restart already counted is not news.
    #expect(log.incidents.map(\.cause.kind) == [.nodeOut])

    // The pretraining pod's container fails on an XID 79 at 10:00:20 and runs again at 10:01:00;
    // the chat pod is OOM-killed once more.
    let file = folder.appendingPathComponent("pods.json")
    var text = try String(contentsOf: file, encoding: .utf8)
    for (from, to) in [
      (#""restartCount": 1"#, #""restartCount": 2"#),
      ("2026-11-24T09:12:03Z", "2026-11-24T10:00:20Z"),
      ("2026-11-24T09:12:41Z", "2026-11-24T10:01:00Z"),
      (
        "RuntimeError: CUDA error: uncorrectable ECC error encountered",
        "NCCL error: unhandled system error (Xid 79: GPU has fallen off the bus)"
      ),
      (#""restartCount": 3"#, #""restartCount": 4"#),
    ] {
      #expect(text.contains(from))
      text = text.replacingOccurrences(of: from, with: to)
    }
    try text.write(to: file, atomically: true, encoding: .utf8)
    let t1 = t0.addingTimeInterval(120)
    log.record(try await feed.poll(at: t1), at: t1, prices: .demo)
    #expect(log.incidents.map(\.cause.kind) == [.nodeOut, .podRestarted])
    let incident = try #require(log.incidents.last)
    #expect(incident.node == nil)
    #expect(incident.cause.detail.contains("restarted: Error, exit 1: NCCL error"))
    let job = try #require(incident.jobs.first)
    #expect(job.job.id == "llm/pretrain-0-abcde" && job.gpus == 8)
    #expect(job.stopped == t0.addingTimeInterval(20) && job.ranAgain == t0.addingTimeInterval(60))
    // Half an assumed hour of work and 40 s of wait, on 8 GPUs.
    let cost = incident.cost(at: t1, rules: IncidentRules())
    #expect(abs(cost.lostWorkGPUHours - 4) < 1e-9)
    #expect(abs(cost.waitGPUHours - 8 * 40.0 / 3_600) < 1e-9)
    #expect(cost.usd != nil)
  }

  @Test func quantitiesAndBadLists() throws {
    #expect(Kubernetes.quantity("8") == 8 && Kubernetes.quantity("500m") == 0.5)
    #expect(Kubernetes.quantity("1Gi") == 1_073_741_824 && Kubernetes.quantity("1e3") == 1_000)
    #expect(Kubernetes.quantity("16367668Ki") == 16_760_492_032.0)
    #expect(Kubernetes.quantity("lots") == nil)
    #expect {
      try Kubernetes.nodes(Data(#"{"items":[{"metadata":{}}]}"#.utf8), source: "nodes.json")
    } throws: { "\($0)".hasPrefix("nodes.json: at items[0].metadata.name") }
  }

  static func listens(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
  }
}

private let gfdLabels = fixtures.appendingPathComponent("k8s-gfd-labels")

/// GPU feature discovery's label catalogue (the project's expected-output regexes): the labels
/// factop reads are the ones GFD writes, for every MIG strategy.
@Suite(
  .enabled(if: FileManager.default.fileExists(atPath: gfdLabels.path), "shared/fixtures is absent"))
struct GFDLabelTests {
  func names(_ file: String) throws -> [String] {
    try String(contentsOf: gfdLabels.appendingPathComponent(file), encoding: .utf8)
      .split(separator: "\n").compactMap { $0.split(separator: "=").first.map(String.init) }
  }

  func catalogued(_ label: String, in names: [String]) -> Bool {
    names.contains { pattern in
      (try? Regex("^" + pattern + "$")).map { label.wholeMatch(of: $0) != nil } ?? false
    }
  }

  @Test(arguments: [
    "expected-output.txt", "expected-output-mig-none.txt", "expected-output-mig-single.txt",
    "expected-output-mig-mixed.txt",
  ])
  func theLabelsFactopReadsAreGFDs(file: String) throws {
    let names = try names(file)
    #expect(names.count > 20)
    for label in ["nvidia.com/gpu.product", "nvidia.com/gpu.count", "nvidia.com/gpu.memory"] {
      #expect(catalogued(label, in: names), "\(label) in \(file)")
    }
    if file.hasSuffix("mig-mixed.txt") {
      #expect(catalogued("nvidia.com/mig-3g.40gb.count", in: names))
      #expect(catalogued("nvidia.com/mig.strategy", in: names))
    }
  }
}
