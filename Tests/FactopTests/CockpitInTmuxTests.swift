import Foundation
import TestSupport
import Testing

/// The built cockpit in a real terminal (tmux), read back as a person would see it.
struct TmuxSession {
  let socket = "factop-test-\(UUID().uuidString.prefix(8))"
  let name = "cockpit"

  func tmux(_ arguments: [String]) throws -> Finished {
    try run(URL(fileURLWithPath: "/usr/bin/env"), ["tmux", "-L", socket] + arguments, timeoutS: 10)
  }

  /// Starts the server and the session. The tmux server outlives this call and would inherit
  /// the descriptor Foundation's `Process` watches to notice an exit, so this spawns directly
  /// and waits for the client alone.
  func start(width: Int, height: Int, command: String) throws -> Int32 {
    let arguments = [
      "tmux", "-L", socket, "new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)",
      command,
    ]
    let pid = try spawnWithEmptySignalMask(arguments)
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return status
  }

  func screen() throws -> String {
    String(decoding: try tmux(["capture-pane", "-p", "-t", name]).stdout, as: UTF8.self)
  }

  /// Waits (at most `timeoutS`) until the screen contains every one of `texts`. A frame can be
  /// caught half drawn (the terminal gets it in pieces), so a screen is judged only once all of
  /// what it should show is there.
  func waitFor(_ texts: String..., timeoutS: Double = 30) throws -> String {
    let deadline = Date().addingTimeInterval(timeoutS)
    var shown = ""
    while Date() < deadline {
      shown = try screen()
      if texts.allSatisfy({ shown.contains($0) }) { return shown }
      Thread.sleep(forTimeInterval: 0.1)
    }
    Issue.record(
      "\(texts.joined(separator: ", ")) did not all appear within \(timeoutS) s; the screen was:\n\(shown)"
    )
    return shown
  }

  func stop() {
    _ = try? tmux(["kill-server"])
  }
}

@MainActor @Suite(.serialized) struct CockpitInTmuxTests {
  enum Ending: String, CaseIterable {
    case q, sigterm = "TERM", sigint = "INT", sighup = "HUP", sigquit = "QUIT"
  }

  @Test(arguments: Ending.allCases)
  func showsTheOverviewAndRestoresTheTerminal(ending: Ending) throws {
    let folder = temporaryFolder()
    // A first run: the cache's folder does not exist yet.
    let db = folder.appendingPathComponent("state/factop/cache.sqlite").path
    let pidFile = folder.appendingPathComponent("pid").path
    let session = TmuxSession()
    defer { session.stop() }
    // The shell records the cockpit's pid, then shows how it ended and the terminal's modes.
    let command =
      "sh -c 'echo $$ > \(pidFile); exec \(try factopBinary().path) --db \(db) --sim-gpus 256'; "
      + "echo FACTOP-EXIT:$?; stty -a | tr '\\n' ' '; echo; sleep 60"
    #expect(try session.start(width: 160, height: 50, command: command) == 0)

    _ = try session.waitFor(
      "GPUs 256", "╭ Fleet", "╭ Clusters", "train-a", "demo fleet · 256 GPUs · seed 1",
      // The Overview's Sources panel: the status bar's "all ok" can be crowded out by alerts
      // (the demo's down node is down two days in three).
      "demo         sim      ok")

    switch ending {
    case .q:
      // Visit every view by its key, as a person would: sort, filter, drill down and back,
      // cycle the heatmap, run a command, resize the window, then quit.
      let visits = [
        ("2", "╭ Nodes (32)"), ("s", "CLUSTER▲"), ("S", "CLUSTER▼"), ("/", "Enter apply"),
        ("state=drained", "/ state=drained█"), ("Enter", "(1 of 32 · /state=drained)"),
        ("Enter", "State  drained (XID 79"), ("Escape", "(1 of 32 · /state=drained)"),
        ("Escape", "╭ Nodes (32)"), ("3", "╭ GPUs (256) · utilization · one cell per GPU"),
        ("t", "╭ GPUs (256) · SM activity"), ("Enter", "ACTIVITY, LAST 60 POLLS"),
        ("Escape", "╭ GPUs (256)"), ("4", "╭ Jobs"), ("Enter", "Util 24h"), ("Escape", "╭ Jobs"),
        ("5", "╭ Power chain"), ("Enter", "Esc: back"), ("Escape", "╭ Power chain"),
        ("6", "╭ Spend"), ("7", "╭ Savings"), ("Enter", "Evidence"), ("Escape", "╭ Savings"),
        ("8", "╭ Sources"), ("9", "╭ Incidents"), ("Enter", "Cost    "),
        ("Escape", "╭ Incidents"), ("?", "╭ Keys"), (":", "Enter run"),
        ("view overview", ": view overview█"), ("Enter", "╭ Fleet"),
      ]
      for (key, title) in visits {
        _ = try session.tmux(["send-keys", "-t", session.name, key])
        _ = try session.waitFor(title, timeoutS: 10)
      }
      _ = try session.tmux(["resize-window", "-t", session.name, "-x", "80", "-y", "24"])
      let small = try session.waitFor(
        "1 Overview  2  3  4  5  6  7  8  9  ?", "╭ Fleet", "⚠ at least", timeoutS: 10)
      #expect(small.split(separator: "\n").allSatisfy { $0.count <= 80 })
      #expect(small.contains("╭ Fleet"))
      _ = try session.tmux(["send-keys", "-t", session.name, "q"])
    default:
      let pid = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(
        in: .whitespacesAndNewlines)
      _ = try run(URL(fileURLWithPath: "/usr/bin/env"), ["kill", "-\(ending.rawValue)", pid])
    }
    // The shell prints the exit status, then the terminal's modes (stty always names icanon).
    let after = try session.waitFor("FACTOP-EXIT:", "icanon", timeoutS: 10)
    #expect(after.contains("FACTOP-EXIT:0"), "the screen after the cockpit ended:\n\(after)")
    #expect(!after.contains("╭ Fleet"), "the cockpit's screen was left behind")
    // Canonical mode and echo are back: a shell prompt would work again.
    #expect(after.contains(" icanon ") && after.contains(" echo "), "terminal modes: \(after)")
  }
}

extension CockpitInTmuxTests {
  /// The cache is opened behind the first frame; one that cannot be opened ends the cockpit
  /// with exit 2 and says why on the restored terminal, not under the curses screen.
  @Test func aCacheThatCannotBeOpenedIsReportedOnTheRestoredTerminal() throws {
    let folder = temporaryFolder()  // a folder where the cache file should be
    let session = TmuxSession()
    defer { session.stop() }
    let command =
      "\(try factopBinary().path) --db \(folder.path); echo FACTOP-EXIT:$?; "
      + "stty -a | tr '\\n' ' '; echo; sleep 60"
    #expect(try session.start(width: 120, height: 30, command: command) == 0)
    let after = try session.waitFor("FACTOP-EXIT:", "icanon", timeoutS: 20)
    #expect(after.contains("FACTOP-EXIT:2"), "\(after)")
    #expect(after.contains("cannot use the cache at \(folder.path)"), "\(after)")
    #expect(after.contains(" icanon ") && after.contains(" echo "), "terminal modes: \(after)")
  }
}

/// Terminals on-call meets: a pane of 10×5, a plain C locale, a dumb terminal, the cockpit
/// stopped with ^Z and brought back, a storm of resizes.
@MainActor @Suite(.serialized) struct AwkwardTerminalTests {
  /// The cockpit in a fresh tmux pane; the shell prints `X=<status>` when it ends (short
  /// enough for a 10-column pane).
  func cockpit(_ environment: String, width: Int, height: Int) throws -> TmuxSession {
    let session = TmuxSession()
    let db = temporaryFolder().appendingPathComponent("cache.sqlite").path
    let command =
      "env \(environment) \(try factopBinary().path) --db \(db) --sim-gpus 256; echo X=$?; "
      + "sleep 60"
    #expect(try session.start(width: width, height: height, command: command) == 0)
    return session
  }

  @Test func aTinyPaneStillDrawsAndQuits() throws {
    let session = try cockpit("", width: 10, height: 5)
    defer { session.stop() }
    let screen = try session.waitFor("factop", "GPUs")
    #expect(screen.split(separator: "\n").allSatisfy { $0.count <= 10 })
    _ = try session.tmux(["send-keys", "-t", session.name, "q"])
    _ = try session.waitFor("X=0", timeoutS: 10)
  }

  @Test func aCLocaleDrawsInASCII() throws {
    let session = try cockpit("LANG=C LC_ALL=C", width: 80, height: 24)
    defer { session.stop() }
    let screen = try session.waitFor("+ Fleet", "GPUs 256")
    #expect(!screen.contains("╭") && screen.allSatisfy(\.isASCII))
    _ = try session.tmux(["send-keys", "-t", session.name, "q"])
    _ = try session.waitFor("X=0", timeoutS: 10)
  }

  @Test func aDumbTerminalIsRefusedClearly() throws {
    let session = try cockpit("TERM=dumb", width: 100, height: 10)
    defer { session.stop() }
    let screen = try session.waitFor("X=2", timeoutS: 10)
    #expect(screen.contains("TERM=dumb cannot"))
  }

  /// Under an interactive shell with job control (without one, the kernel drops SIGTSTP):
  /// SIGTSTP stops it and gives the shell its terminal back, `fg` brings it back drawing, and a
  /// storm of resizes leaves it whole.
  @Test func stoppedAndBroughtBackThenResizedInAStormItCarriesOn() throws {
    let session = TmuxSession()
    defer { session.stop() }
    #expect(try session.start(width: 120, height: 40, command: "bash --norc --noprofile -i") == 0)
    let db = temporaryFolder().appendingPathComponent("cache.sqlite").path
    _ = try session.tmux([
      "send-keys", "-t", session.name,
      "PS1='$ '; \(try factopBinary().path) --db \(db) --sim-gpus 256", "Enter",
    ])
    _ = try session.waitFor("╭ Fleet", "GPUs 256")
    let pid = try #require(
      try FileManager.default.contentsOfDirectory(atPath: "/proc").first { entry in
        Int(entry) != nil
          && (try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8))?
            .contains(db) == true
      })
    _ = try run(URL(fileURLWithPath: "/usr/bin/env"), ["kill", "-TSTP", pid])
    let stopped = try session.waitFor("Stopped", timeoutS: 10)
    #expect(!stopped.contains("╭ Fleet"), "the cockpit's screen was left behind:\n\(stopped)")
    _ = try session.tmux(["send-keys", "-t", session.name, "fg", "Enter"])
    _ = try session.waitFor("╭ Fleet", "GPUs 256", timeoutS: 10)
    for size in [(80, 24), (200, 60), (40, 12), (160, 50), (90, 30), (120, 40)] {
      _ = try session.tmux([
        "resize-window", "-t", session.name, "-x", "\(size.0)", "-y", "\(size.1)",
      ])
    }
    _ = try session.waitFor("╭ Fleet", "GPUs 256", timeoutS: 10)
    _ = try session.tmux(["send-keys", "-t", session.name, "q"])
    let after = try session.waitFor("$ fg", timeoutS: 10)
    #expect(!after.contains("╭ Fleet"))
  }
}

@MainActor @Suite(.serialized) struct WallboardInTmuxTests {
  enum Ending: String, CaseIterable {
    /// The one key that ends it, as documented.
    case ctrlC = "C-c"
    /// How a supervisor stops it.
    case sigterm = "TERM"
  }

  /// A wallboard beside a poller, started from an interactive shell with job control (without
  /// one the kernel drops Ctrl-Z, and a test would pass that a person at the screen would not):
  /// keys that would open a prompt, a filter, a command line or a shell, the terminal's suspend,
  /// quit and pause keys, a paste and mouse events change nothing, the views keep rotating, and
  /// only Ctrl-C or SIGTERM ends it, giving the shell back its terminal modes.
  @Test(arguments: Ending.allCases)
  func ignoresEveryKeyPasteAndMouseKeepsRotatingAndEndsOnlyAsDocumented(ending: Ending) throws {
    let folder = temporaryFolder()
    let db = folder.appendingPathComponent("cache.sqlite").path
    let poller = Process()
    poller.executableURL = try factopBinary()
    poller.arguments = ["poll", "--db", db, "--sim-gpus", "256"]
    poller.standardOutput = FileHandle.nullDevice
    poller.standardError = FileHandle.nullDevice
    try poller.run()
    defer {
      poller.terminate()
      poller.waitUntilExit()
    }
    let deadline = Date().addingTimeInterval(30)
    while !FileManager.default.fileExists(atPath: db), Date() < deadline {
      Thread.sleep(forTimeInterval: 0.1)
    }
    // The script records the wallboard's pid, then prints how it ended and the terminal's modes
    // on lines of their own (the screen keeps what was typed, so the test reads these lines).
    let pidFile = folder.appendingPathComponent("pid").path
    let script = folder.appendingPathComponent("wallboard.sh")
    try """
    sh -c 'echo $$ > \(pidFile); exec \(try factopBinary().path) wallboard --db \(db) \
      --rotate 2 --views overview,power'
    echo FACTOP-EXIT:$?
    echo MODES:$(stty -a | grep -o -e ' -*icanon' -e ' -*echo ' -e ' -*ixon' \
      -e 'susp = [^;]*' -e 'quit = [^;]*' | tr '\\n' ' ')
    """.write(to: script, atomically: true, encoding: .utf8)
    let session = TmuxSession()
    defer { session.stop() }
    #expect(try session.start(width: 100, height: 30, command: "bash --norc --noprofile -i") == 0)
    _ = try session.tmux([
      "send-keys", "-t", session.name, "PS1='$ '; bash \(script.path)", "Enter",
    ])
    _ = try session.waitFor("factop wallboard │ Overview")
    for key in [":", "/", "!sh", "Enter", "Escape", "q", "x", "?", "2", "Tab", "C-z", "C-s"] {
      _ = try session.tmux(["send-keys", "-t", session.name, key])
    }
    _ = try session.tmux(["send-keys", "-t", session.name, "-H", "1c"])  // Ctrl-\
    // A paste, bracketed as terminals send it and plain through tmux's own buffer, and mouse
    // clicks, drags and wheel turns in the SGR and X10 encodings: no command runs, nothing quits.
    let marker = folder.appendingPathComponent("a-pasted-command-ran").path
    let typed = ":!touch \(marker)\r!touch \(marker)\rq\r"
    let sequences = [
      "\u{1B}[200~" + typed + "\u{1B}[201~", "\u{1B}[<0;10;5M", "\u{1B}[<0;10;5m",
      "\u{1B}[<32;12;6M", "\u{1B}[<64;10;5M", "\u{1B}[<65;10;5M", "\u{1B}[M !!", "\u{1B}[M#!!",
    ]
    for text in sequences {
      _ = try session.tmux(["send-keys", "-t", session.name, "-l", text])
    }
    _ = try session.tmux(["set-buffer", "-b", "clip", typed])
    _ = try session.tmux(["paste-buffer", "-p", "-b", "clip", "-t", session.name])
    // Still rotating: Ctrl-S did not pause its output, Ctrl-Z did not stop it.
    _ = try session.waitFor("factop wallboard │ Power", timeoutS: 10)
    let after = try session.waitFor(
      "factop wallboard │ Overview", " read-only wallboard · keys are ignored", timeoutS: 10)
    let lines = after.split(separator: "\n", omittingEmptySubsequences: false)
    // A prompt, filter or command line would have replaced the status line.
    #expect(lines.contains { $0.hasPrefix(" read-only wallboard · keys are ignored") })
    #expect(!after.contains("Enter run") && !after.contains("Enter apply"))
    #expect(!FileManager.default.fileExists(atPath: marker))
    switch ending {
    case .ctrlC:
      _ = try session.tmux(["send-keys", "-t", session.name, ending.rawValue])
    case .sigterm:
      let pid = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(
        in: .whitespacesAndNewlines)
      _ = try run(URL(fileURLWithPath: "/usr/bin/env"), ["kill", "-\(ending.rawValue)", pid])
    }
    let ended = try session.waitFor("MODES:", timeoutS: 10)
    let shown = ended.split(separator: "\n").map(String.init)
    let exit = shown.first { $0.hasPrefix("FACTOP-EXIT:") }
    let modes = shown.first { $0.hasPrefix("MODES:") } ?? ""
    #expect(exit == "FACTOP-EXIT:0", "the screen after the wallboard ended:\n\(ended)")
    #expect(!ended.contains("Stopped") && !ended.contains("Backtrace"))
    // The shell's modes are back: canonical input and echo, and its own suspend, quit and
    // pause keys, which the wallboard had turned off.
    let flags = modes.dropFirst("MODES:".count).split(separator: " ")
    #expect(["icanon", "echo", "ixon"].allSatisfy(flags.contains), "terminal modes: \(modes)")
    #expect(modes.contains("susp = ^Z") && modes.contains("quit = ^\\"), "terminal modes: \(modes)")
  }
}
