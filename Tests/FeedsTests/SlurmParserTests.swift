import Feeds
import FleetModel
import Foundation
import Testing

let slurm2411 = fixtures.appendingPathComponent("slurmrestd/24.11-v0.0.42")
private let have2411 = FileManager.default.fileExists(atPath: slurm2411.path)

private func read(_ name: String) throws -> Data {
  try Data(contentsOf: slurm2411.appendingPathComponent(name))
}

/// slurmrestd 24.11 (data_parser v0.0.42) answers from a real cluster, checked against the files.
@Suite(.enabled(if: have2411, "shared/fixtures is absent")) struct Slurm2411FixtureTests {
  @Test func nodesWithStatesReasonsAndTypedGPUs() throws {
    let nodes = try SlurmNodes.parse(try read("slurm-nodes.json"), source: "slurm-nodes.json")
    #expect(nodes.map(\.name) == ["cn1", "cn2", "cn3", "cn4", "ia1", "ia2"])
    #expect(nodes.map(\.state) == [.idle, .idle, .down, .drained, .idle, .idle])
    #expect(nodes[2].reason == "CPU dead" && nodes[3].reason == "ECC memory error")
    #expect(nodes[0].reason == nil && nodes[0].gpuCount == 0)
    // gres "gpu:h100:2,gpu:h200:4": six GPUs of two types, none in use.
    #expect(nodes[4].gpuCount == 6)
    #expect(nodes[4].gpus.map(\.type) == ["h100", "h200"])
    #expect(nodes[4].gpusUsed.map(\.count) == [0, 0])
    #expect(nodes[4].partitions == ["ia"])
  }

  @Test func singleNodeAnswers() throws {
    let states: [(String, NodeState, String?)] = [
      ("slurm-node-down.json", .down, "CPU dead"),
      ("slurm-node-drain.json", .drained, "ECC memory error"),
      ("slurm-node-mixed.json", .mixed, nil),
      ("slurm-node-with-gpus-model-idle.json", .idle, nil),
    ]
    for (file, state, reason) in states {
      let node = try #require(try SlurmNodes.parse(try read(file), source: file).first)
      #expect(node.state == state, "\(file)")
      #expect(node.reason == reason, "\(file)")
    }
    let busy = try #require(
      try SlurmNodes.parse(
        try read("slurm-node-with-gpus-model-allocated.json"), source: "allocated"
      ).first)
    #expect(busy.gpuCount == 6)
    #expect(busy.gpusUsed.compactMap(\.count).reduce(0, +) > 0)
  }

  @Test func jobsInEveryState() throws {
    let jobs = try SlurmJobs.parse(try read("slurm-jobs.json"), source: "slurm-jobs.json")
    #expect(jobs.count == 16)
    let cancelled = try #require(jobs.first { $0.id == "6355" })
    #expect(cancelled.state == .cancelled && cancelled.user == "progers")
    #expect(cancelled.account == "biology" && cancelled.partition == "ia")
    // tres_per_job "gres/gpu:1"; tres_per_node "gres/gpu:h100:1,gres/gpu:h200:1" (two GPUs).
    #expect(cancelled.gpus == 1)
    #expect(jobs.first { $0.id == "6356" }?.gpus == 2)
    #expect(jobs.first { $0.id == "6357" }?.state == .timeout)
    let failed = try #require(jobs.first { $0.id == "6359" })
    #expect(failed.state == .failed && failed.end == Date(timeIntervalSince1970: 1_762_788_771))
    let pending = jobs.filter { $0.state == .pending }
    #expect(pending.map(\.id) == ["6369", "6370"])
    #expect(pending.allSatisfy { $0.nodes.isEmpty && $0.start == nil })
    let running = try #require(jobs.first { $0.id == "6366" })
    #expect(running.state == .running && running.nodes == ["cn3"] && running.gpus == nil)
    #expect(running.start == Date(timeIntervalSince1970: 1_762_788_801))
    // A running job's `end_time` is when its limit runs out, not an end.
    #expect(running.end == nil)
    // `time_limit` {set, infinite, number} in minutes.
    #expect(running.timeLimitS == 120 && cancelled.timeLimitS == 60)
  }

  @Test func gpuJobs() throws {
    let multi = try #require(
      try SlurmJobs.parse(try read("slurm-job-gpus-multi-nodes.json"), source: "multi").first)
    // Two nodes, each gpu:h100:2(IDX:0-1),gpu:h200:4(IDX:2-5).
    #expect(multi.nodes == ["ia1", "ia2"] && multi.gpus == 12)
    #expect(multi.gpuIndices["ia2"] == [0, 1, 2, 3, 4, 5])
    let types = try #require(
      try SlurmJobs.parse(try read("slurm-job-gpus-multi-types.json"), source: "types").first)
    #expect(types.gpus == 2 && types.gpuIndices["ia1"] == [0, 2])
    let pending = try #require(
      try SlurmJobs.parse(try read("slurm-job-gpus-pending.json"), source: "pending").first)
    #expect(pending.state == .pending && pending.gpus == 6 && pending.nodes.isEmpty)
    let running = try #require(
      try SlurmJobs.parse(try read("slurm-job-gpus-running.json"), source: "running").first)
    #expect(running.state == .running && running.gpus == 6 && running.nodes == ["ia1"])
  }

  @Test func accountingJobs() throws {
    let running = try #require(
      try SlurmDBJobs.parse(try read("slurmdb-job-gpus-running.json"), source: "db").first)
    // This cluster does not account gres/gpu: the GPU count is unknown, not 0.
    #expect(running.id == "6374" && running.state == .running && running.gpus == nil)
    #expect(running.user == "vhartman" && running.nodes == ["ia1"])
    #expect(running.start == Date(timeIntervalSince1970: 1_762_788_927))
    #expect(running.timeLimitS == 60)  // `time.limit`, minutes
    #expect(running.end == nil)  // a running job's `time.end` is not an end
    let done = try #require(
      try SlurmDBJobs.parse(try read("slurmdb-job-gpus-completed.json"), source: "db").first)
    #expect(done.state == .completed && done.account == "acoustic")
    #expect(done.end == Date(timeIntervalSince1970: 1_762_788_920))
  }
}

/// Shapes of the releases with no capture here, built from the published schemas.
@Suite struct SlurmShapeTests {
  @Test func release2205NodeStateIsAStringWithFlags() throws {
    let json = """
      {"meta":{"Slurm":{"version":{"major":22}}},"errors":[],"nodes":[
        {"name":"n4","state":"idle","state_flags":["DRAIN"],"reason":"XID 79 on GPU 3",
         "reason_changed_at":1795572441,"gres":"gpu:h100:8","gres_used":"gpu:h100:0(IDX:N\\/A)",
         "tres":"cpu=64,mem=500G,billing=64,gres/gpu=8","tres_used":null},
        {"name":"n1","state":"mixed","state_flags":[],"gres":"gpu:h100:8",
         "gres_used":"gpu:h100:6(IDX:0-5)","reason":""},
        {"name":"n2","state":"allocated","state_flags":["DRAIN"],"gres":"gpu:8","gres_used":"gpu:8"},
        {"name":"n3","state":"mixed","state_flags":["NOT_RESPONDING"],"gres":"gpu:8","reason":""}]}
      """
    let nodes = try SlurmNodes.parse(Data(json.utf8), source: "sinfo")
    #expect(nodes.map(\.state) == [.drained, .mixed, .draining, .down])
    #expect(nodes[3].reason == "not responding")
    #expect(nodes[0].reason == "XID 79 on GPU 3")
    #expect(nodes[0].reasonSince == Date(timeIntervalSince1970: 1_795_572_441))
    #expect(nodes[1].gpusUsed.first?.indices == [0, 1, 2, 3, 4, 5])
    #expect(nodes[2].gpuCount == 8 && nodes[2].gpus.first?.type == nil)
  }

  @Test func release2302SinfoIsGroupedByPartitionAndState() throws {
    let json = """
      {"sinfo":[
        {"node":{"state":["IDLE","DRAIN"]},"nodes":{"nodes":["gpu[01-02]"]},
         "gres":{"total":"gpu:h100:8","used":"gpu:h100:0(IDX:N/A)"},
         "reason":{"description":"XID 79 on GPU 3","time":{"set":true,"infinite":false,"number":5}},
         "partition":{"name":"batch"}},
        {"node":{"state":["MIXED"]},"nodes":{"nodes":["gpu03"]},"gres":{"total":"gpu:8","used":"gpu:3"},
         "reason":{"description":""},"partition":{"name":"batch"}},
        {"node":{"state":["MIXED"]},"nodes":{"nodes":["gpu03"]},"gres":{"total":"gpu:8","used":"gpu:3"},
         "partition":{"name":"debug"}}],"errors":[]}
      """
    let nodes = try SlurmNodes.parse(Data(json.utf8), source: "sinfo")
    #expect(nodes.map(\.name) == ["gpu01", "gpu02", "gpu03"])
    #expect(nodes.map(\.state) == [.drained, .drained, .mixed])
    #expect(nodes[0].reason == "XID 79 on GPU 3" && nodes[2].reason == nil)
    #expect(nodes[2].partitions == ["batch", "debug"])
  }

  @Test func release2311StatesAreArraysAndNumbersAreStructs() throws {
    let json = """
      {"jobs":[{"job_id":7,"name":"train","user_name":"ada","account":"llm","partition":"gpu",
        "job_state":["RUNNING","COMPLETING"],"nodes":"gpu[01-02]",
        "gres_detail":["gpu:8(IDX:0-7)","gpu:8(IDX:0-7)"],
        "start_time":{"set":true,"infinite":false,"number":1700000000},
        "node_count":{"set":true,"infinite":false,"number":2},
        "time_limit":{"set":false,"infinite":true,"number":0}},
       {"job_id":8,"job_state":["PENDING"],"nodes":"","tres_per_node":"gres/gpu:4",
        "node_count":{"set":true,"infinite":false,"number":3},"start_time":{"set":true,"infinite":false,"number":1900000000}},
       {"job_id":9,"job_state":["PENDING"],"nodes":"","tres_per_task":"gres/gpu:1",
        "tasks":{"set":true,"infinite":false,"number":5}},
       {"job_id":10,"job_state":"RUNNING","nodes":"n1","tres_alloc_str":"cpu=8,gres/gpu=4,gres/gpu:h100=8"}],
       "errors":[],"warnings":[]}
      """
    let jobs = try SlurmJobs.parse(Data(json.utf8), source: "squeue")
    #expect(jobs.map(\.state) == [.running, .pending, .pending, .running])
    #expect(jobs[0].nodes == ["gpu01", "gpu02"] && jobs[0].gpus == 16)
    #expect(jobs[0].start == Date(timeIntervalSince1970: 1_700_000_000))
    // Pending: the estimated start is not a start; per-node × nodes, per-task × tasks.
    #expect(jobs[1].start == nil && jobs[1].gpus == 12)
    #expect(jobs[2].gpus == 5)
    // Only the untyped TRES counts (22.05 doubled the typed one).
    #expect(jobs[3].gpus == 4)
  }

  @Test func errorsInTheAnswerAreReported() {
    let json = #"{"errors":[{"error":"Protocol authentication error"}],"jobs":[]}"#
    #expect(throws: SlurmAnswerError.self) { try SlurmJobs.parse(Data(json.utf8), source: "rest") }
  }

  @Test func badShapesNameTheJSONPath() {
    let json = #"{"jobs":[{"job_id":1},{"job_id":2,"job_state":{"oops":1}}]}"#
    #expect {
      try SlurmJobs.parse(Data(json.utf8), source: "squeue.json")
    } throws: { error in
      "\(error)".hasPrefix("squeue.json: at jobs[1].job_state")
    }
    #expect(throws: InputError.self) { try SlurmNodes.parse(Data("{}".utf8), source: "x") }
    #expect(throws: InputError.self) { try SlurmNodes.parse(Data("not json".utf8), source: "x") }
  }

  @Test func hostlists() {
    #expect(Hostlist.expand("n[1-2]") == ["n1", "n2"])
    #expect(Hostlist.expand("gpu[01-04]") == ["gpu01", "gpu02", "gpu03", "gpu04"])
    #expect(Hostlist.expand("a[1,3-5],b2") == ["a1", "a3", "a4", "a5", "b2"])
    #expect(Hostlist.expand("r[1-2]n[1-2]") == ["r1n1", "r1n2", "r2n1", "r2n2"])
    #expect(Hostlist.expand("cn1") == ["cn1"] && Hostlist.expand("").isEmpty)
    #expect(Hostlist.expand("bad[x-y]") == ["bad[x-y]"])
    // libFuzzer: a range with no bound before its dash trapped (an index out of range).
    #expect(Hostlist.expand("n[-],m[-5],o[5-],p[1--2]") == ["n[-]", "m[-5]", "o[5-]", "p[1--2]"])
    // A bound is digits: Swift's Int would read `+1` as 1. A bracket names at least one node.
    #expect(Hostlist.expand("n[+1],m[1-+2],e[]") == ["n[+1]", "m[1-+2]", "e[]"])
    #expect(Hostlist.expand("x[1-2]y[") == ["x1y[", "x2y["])
    // libFuzzer: items of hundreds of brackets. Each name is built once, not once per bracket.
    let brackets = "n" + String(repeating: "[0]", count: 300)
    #expect(
      Hostlist.expand(brackets + "[8-9]")
        == [
          "n" + String(repeating: "0", count: 300) + "8",
          "n" + String(repeating: "0", count: 300) + "9",
        ])
    // One item naming more nodes than any cluster has is taken literally, not expanded.
    #expect(Hostlist.expand("a[0-99999]b[0-99999]") == ["a[0-99999]b[0-99999]"])
    #expect(Hostlist.expand("a[0-999,0-999]b[0-999]") == ["a[0-999,0-999]b[0-999]"])
    #expect(Hostlist.expand("n[0-99999]").count == 100_000)
    // A budget of bytes shared by the hostlists of one answer (each name costs its text and
    // its String): past it, items are taken literally.
    var budget = 5 * (2 + MemoryLayout<String>.size)
    #expect(
      Hostlist.expand("a[1-3],b[1-3],c1", budget: &budget) == ["a1", "a2", "a3", "b[1-3]", "c1"])
    #expect(budget == 2 + MemoryLayout<String>.size)
    // An item is sized before it is built, by its longest name: `n[8-10]` costs three names of
    // three characters, though `n8` and `n9` are shorter.
    budget = 3 * (3 + MemoryLayout<String>.size) - 1
    #expect(Hostlist.expand("n[8-10]", budget: &budget) == ["n[8-10]"])
    budget += 1
    #expect(Hostlist.expand("n[8-10]", budget: &budget) == ["n8", "n9", "n10"])
    #expect(budget == 2)
    // One item of more than 8 MiB is taken literally: a long prefix is repeated in every name.
    let prefix = String(repeating: "x", count: 100)
    #expect(Hostlist.expand(prefix + "[0-99999]") == [prefix + "[0-99999]"])
    let padded = "n[" + String(repeating: "0", count: 100) + "1-99999]"
    #expect(Hostlist.expand(padded) == [padded])
  }

  /// 32 running jobs of 100,000 nodes each are 70 MB of names from a few kilobytes: one answer
  /// expands 64 MiB at most (2.2 MB a job, so 30 jobs), and the rest stay as written.
  @Test func oneAnswerExpands64MiBOfNamesAtMost() throws {
    let job = #"{"job_id":1,"job_state":["RUNNING"],"nodes":"n[0-99999]"}"#
    let json = #"{"jobs":["# + Array(repeating: job, count: 32).joined(separator: ",") + "]}"
    let jobs = try SlurmJobs.parse(Data(json.utf8), source: "squeue")
    #expect(jobs.map(\.nodes.count) == Array(repeating: 100_000, count: 30) + [1, 1])
    #expect(jobs[31].nodes == ["n[0-99999]"])
  }

  @Test func gresAndTresStrings() {
    let items = GresItem.parse("gpu:h100:2(IDX:0,2-3),gpu:h200:4(S:0-1),nic:1")
    #expect(items.map(\.type) == ["h100", "h200", nil])
    #expect(items[0].indices == [0, 2, 3] && items[1].indices.isEmpty)
    #expect(GresItem.gpus("gpu:h100:2(IDX:0,2-3),gpu:h200:4(S:0-1),nic:1") == 6)
    #expect(GresItem.gpus("gres:gpu:8") == 8 && GresItem.gpus("gres/gpu:h100:1") == 1)
    #expect(GresItem.gpus("N/A") == nil && GresItem.gpus("nic:1") == nil)
    #expect(Tres.gpus("cpu=1,gres/gpu:h100=12,gres/gpu=6") == 6)
    #expect(Tres.gpus("cpu=1,gres/gpu:h100=2,gres/gpu:h200=4") == 6)
    #expect(Tres.gpus("cpu=1,mem=2G") == nil)
    // Counts out of range (negative, past 2³¹ − 1) and totals that would wrap are unknown.
    #expect(
      GresItem.parse("gpu:-5,gpu:h100:-1,gpu:h100:2147483648").map(\.count) == [nil, nil, nil])
    #expect(GresItem.gpus("gpu:2147483647,gpu:1") == nil)
    #expect(Tres.gpus("gres/gpu:a=2147483647,gres/gpu:b=1") == nil)
    #expect(Tres.gpus("gres/gpu=-3") == nil)
    // A total with a part that is no count is unknown, not the sum of the rest.
    #expect(Tres.gpus("gres/gpu:a=2,gres/gpu:b=2147483648") == nil)
    #expect(Tres.gpus("gres/gpu=x,gres/gpu:a=2") == nil)
    #expect(GresItem.gpus("gpu:h100:2,gpu:a100:x") == nil)
  }

  /// libFuzzer: a job whose per-node GRES summed past `Int.max` trapped; so would have a
  /// per-node count times the nodes, a per-task count times the tasks, and slurmdbd TRES counts
  /// that are no whole number. Each is now an unknown GPU count, as is a job with one node's
  /// count out of range (its total used to be the other nodes').
  @Test func gpuCountsThatWouldOverflowAreUnknown() throws {
    let json = """
      {"jobs":[
        {"job_id":1,"job_state":["RUNNING"],"nodes":"n[1-3]",
         "gres_detail":["gpu:9223372036854775807","gpu:1","gpu:-777777777777777"]},
        {"job_id":2,"job_state":["PENDING"],"nodes":"","tres_per_node":"gres/gpu:65536",
         "node_count":{"set":true,"infinite":false,"number":65536}},
        {"job_id":3,"job_state":["PENDING"],"nodes":"","tres_per_task":"gres/gpu:8",
         "tasks":{"set":true,"infinite":false,"number":1e300}},
        {"job_id":4,"job_state":["PENDING"],"nodes":"","tres_per_node":"gres/gpu:2",
         "node_count":{"set":true,"infinite":false,"number":-4}}]}
      """
    let jobs = try SlurmJobs.parse(Data(json.utf8), source: "squeue")
    #expect(jobs.map(\.gpus) == [nil, nil, 8, 2])
    let accounting = """
      {"jobs":[
        {"job_id":1,"state":{"current":["COMPLETED"]},"nodes":"n1",
         "tres":{"allocated":[{"type":"gres","name":"gpu","count":1e300}]}},
        {"job_id":2,"state":{"current":["COMPLETED"]},"nodes":"n1",
         "tres":{"allocated":[{"type":"gres","name":"gpu:h100","count":2147483647},
                              {"type":"gres","name":"gpu:a100","count":1}]}},
        {"job_id":3,"state":{"current":["COMPLETED"]},"nodes":"n1",
         "tres":{"allocated":[{"type":"gres","name":"gpu:h100","count":2},
                              {"type":"gres","name":"gpu:a100","count":1.5}]}},
        {"job_id":4,"state":{"current":["COMPLETED"]},"nodes":"n1",
         "tres":{"allocated":[{"type":"gres","name":"gpu:h100","count":2},
                              {"type":"gres","name":"gpu:a100","count":2}]}}]}
      """
    #expect(
      try SlurmDBJobs.parse(Data(accounting.utf8), source: "sacct").map(\.gpus)
        == [nil, nil, nil, 4])
  }

  @Test func textFallbacks() throws {
    let scontrol = """
      NodeName=n4 Arch=x86_64 CoresPerSocket=32  CPUAlloc=0 Gres=gpu:h100:8 NodeAddr=127.0.0.1 OS=Linux 6.1.0 #1 SMP PREEMPT_DYNAMIC Debian  RealMemory=512000 State=IDLE+DRAIN Partitions=gpu  CfgTRES=cpu=64,gres/gpu=8 AllocTRES= CapWatts=n/a Reason=XID 79 on GPU 3 [root@2026-11-24T21:06:58]
      NodeName=n1 Gres=gpu:h100:8 State=MIXED Partitions=gpu,debug Reason=(null)
      NodeName=n2 Gres=gpu:h100:8 State=IDLE* Partitions=gpu Reason=(null)
      """
    let nodes = try SlurmText.scontrolNodes(scontrol, source: "scontrol")
    #expect(nodes.map(\.state) == [.drained, .mixed, .down])
    #expect(nodes[2].reason == "not responding")
    #expect(nodes[0].reason == "XID 79 on GPU 3" && nodes[0].reasonSince != nil)
    #expect(nodes[0].gpuCount == 8 && nodes[1].partitions == ["gpu", "debug"])
    #expect(nodes[1].reason == nil)

    let sinfo = "n4|drained|gpu:h100:8|gpu*|XID 79 on GPU 3\nn1|mixed*|gpu:h100:8|gpu*|none\n"
    let listed = try SlurmText.sinfoNodes(sinfo, source: "sinfo")
    // `*`: slurmd stopped answering (its node lost), minutes before Slurm sets it DOWN.
    #expect(listed.map(\.state) == [.drained, .down] && listed[1].reason == "not responding")

    let squeue = """
      4|PENDING|2|gres:gpu:8|||root|ml|gpu|UNLIMITED|waiting
      1|RUNNING|2|gres:gpu:8|n[1-2]|2026-11-25T02:07:23|root|ml|gpu|2-12:00:00|llm|pretrain
      """
    let jobs = try SlurmText.squeueJobs(squeue, source: "squeue")
    #expect(jobs.map(\.gpus) == [16, 16] && jobs[1].nodes == ["n1", "n2"])
    #expect(jobs.map(\.timeLimitS) == [nil, 2.5 * 86_400])
    #expect(jobs[1].name == "llm|pretrain" && jobs[0].start == nil)
    #expect(throws: InputError.self) { try SlurmText.squeueJobs("1|RUNNING", source: "squeue") }
  }
}

private let prometheusAPI = fixtures.appendingPathComponent("prometheus-api")

/// Prometheus API answers captured from a real server (Slurm-web's queries).
@Suite(
  .enabled(
    if: FileManager.default.fileExists(atPath: prometheusAPI.path), "shared/fixtures is absent"))
struct PrometheusAPIFixtureTests {
  func read(_ name: String) throws -> Data {
    try Data(contentsOf: prometheusAPI.appendingPathComponent(name))
  }

  @Test func matrices() throws {
    let nodes = try PrometheusAPI.parse(try read("slurmweb-nodes-hour.json"), source: "nodes")
    #expect(
      nodes.map { $0.labels["state"] } == [
        "allocated", "down", "drain", "idle", "mixed", "unknown",
      ])
    #expect(nodes.allSatisfy { $0.points.count == 120 })
    let idle = try #require(nodes.first { $0.labels["state"] == "idle" })
    #expect(idle.points.first?.value == 1_020 && idle.points.last?.value == 1_013)
    #expect(idle.points.first?.time == Date(timeIntervalSince1970: 1_747_750_980))
    // 30 s steps.
    #expect(idle.points[1].time.timeIntervalSince(idle.points[0].time) == 30)
    let gpus = try PrometheusAPI.parse(try read("slurmweb-gpus-hour.json"), source: "gpus")
    #expect(gpus.count == 5 && gpus.allSatisfy { $0.points.allSatisfy { $0.value == 0 } })
    // An unknown metric is success with nothing in it, not an error.
    #expect(try PrometheusAPI.parse(try read("slurmweb-unknown-metric.json"), source: "x").isEmpty)
  }

  @Test func anErrorAnswerSaysPrometheusWords() {
    #expect {
      try PrometheusAPI.parse(try read("slurmweb-unknown-path.json"), source: "q.json")
    } throws: { error in
      "\(error)"
        == #"q.json: Prometheus says bad_data: invalid parameter "query": 1:1: parse error: unexpected <op:/>"#
    }
  }
}

/// `squeue %l` durations in each of Slurm's spellings.
@Suite struct SlurmDurationTests {
  @Test(arguments: [
    ("30", 1_800.0), ("30:15", 1_815), ("4:00:00", 14_400), ("1-00:00:00", 86_400),
    ("2-12", 216_000), ("1-02:30", 95_400),
  ])
  func readsEverySpelling(text: String, seconds: Double) {
    #expect(SlurmText.duration(text) == seconds)
  }

  @Test(arguments: ["UNLIMITED", "NOT_SET", "INVALID", "", "0", "1:-5", "a-1:00:00", "1:2:3:4"])
  func noLimitOrNonsenseIsUnknown(text: String) {
    #expect(SlurmText.duration(text) == nil)
  }
}
