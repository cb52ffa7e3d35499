import Feeds
import FleetModel
import Foundation
import Testing

private let recorded = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("Recorded")

/// Every parser of outside input, fed mutated copies of real captures (../shared/fixtures, the
/// recorded answers, and inline seeds for the text formats): bit flips, random and "interesting"
/// bytes, deletions, duplications, truncations and splices with other seeds. A parser may
/// refuse an input, never crash on it; a crash ends the test process, which fails the run.
/// FACTOP_FUZZ_N inputs per parser (1,000 by default, as in CI); FACTOP_FUZZ_SEED varies them.
/// libFuzzer was not used: this is the property-based generator the reliability issue allows,
/// deterministic so a finding reproduces from its seed.
@Suite struct ParserFuzzTests {
  static let iterations = Int(ProcessInfo.processInfo.environment["FACTOP_FUZZ_N"] ?? "") ?? 1_000
  static let seed = UInt64(ProcessInfo.processInfo.environment["FACTOP_FUZZ_SEED"] ?? "") ?? 1

  /// A parser under test: its name, where its seeds come from, and a call that may throw.
  struct Target: CustomTestStringConvertible, Sendable {
    let name: String
    let seeds: @Sendable () -> [Data]
    let parse: @Sendable (Data) throws -> Void
    var testDescription: String { name }
  }

  static func files(_ folder: String, _ suffix: String = "", under root: URL = fixtures) -> [Data] {
    let base = root.appendingPathComponent(folder)
    guard let walker = FileManager.default.enumerator(atPath: base.path) else { return [] }
    return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(suffix) }.sorted()
      .compactMap { try? Data(contentsOf: base.appendingPathComponent($0)) }
      .filter { $0.count <= 256 << 10 }
  }

  static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

  /// A long table's header and first rows: the rows are alike, and a parser's cost grows with
  /// them, not its paths.
  static func firstLines(_ data: Data) -> Data {
    Data(text(data).split(separator: "\n").prefix(12).joined(separator: "\n").utf8)
  }

  static let targets: [Target] = [
    Target(
      name: "nvidia-smi --query-gpu CSV",
      seeds: {
        files("nvidia-smi-captures").flatMap { NvidiaSMIQuery.captureSections(text($0)) }
          .map { Data($0.body.utf8) } + [Data("index, name, uuid\n0, H100, GPU-1\n".utf8)]
      },
      parse: { _ = try NvidiaSMIQuery.parse(text($0), source: "fuzz") }),
    Target(
      name: "nvidia-smi -q -x XML", seeds: { files("nvidia-smi-xml", ".xml") },
      parse: { _ = try NvidiaSMIXML.parse($0, source: "fuzz") }),
    Target(
      name: "DCGM exposition", seeds: { files("dcgm-exporter") },
      parse: { _ = DCGMExposition.parse(text($0)) }),
    Target(
      name: "Prometheus API JSON", seeds: { files("prometheus-api", ".json") },
      parse: { _ = try PrometheusAPI.parse($0, source: "fuzz") }),
    Target(
      name: "Slurm nodes JSON", seeds: { files("slurmrestd", "json") },
      parse: { _ = try SlurmNodes.parse($0, source: "fuzz") }),
    Target(
      name: "Slurm jobs JSON", seeds: { files("slurmrestd", "json") },
      parse: { _ = try SlurmJobs.parse($0, source: "fuzz") }),
    Target(
      name: "slurmdbd jobs JSON", seeds: { files("slurmrestd", "json") },
      parse: { _ = try SlurmDBJobs.parse($0, source: "fuzz") }),
    Target(
      name: "Slurm text formats",
      seeds: {
        [
          "gpu[01-04]|idle|gpu:h100:8(S:0-1)|batch|none\ngpu05|drained*|gpu:8|debug|XID 79",
          "17|RUNNING|2|gres/gpu:8|gpu[01-02]|2026-11-24T10:00:00|ada|llm|batch|train",
          "NodeName=gpu01 State=IDLE+DRAIN Gres=gpu:h100:8 Reason=XID [root@2026-11-24T10:00:00]",
        ].map { Data($0.utf8) }
      },
      parse: {
        _ = try? SlurmText.sinfoNodes(text($0), source: "fuzz")
        _ = try? SlurmText.squeueJobs(text($0), source: "fuzz")
        _ = try SlurmText.scontrolNodes(text($0), source: "fuzz")
      }),
    Target(
      name: "Kubernetes lists", seeds: { files("k8s", ".json", under: recorded) },
      parse: {
        _ = try? Kubernetes.nodes($0, source: "fuzz")
        _ = try Kubernetes.pods($0, source: "fuzz")
      }),
    Target(
      name: "Redfish power resources",
      seeds: {
        files("redfish", "index.json").filter {
          let text = text($0)
          return text.contains("PowerControl") || text.contains("PowerWatts")
        }
      },
      parse: { _ = try RedfishPower.resource($0, source: "fuzz", node: "n", at: Date()) }),
    Target(
      name: "OpenCost allocation",
      seeds: { files("", "opencost-allocation-compute.json", under: recorded) },
      parse: { _ = try OpenCostAllocation.parse($0, source: "fuzz") }),
    Target(
      name: "FOCUS CSV", seeds: { files("focus", ".csv").map(firstLines) },
      parse: { _ = try FocusFile.parse(text($0), source: "fuzz") }),
    Target(
      name: "Zeus power sweep CSV", seeds: { files("traces/zeus", ".csv") },
      parse: { _ = try SweepFile.parse(text($0), source: "fuzz") }),
    Target(
      name: "occupancy CSV",
      seeds: {
        [
          Data(
            "time,alloc,total,pending\n2026-11-24T00:00:00Z,10,16,4\n2026-11-24T00:05:00Z,16,16,0\n"
              .utf8)
        ]
      },
      parse: {
        _ = try OccupancyFile.parse(
          text($0), source: "fuzz",
          columns: .init(time: "time", allocated: "alloc", total: "total", pending: "pending"))
      }),
    Target(
      name: "GRES strings", seeds: { [Data("gpu:h100:8(IDX:0-3,5),gpu:a100:2(S:0)".utf8)] },
      parse: { _ = GresItem.parse(text($0)) }),
  ]

  /// FACTOP_FUZZ_ONLY narrows a run to the parsers whose name contains it (for triage).
  static let only = ProcessInfo.processInfo.environment["FACTOP_FUZZ_ONLY"]

  @Test(arguments: targets)
  func neverCrashesOnMutatedInput(target: Target) throws {
    if let only = Self.only, !target.name.contains(only) { return }
    let seeds = target.seeds()
    try #require(!seeds.isEmpty, "\(target.name): no seeds (is ../shared/fixtures there?)")
    var random = SplitMix64(seed: Self.seed)
    var refused = 0
    var slowest = 0.0
    for _ in 0..<Self.iterations {
      let input = Mutator.mutate(
        seeds[Int(random.next() % UInt64(seeds.count))], splicing: seeds, with: &random)
      let started = ContinuousClock.now
      do { try target.parse(input) } catch { refused += 1 }
      slowest = max(slowest, (ContinuousClock.now - started) / .seconds(1))
    }
    // A parser that takes seconds over a small input is a hang in the making.
    #expect(slowest < 5, "\(target.name): one input took \(slowest) s")
    print(
      "fuzz \(target.name): \(Self.iterations) inputs from \(seeds.count) seeds, "
        + "\(refused) refused, slowest \(Int(slowest * 1_000)) ms, no crash")
  }
}

/// A small, fast, seedable generator, so a fuzz finding reproduces.
struct SplitMix64 {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
}

/// The mutations: what a broken server, a torn file or a hostile one could hand a parser.
enum Mutator {
  static let interesting: [[UInt8]] = [
    [0], [0xFF], [0x1B], Array("\"".utf8), Array("{".utf8), Array("[".utf8), Array("}".utf8),
    Array("]".utf8), Array(",".utf8), Array(":".utf8), Array("-".utf8), Array("\n".utf8),
    Array("null".utf8), Array("1e309".utf8), Array("-9223372036854775809".utf8),
    Array("NaN".utf8), Array("18446744073709551616".utf8), Array("[-".utf8), Array("\\u".utf8),
    Array("\u{202E}".utf8), Array("<".utf8), Array("&#0;".utf8), Array("0x".utf8),
  ]

  static func mutate(_ seed: Data, splicing seeds: [Data], with random: inout SplitMix64) -> Data {
    var bytes = [UInt8](seed)
    for _ in 0..<(1 + random.below(8)) {
      let at = random.below(bytes.count + 1)
      switch random.below(7) {
      case 0 where !bytes.isEmpty:  // flip a bit
        let i = min(at, bytes.count - 1)
        bytes[i] ^= UInt8(1 << random.below(8))
      case 1 where !bytes.isEmpty:  // a random byte
        bytes[min(at, bytes.count - 1)] = UInt8(random.below(256))
      case 2:  // an interesting token
        bytes.insert(contentsOf: interesting[random.below(interesting.count)], at: at)
      case 3:  // delete a run
        let end = min(bytes.count, at + 1 + random.below(64))
        if at < end { bytes.removeSubrange(at..<end) }
      case 4:  // duplicate a run
        let end = min(bytes.count, at + 1 + random.below(64))
        if at < end { bytes.insert(contentsOf: bytes[at..<end], at: at) }
      case 5:  // cut short
        bytes.removeSubrange(at..<bytes.count)
      default:  // splice in part of another seed
        let other = [UInt8](seeds[random.below(seeds.count)])
        let from = random.below(other.count + 1)
        let end = min(other.count, from + random.below(512))
        bytes.insert(contentsOf: other[from..<end], at: at)
      }
    }
    return Data(bytes)
  }
}
