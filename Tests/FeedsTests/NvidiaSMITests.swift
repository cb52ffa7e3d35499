import Feeds
import FleetModel
import Foundation
import Testing

let h100Capture = fixtures.appendingPathComponent(
  "nvidia-smi-captures/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt")

@Suite struct NvidiaSMIQueryTests {
  /// The H100 capture's `--query-gpu` CSV (212 fields, with units), idle and under load; the
  /// values are the ones in the file (see ../shared/guides/data-formats.md §2).
  @Test(
    .enabled(
      if: FileManager.default.fileExists(atPath: h100Capture.path), "shared/fixtures is absent"))
  func theH100CaptureIdleAndUnderLoad() throws {
    let sections = NvidiaSMIQuery.captureSections(
      try String(contentsOf: h100Capture, encoding: .utf8))
    func query(_ phase: String) throws -> NvidiaSMIGPU {
      let body = try #require(sections.first { $0.name.hasPrefix("\(phase) :: query-gpu") }?.body)
      let gpus = try NvidiaSMIQuery.parse(body, source: "\(phase) query-gpu")
      #expect(gpus.count == 1)
      return try #require(gpus.first)
    }
    let idle = try query("idle")
    #expect(idle.uuid == "GPU-00000000-0000-0000-0000-000000000000")
    #expect(idle.name == "NVIDIA H100 80GB HBM3" && idle.index == 0)
    #expect(idle.utilizationPct == 0 && idle.memoryUsedMiB == 0 && idle.memoryTotalMiB == 81_559)
    #expect(idle.powerW == 69.85 && idle.powerLimitW == 700 && idle.temperatureC == 41)
    #expect(idle.smClockMHz == 345 && idle.migEnabled == false)
    let load = try query("load")
    #expect(load.utilizationPct == 100 && load.memoryUsedMiB == 19_818)
    #expect(load.powerW == 631.95 && load.temperatureC == 59 && load.smClockMHz == 1_980)
  }

  @Test func unitsOrNoUnitsAndUnknownIsNil() throws {
    let withUnits = """
      uuid, index, name, utilization.gpu [%], memory.used [MiB], power.draw [W], mig.mode.current
      GPU-a, 0, NVIDIA A100-SXM4-80GB, [N/A], 1024 MiB, [Not Supported], Enabled
      """
    let gpu = try #require(try NvidiaSMIQuery.parse(withUnits, source: "q.csv").first)
    #expect(gpu.utilizationPct == nil && gpu.powerW == nil && gpu.memoryUsedMiB == 1_024)
    #expect(gpu.migEnabled == true)
    let noUnits = try NvidiaSMIQuery.parse(
      "GPU-b, 3, 88, 512.5\n", source: "q.csv",
      header: ["uuid", "index", "utilization.gpu", "power.draw"])
    #expect(noUnits.first?.index == 3 && noUnits.first?.utilizationPct == 88)
    #expect(noUnits.first?.powerW == 512.5)
  }

  @Test func badOutputSaysWhere() {
    #expect(
      throws: InputError(
        source: "q.csv", line: 1, column: "uuid",
        message: "the query must include uuid (GPUs are keyed by it)")
    ) {
      try NvidiaSMIQuery.parse("index, name\n0, x\n", source: "q.csv")
    }
    #expect(
      throws: InputError(
        source: "q.csv", line: 2,
        message: "3 fields for 2 columns (free text with \", \" in it?)")
    ) {
      try NvidiaSMIQuery.parse("uuid, name\nGPU-1, Tesla, T4\n", source: "q.csv")
    }
  }
}

@Suite struct NvidiaSMIXMLTests {
  func parse(_ file: String) throws -> [NvidiaSMIGPU] {
    let url = fixtures.appendingPathComponent("nvidia-smi-xml/\(file)")
    return try NvidiaSMIXML.parse(try Data(contentsOf: url), source: file)
  }

  /// DTD v12, an A100 with MIG on: the log says 4 GPUs attached but holds one; its utilization
  /// is N/A under MIG.
  @Test(
    .enabled(if: FileManager.default.fileExists(atPath: fixtures.path), "shared/fixtures is absent")
  )
  func anA100WithMIGOnV12() throws {
    let gpus = try parse("a100-sxm4-v12.xml")
    #expect(gpus.count == 1)
    let gpu = try #require(gpus.first)
    // Its device file is /dev/nvidia1; as the only GPU listed, its NVML index is 0.
    #expect(gpu.uuid == "GPU-513536b6-7d19-9063-b049-1e69664bb298" && gpu.index == 0)
    #expect(gpu.minorNumber == 1 && gpu.pciBusID == "00000000:01:00.0")
    #expect(gpu.name == "NVIDIA A100-SXM4-80GB" && gpu.migEnabled == true)
    #expect(gpu.utilizationPct == nil)
    #expect(gpu.memoryTotalMiB == 81_920 && gpu.memoryUsedMiB == 50)
    #expect(gpu.powerW == 67.03 && gpu.powerLimitW == 500 && gpu.temperatureC == 27)
    #expect(gpu.smClockMHz == 1_275 && gpu.memoryClockMHz == 1_593)
  }

  /// DTD v13: no `power_draw` any more, `instant_power_draw` instead; MIG not available.
  @Test(
    .enabled(if: FileManager.default.fileExists(atPath: fixtures.path), "shared/fixtures is absent")
  )
  func anRTX4000V13() throws {
    let gpu = try #require(try parse("rtx-4000-sff-ada-v13.xml").first)
    #expect(gpu.uuid == "GPU-37037c3f-65c8-ec4d-24a9-420204ad8026" && gpu.index == 0)
    #expect(gpu.name == "NVIDIA RTX 4000 SFF Ada Generation" && gpu.migEnabled == nil)
    #expect(gpu.utilizationPct == 0 && gpu.memoryTotalMiB == 20_475 && gpu.memoryUsedMiB == 3_534)
    #expect(gpu.powerW == 8.44 && gpu.powerLimitW == 70 && gpu.temperatureC == 38)
    #expect(gpu.smClockMHz == 210 && gpu.memoryClockMHz == 405)
  }

  /// Two GPUs whose minor numbers are not in PCI order (the A100 capture's GPU twice, the
  /// second on bus 02 as /dev/nvidia0): each keeps its NVML index, the order nvidia-smi lists
  /// them, and its readings; the minor number rides along for Slurm's device indices.
  @Test(
    .enabled(if: FileManager.default.fileExists(atPath: fixtures.path), "shared/fixtures is absent")
  )
  func minorNumbersOutOfPCIOrderKeepEachGPUsReadings() throws {
    let url = fixtures.appendingPathComponent("nvidia-smi-xml/a100-sxm4-v12.xml")
    let xml = try String(contentsOf: url, encoding: .utf8)
    let start = try #require(xml.range(of: "<gpu id="))
    let end = try #require(xml.range(of: "</gpu>"))
    let first = String(xml[start.lowerBound..<end.upperBound])
    let second = first.replacingOccurrences(
      of: "GPU-513536b6-7d19-9063-b049-1e69664bb298", with: "GPU-second"
    )
    .replacingOccurrences(
      of: "<minor_number>1</minor_number>", with: "<minor_number>0</minor_number>"
    )
    .replacingOccurrences(of: "00000000:01:00.0", with: "00000000:02:00.0")
    .replacingOccurrences(
      of: "<power_draw>67.03 W</power_draw>", with: "<power_draw>301.5 W</power_draw>")
    let two = xml.replacingOccurrences(of: first, with: first + "\n" + second)
    let gpus = try NvidiaSMIXML.parse(Data(two.utf8), source: "two.xml")
    #expect(gpus.map(\.uuid) == ["GPU-513536b6-7d19-9063-b049-1e69664bb298", "GPU-second"])
    #expect(gpus.map(\.index) == [0, 1] && gpus.map(\.minorNumber) == [1, 0])
    #expect(gpus.map(\.powerW) == [67.03, 301.5])
    let layout = ClusterLayout(
      cluster: Cluster(name: "lab", scheduler: .slurm, site: "lab", pricing: .owned))
    let state = NvidiaSMIInventory.state(gpus, node: "box", layout: layout, at: Date())
    let node = NodeID(cluster: "lab", name: "box")
    #expect(state.gpuSamples[GPUID(node: node, index: 1)]?.powerW == 301.5)
    #expect(state.gpuSamples[GPUID(node: node, index: 0)]?.powerW == 67.03)
    // Slurm's device 0 is /dev/nvidia0: the second GPU listed.
    var slurm = FleetState(
      clusters: [layout.cluster], nodes: [layout.node("box", state: .allocated)],
      gpus: (0..<2).map { GPU.placeholder(node: node, index: $0, model: .a100SXM) },
      jobs: [
        Job(
          id: "9", cluster: "lab", name: "j", user: "u", team: "t", kind: .training,
          state: .running, gpus: 1, nodes: ["box"], start: nil)
      ])
    slurm.allocations = [GPUID(node: node, index: 0): JobID(cluster: "lab", id: "9")]
    let fleet = FleetState(joining: ["slurm": slurm, "nvidia-smi": state])
    #expect(fleet.allocations == [GPUID(node: node, index: 1): JobID(cluster: "lab", id: "9")])
    #expect(fleet.gpuSamples[GPUID(node: node, index: 1)]?.powerW == 301.5)
  }

  @Test func notNvidiaSMIIsAClearError() {
    #expect(
      throws: InputError(
        source: "x.xml", message: "not nvidia-smi -q -x output (no nvidia_smi_log)")
    ) {
      try NvidiaSMIXML.parse(Data("<html/>".utf8), source: "x.xml")
    }
  }

  /// A Data this small keeps its bytes inline, and the pointer it lends to them is to a copy
  /// that lasts only as long as the closure: libxml2 once went on reading after that, and found
  /// whatever had taken the place (seen as "a character XML does not allow" for `<html/>`).
  @Test func smallDocumentsAreReadWhileTheirBytesAreLent() async {
    let outcomes = await withTaskGroup(of: [String].self) { group in
      for _ in 0..<4 {
        group.addTask {
          (0..<2_000).map { _ in
            do {
              return "read \(try NvidiaSMIXML.parse(Data("<html/>".utf8), source: "x.xml"))"
            } catch {
              return "\(error)"
            }
          }
        }
      }
      return await group.reduce(into: Set<String>()) { $0.formUnion($1) }
    }
    #expect(outcomes == ["x.xml: not nvidia-smi -q -x output (no nvidia_smi_log)"])
  }

  /// Foundation's parser on Linux reports success for some broken documents: they must still be
  /// refused, in words, not read as far as they go.
  @Test(arguments: [
    (
      "<nvidia_smi_log><gpu><uuid>GPU-1</uuid></gpux></nvidia_smi_log>",
      "a closing tag that does not match the element it closes"
    ),
    ("<nvidia_smi_log><gpu><uuid>GPU-1", "the document ends inside <uuid>"),
    ("<nvidia_smi_log><gpu><uuid>&bogus;</uuid></gpu></nvidia_smi_log>", "not XML"),
  ])
  func brokenXMLIsRefusedInWords(text: String, says: String) {
    #expect {
      try NvidiaSMIXML.parse(Data(("<?xml version=\"1.0\"?>\n" + text).utf8), source: "x.xml")
    } throws: { error in
      "\(error)".contains("x.xml line") && "\(error)".contains(says)
    }
  }

  /// libFuzzer's finds: each of these crashed Foundation's XMLParser (a null pointer in its
  /// callbacks). libxml2's own reader reads an nvidia_smi_log with no GPUs in it, and refuses
  /// the rest in words (`refusal` nil: read, with no GPUs).
  @Test(
    arguments: [
      ("<?xml?><nvidia_smi_log/>", "x.xml line 1: not XML"),
      ("<nvidia_smi_log><?pi?></nvidia_smi_log>", nil),
      ("<!DOCTYPE a [\n<!NOTATION n SYSTEM \"x\">]><nvidia_smi_log/>", nil),
      ("<!DOCTYPE a [<!ATTLIST a b CDATA #IMPLIED>]><a/>", "no nvidia_smi_log"),
      ("<!DOCTYPE a [<!ENTITY e SYSTEM \"x\" NDATA n>]><a/>", "no nvidia_smi_log"),
    ] as [(String, String?)])
  func markupThatCrashedFoundationsParserIsReadOrRefused(text: String, refusal: String?) {
    do {
      let gpus = try NvidiaSMIXML.parse(Data(text.utf8), source: "x.xml")
      #expect(refusal == nil && gpus.isEmpty, "read \(gpus.count) GPUs")
    } catch {
      #expect(refusal.map { "\(error)".contains($0) } == true, "\(error)")
    }
  }

}

/// The nvidia-smi feed runs the command and reads its CSV: here a script standing in for the
/// binary (no GPU on these machines) prints the H100 capture's query-gpu output under load.
@Suite(
  .enabled(if: FileManager.default.fileExists(atPath: fixtures.path), "shared/fixtures is absent"))
struct NvidiaSMIFeedTests {
  @Test func theFeedRunsTheCommandAndReadsItsGPUs() async throws {
    let text = try String(contentsOf: h100Capture, encoding: .utf8)
    let load = try #require(
      NvidiaSMIQuery.captureSections(text).last { $0.name.hasPrefix("load :: query-gpu") })
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-smi-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let apps = try #require(
      NvidiaSMIQuery.captureSections(text).last {
        $0.name.hasPrefix("load :: query-compute-apps")
      })
    try load.body.write(
      to: folder.appendingPathComponent("gpus.csv"), atomically: true, encoding: .utf8)
    try apps.body.write(
      to: folder.appendingPathComponent("apps.csv"), atomically: true, encoding: .utf8)
    let script = folder.appendingPathComponent("nvidia-smi")
    try """
    #!/bin/sh
    case "$1" in
      --query-gpu=*) cat "$(dirname "$0")/gpus.csv" ;;
      --query-compute-apps=*) cat "$(dirname "$0")/apps.csv" ;;
      *) echo "unexpected: $*" >&2; exit 9 ;;
    esac
    """.write(to: script, atomically: true, encoding: .utf8)
    chmod(script.path, 0o755)
    let layout = ClusterLayout(
      cluster: Cluster(name: "lab", scheduler: .slurm, site: "lab", pricing: .owned))
    let feed = NvidiaSMIFeed(
      name: "lab/nvidia-smi", layout: layout, node: "h100-box", executable: script.path,
      intervalS: 10)
    let state = try await feed.poll(at: Date())
    let gpu = try #require(state.gpus.first)
    #expect(state.gpus.count == 1 && gpu.node == NodeID(cluster: "lab", name: "h100-box"))
    #expect(gpu.model.name == "NVIDIA H100 80GB HBM3" && gpu.model.memoryMiB == 81_559)
    let sample = try #require(state.gpuSamples[gpu.id])
    #expect(sample.powerW == 631.95 && sample.utilPct == 100 && sample.memUsedMiB == 19_818)
    #expect(sample.tempC == 59 && sample.smClockMHz == 1_980)
    // Three processes hold the GPU: three running jobs, the GPU held by the first.
    #expect(state.jobs.map(\.id) == ["h100-box:11327", "h100-box:11328", "h100-box:11345"])
    #expect(state.jobs.map(\.name) == ["memhog", "memhog", "gpu_burn"])
    #expect(state.allocations[gpu.id] == JobID(cluster: "lab", id: "h100-box:11327"))

    // A command that fails: its exit status and what it said.
    let broken = NvidiaSMIFeed(
      name: "x", layout: layout, node: "n", executable: "/bin/false", intervalS: 10)
    await #expect {
      _ = try await broken.poll(at: Date())
    } throws: { "\($0)" == "false --query-gpu=… …: exited(1)" }
    let missing = NvidiaSMIFeed(
      name: "x", layout: layout, node: "n", executable: "/nonexistent/nvidia-smi", intervalS: 10)
    await #expect(throws: CommandError.self) { _ = try await missing.poll(at: Date()) }
  }
}

@Suite(
  .enabled(if: FileManager.default.fileExists(atPath: fixtures.path), "shared/fixtures is absent"))
struct NvidiaSMIComputeAppsTests {
  @Test func theCapturesProcesses() throws {
    let text = try String(contentsOf: h100Capture, encoding: .utf8)
    let sections = NvidiaSMIQuery.captureSections(text)
    let load = try #require(sections.first { $0.name.hasPrefix("load :: query-compute-apps") })
    let processes = try NvidiaSMIQuery.computeApps(load.body, source: "load")
    #expect(processes.map(\.pid) == [11_327, 11_328, 11_345])
    #expect(processes.map(\.name) == ["/home/tools/memhog", "/home/tools/memhog", "./gpu_burn"])
    #expect(processes.map(\.usedMemoryMiB) == [2_566, 1_542, 15_690])
    #expect(processes.allSatisfy { $0.gpuUUID == "GPU-00000000-0000-0000-0000-000000000000" })
    let idle = try #require(sections.first { $0.name.hasPrefix("idle :: query-compute-apps") })
    #expect(try NvidiaSMIQuery.computeApps(idle.body, source: "idle").isEmpty)
  }

  @Test func aNameWithACommaAndABadRow() throws {
    let text =
      "gpu_uuid, pid, used_gpu_memory [MiB], process_name\nGPU-1, 7, 10 MiB, python, -m x\n"
    let processes = try NvidiaSMIQuery.computeApps(text, source: "apps")
    #expect(processes.first?.name == "python, -m x")
    #expect(throws: InputError.self) {
      try NvidiaSMIQuery.computeApps("gpu_uuid, pid\nGPU-1, seven\n", source: "apps")
    }
    #expect(throws: InputError.self) { try NvidiaSMIQuery.computeApps("pid\n1\n", source: "x") }
  }
}
