import Foundation
import TestSupport
import Testing

/// Names from the cluster are other people's input. A Slurm whose node reason, job names, user
/// and account carry escape sequences (a screen clear, an OSC 52 clipboard write, an OSC 0
/// title change, an OSC 8 link), C1 controls, a bidi override and 2,000 characters, read through
/// the real feed by the real binary: nothing reaches the terminal, an export or the log as
/// anything but text.
@MainActor @Suite(.serialized) struct HostileNamesTests {
  static let clear = "\u{1B}[2J\u{1B}[H"
  static let clipboard = "\u{1B}]52;c;cm0gLXJmIH4=\u{07}"
  static let title = "\u{1B}]0;PWNED-TITLE\u{07}"
  static let link = "\u{1B}]8;;http://evil.example\u{1B}\\click\u{1B}]8;;\u{1B}\\"
  static let csiC1 = "\u{9B}31m"
  static let bidi = "\u{202E}"

  /// The fake Slurm client commands, printing JSON whose strings carry the hostile names.
  static func fakeSlurm(in folder: URL) throws -> URL {
    let bin = folder.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    func json(_ text: String) -> String {
      String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }
    let long = "=cmd|' /C calc'!A0" + String(repeating: "x", count: 2_000)
    let nodes = """
      {"nodes":[{"name":"gpu01","state":"idle","state_flags":["DRAIN"],
        "reason":\(json("XID 79\(title)\(clear)")),"gres":"gpu:h100:8","gres_used":"gpu:h100:0"},
       {"name":"gpu02","state":"allocated","state_flags":[],"gres":"gpu:h100:8","gres_used":"gpu:h100:8(IDX:0-7)"},
       {"name":"gpu03","state":"mixed","state_flags":[],"gres":"gpu:h100:8","gres_used":"gpu:h100:4(IDX:0-3)"}]}
      """
    let jobs = """
      {"jobs":[{"job_id":7,"name":\(json("train\(clear)\(title)\(bidi)evil")),
        "user_name":\(json("eve\(clipboard)")),"account":\(json("\(csiC1)team\(link)")),
        "partition":"gpu","job_state":"RUNNING","nodes":"gpu02","tres_alloc_str":"gres/gpu=8",
        "gres_detail":["gpu:h100:8(IDX:0-7)"],"start_time":1700000000},
       {"job_id":8,"name":\(json(long)),"user_name":"ada","account":"@SUM(A1)",
        "partition":"gpu","job_state":"RUNNING","nodes":"gpu03","tres_alloc_str":"gres/gpu=4",
        "gres_detail":["gpu:h100:4(IDX:0-3)"],"start_time":1700000000}]}
      """
    for (name, output) in [("sinfo", nodes), ("squeue", jobs), ("sacct", #"{"jobs":[]}"#)] {
      let script = bin.appendingPathComponent(name)
      try "#!/bin/sh\ncat <<'EOF'\n\(output)\nEOF\n".write(
        to: script, atomically: true, encoding: .utf8)
      chmod(script.path, 0o755)
    }
    // A failing command whose complaint carries a title change and a clipboard write: the
    // error is logged, and shown in the Sources view.
    let smi = bin.appendingPathComponent("nvidia-smi")
    try "#!/bin/sh\nprintf 'NVML failed\\033]0;PWNED-TITLE\\007\\033]52;c;cm0=\\007' >&2\nexit 9\n"
      .write(to: smi, atomically: true, encoding: .utf8)
    chmod(smi.path, 0o755)
    // gpu02's eight GPUs, all held by the job of hostile names, do nothing: a saving names it.
    let idle = bin.appendingPathComponent("nvidia-smi-gpu02")
    try writeFakeNvidiaSMI(
      to: idle,
      gpus: (0..<8).map {
        "GPU-\($0)0000000-0000-0000-0000-000000000000, \($0), 81559, 1000, 0, 70.0, 700.00, 30, 345, "
          + "2619, Disabled, NVIDIA H100 80GB HBM3, 00000000:\(18 + $0):00.0"
      })
    let config = folder.appendingPathComponent("config.toml")
    try """
    [[cluster]]
    name = "hpc"
    [[cluster.source]]
    kind = "slurm"
    bin_dir = "\(bin.path)"
    interval_s = 2
    [[cluster.source]]
    kind = "nvidia-smi"
    command = "\(smi.path)"
    node = "gpu03"
    [[cluster.source]]
    kind = "nvidia-smi"
    name = "idle-gpus"
    command = "\(idle.path)"
    node = "gpu02"
    """.write(to: config, atomically: true, encoding: .utf8)
    return config
  }

  /// Whether raw bytes hold a control that could drive a terminal: ESC, BEL, C1 (UTF-8 C2 80–9F)
  /// or a bidi override.
  static func drivesATerminal(_ data: Data) -> Bool {
    let bytes = [UInt8](data)
    if bytes.contains(0x1B) || bytes.contains(0x07) { return true }
    for i in bytes.indices.dropLast() where bytes[i] == 0xC2 && (0x80...0x9F).contains(bytes[i + 1])
    {
      return true
    }
    return String(decoding: data, as: UTF8.self).contains(bidi)
  }

  @Test func everyExportAndTheLogCarryThemAsText() throws {
    let folder = temporaryFolder()
    let config = try Self.fakeSlurm(in: folder)
    let db = folder.appendingPathComponent("cache.sqlite").path
    let base = ["--config", config.path, "--db", db]
    let polled = try run(try factopBinary(), ["poll", "--once"] + base)
    // One source failed (exit 1); its error is in the log, as text.
    #expect(polled.status == 1, "\(polled.stderr)")
    #expect(polled.stderr.contains("NVML failed"), "\(polled.stderr)")
    #expect(!Self.drivesATerminal(Data(polled.stderr.utf8)) && !polled.stderr.contains("PWNED"))
    var outputs: [(String, Data)] = []
    for format in ["json", "prom", "focus"] {
      let result = try run(
        try factopBinary(), ["snapshot", "--offline", "--format", format] + base)
      #expect(result.status <= 1, "\(format): \(result.stderr)")  // 1: a source is failing
      outputs.append((format, result.stdout))
    }
    for format in ["csv", "md"] {
      for view in ["nodes", "jobs", "savings"] {
        let result = try run(
          try factopBinary(),
          ["snapshot", "--offline", "--format", format, "--view", view] + base)
        #expect(result.status <= 1, "\(format) \(view): \(result.stderr)")
        outputs.append(("\(format) \(view)", result.stdout))
      }
    }
    // The text commands print for people: savings titles quote job names, sources quote errors.
    for arguments in [["savings", "--offline", "--format", "table"], ["sources"]] {
      let result = try run(try factopBinary(), arguments + base)
      #expect(result.status <= 1, "\(arguments[0]): \(result.stderr)")
      outputs.append((arguments[0], result.stdout))
    }
    for (what, data) in outputs {
      #expect(!Self.drivesATerminal(data), "\(what) carries a raw control")
      let text = String(decoding: data, as: UTF8.self)
      if ["json", "csv jobs", "md jobs"].contains(what) {
        #expect(text.contains("eve"), "\(what)")
      }
      if ["savings", "csv savings", "md savings"].contains(what) {
        #expect(text.contains("trainevil holds 8 GPUs"), "\(what): \(text)")
      }
    }
    let sources = String(decoding: outputs.first { $0.0 == "sources" }!.1, as: UTF8.self)
    #expect(sources.contains("NVML failed") && !sources.contains("PWNED"), "\(sources)")
    let csv = String(decoding: outputs.first { $0.0 == "csv jobs" }!.1, as: UTF8.self)
    // Formula-looking cells are quoted with a leading ' so a spreadsheet shows them as text.
    #expect(csv.contains("'=cmd|") && csv.contains("'@SUM(A1)"), "\(csv)")
    #expect(!csv.contains(",=cmd") && !csv.contains(",@SUM"))
    // JSON keeps the names exactly, escaped: a script gets what the cluster said.
    let json = String(decoding: outputs.first { $0.0 == "json" }!.1, as: UTF8.self)
    #expect(json.contains(#"\u001b]52;c;"#) || json.contains(#"\u001B]52;c;"#))
  }

  @Test func theCockpitShowsThemAsTextAndTheTerminalIsUntouched() throws {
    let folder = temporaryFolder()
    let config = try Self.fakeSlurm(in: folder)
    let db = folder.appendingPathComponent("cache.sqlite").path
    let session = TmuxSession()
    defer { session.stop() }
    let command =
      "\(try factopBinary().path) --config \(config.path) --db \(db); echo FACTOP-EXIT:$?; "
      + "sleep 60"
    #expect(try session.start(width: 200, height: 50, command: command) == 0)
    // tmux honours OSC 52 into its paste buffers when set-clipboard is on: a leak would show.
    _ = try session.tmux(["set-option", "-g", "set-clipboard", "on"])
    let titleBefore = try session.tmux(["display-message", "-p", "#{pane_title}"]).stdout
    _ = try session.waitFor("╭ Fleet", "hpc")
    _ = try session.tmux(["send-keys", "-t", session.name, "4"])
    let jobs = try session.waitFor("╭ Jobs", "eve", "trainevil")
    _ = try session.tmux(["send-keys", "-t", session.name, "2"])
    let nodes = try session.waitFor("╭ Nodes", "XID 79")
    _ = try session.tmux(["send-keys", "-t", session.name, "8"])
    let sources = try session.waitFor("╭ Sources", "NVML failed")
    _ = try session.tmux(["send-keys", "-t", session.name, "7"])
    let savings = try session.waitFor("╭ Savings", "trainevil holds")
    for screen in [jobs, nodes, sources, savings] {
      // An OSC's payload goes with it: the title text never shows.
      #expect(!screen.contains("PWNED") && !screen.contains("evil.example"), "\(screen)")
      #expect(screen.split(separator: "\n").allSatisfy { $0.count <= 200 })
    }
    // No title change, no clipboard write: the pane's title is as it was and no buffer exists.
    let titleAfter = try session.tmux(["display-message", "-p", "#{pane_title}"]).stdout
    #expect(
      titleAfter == titleBefore && !String(decoding: titleAfter, as: UTF8.self).contains("PWNED"))
    let buffers = try session.tmux(["list-buffers"]).stdout
    #expect(
      buffers.isEmpty, "a clipboard write reached tmux: \(String(decoding: buffers, as: UTF8.self))"
    )
    _ = try session.tmux(["send-keys", "-t", session.name, "q"])
    let after = try session.waitFor("FACTOP-EXIT:", timeoutS: 10)
    #expect(after.contains("FACTOP-EXIT:0"))
  }
}
