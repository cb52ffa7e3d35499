import Feeds
import FleetModel
import Foundation
import Logging
import Polling
import StateCache
import Testing

/// Every way a command source can fail (the binary missing, a non-zero exit, a hang, garbage on
/// stdout), met by the Slurm commands and nvidia-smi through the poller: each poll fails with an
/// error naming the command and what happened, within its timeout, leaving nothing running.
@Suite struct SubprocessFaultTests {
  enum Fault: String, CaseIterable, CustomTestStringConvertible {
    case missing, nonZero, hang, hangInAChild, garbage
    var testDescription: String { rawValue }

    /// The shell script standing in for the command; nil for a missing binary.
    var script: String? {
      switch self {
      case .missing: nil
      case .nonZero:
        "#!/bin/sh\necho 'Unable to contact slurm controller (connect failure)' >&2\nexit 1\n"
      case .hang: "#!/bin/sh\nexec tail -f /dev/null \"$0\"\n"
      // A wrapper (sites wrap squeue and nvidia-smi) whose own child hangs: the child holds
      // the output pipe open after the wrapper is killed.
      case .hangInAChild: "#!/bin/sh\ntail -f /dev/null \"$0\"\necho never\n"
      case .garbage: "#!/bin/sh\nprintf '\\033[2J\\033]52;c;cm0gLXJmIH4=\\007\\377\\000{not json'\n"
      }
    }

    /// Short where waiting is the fault; otherwise long enough that a loaded test machine never
    /// turns another fault into a timeout.
    var timeoutS: Double { self == .hang || self == .hangInAChild ? 1 : 30 }

    /// What the error may say: one of these.
    var said: [String] {
      switch self {
      case .missing: ["not found"]
      case .nonZero: ["exited(1): Unable to contact slurm controller"]
      case .hang, .hangInAChild: ["no answer within 1 s"]
      case .garbage: ["not valid JSON", "the query must include uuid"]
      }
    }
  }

  @Test(arguments: Fault.allCases)
  func everyCommandSourceFailsClearly(fault: Fault) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-commands-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    if let script = fault.script {
      for name in ["sinfo", "squeue", "sacct", "nvidia-smi"] {
        let path = folder.appendingPathComponent(name).path
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
      }
    }
    let layout = ClusterLayout(
      cluster: Cluster(name: "c", scheduler: .slurm, site: "s", pricing: .owned))
    let feeds: [any Feed] = [
      SlurmFeed(
        name: "slurm", layout: layout, access: .commands(binDirectory: folder.path),
        timeoutS: fault.timeoutS,
        intervalS: 10),
      NvidiaSMIFeed(
        name: "nvidia-smi", layout: layout, node: "n",
        executable: folder.appendingPathComponent("nvidia-smi").path, timeoutS: fault.timeoutS,
        intervalS: 10),
    ]
    let cache = try StateCache.open(path: folder.appendingPathComponent("cache.sqlite").path)
    let poller = Poller(
      cache: cache, feeds: feeds, rules: FleetRules(prices: .demo), logger: Logger(label: "test"))
    let outcomes = await poller.pollOnce(at: Date())
    #expect(outcomes.count == 2)
    for outcome in outcomes {
      let message = try #require(outcome.error, "\(outcome.source) took \(fault) for an answer")
      #expect(fault.said.contains { message.contains($0) }, "\(outcome.source): \(message)")
      // The command's garbage is named, never echoed raw (it could drive a terminal).
      #expect(!message.contains("\u{1B}") && !message.contains("\u{07}"), "\(message)")
    }
    #expect(try cache.sourceHealth().allSatisfy { $0.lastError != nil })
    // Nothing the hang started is left running.
    var survivors = 1
    for _ in 0..<50 where survivors > 0 {
      survivors = Self.processes(mentioning: folder.lastPathComponent)
      if survivors > 0 { try await Task.sleep(for: .milliseconds(100)) }
    }
    #expect(survivors == 0)
  }

  static func processes(mentioning marker: String) -> Int {
    let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return pids.filter { pid in
      guard Int(pid) != nil, let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
      else { return false }
      return String(decoding: raw, as: UTF8.self).contains(marker)
    }.count
  }
}
