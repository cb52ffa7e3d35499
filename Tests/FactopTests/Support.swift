import Foundation
import Testing

// Every suite here runs on the main actor. These tests wait on processes, servers and terminals
// in blocking calls; on the cooperative pool (one thread per core: two in CI) two of them stall
// every async test of the run, whose timings then mean nothing. On the main actor they take
// turns on a thread of their own.

/// The `factop` binary `swift test` built next to the test bundle.
func factopBinary() throws -> URL {
  let candidates = [
    Bundle.main.bundleURL.appendingPathComponent("factop"),
    Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("factop"),
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("factop"),
  ]
  return try #require(
    candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
    "factop was not built beside the tests (looked in \(candidates.map(\.path)))")
}

/// The repository root, for files the tests check against (docs/).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// The real captures in ../shared/fixtures; tests that read them skip where it is absent.
enum SharedFixtures {
  static let folder = repositoryRoot.deletingLastPathComponent()
    .appendingPathComponent("shared/fixtures")
  static let present = FileManager.default.fileExists(atPath: folder.path)

  /// The path of one capture, `dcgm-exporter/…`.
  static func path(_ relative: String) -> String {
    folder.appendingPathComponent(relative).path
  }
}

/// `factop ARGUMENTS --db DB`.
func factop(_ arguments: [String], db: String) throws -> Finished {
  try run(try factopBinary(), arguments + ["--db", db])
}

/// What `factop snapshot --offline --format json` says of the cache at `db`.
func offlineSnapshot(_ db: String) throws -> [String: Any] {
  let result = try factop(["snapshot", "--offline", "--format", "json"], db: db)
  #expect(result.status == 0, "\(result.stderr)")
  return try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
}

/// A stand-in for `nvidia-smi` at `url`: `--query-gpu` prints the header of the fields factop
/// asks for (with units, as nvidia-smi writes them) and one line per GPU in `gpus`; the compute
/// apps query lists no process.
func writeFakeNvidiaSMI(to url: URL, gpus: [String]) throws {
  try """
  #!/bin/sh
  case "$1" in
  --query-gpu=*) cat <<'EOF'
  uuid, index, memory.total [MiB], memory.used [MiB], utilization.gpu [%], power.draw [W], \
  power.limit [W], temperature.gpu, clocks.current.sm [MHz], clocks.current.memory [MHz], \
  mig.mode.current, name, pci.bus_id
  \(gpus.joined(separator: "\n"))
  EOF
  ;;
  *) echo 'gpu_uuid, pid, used_gpu_memory [MiB], process_name' ;;
  esac

  """.write(to: url, atomically: true, encoding: .utf8)
  chmod(url.path, 0o755)
}

/// A fresh folder for one test.
func temporaryFolder() -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "factop-e2e-\(UUID().uuidString)")
  try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

struct Finished {
  let status: Int32
  let stdout: Data
  let stderr: String
}

/// Collects everything a pipe delivers, on its own thread, so a chatty child never stalls.
final class PipeDrain: @unchecked Sendable {
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)

  init(_ pipe: Pipe) {
    Thread { [self] in
      data = pipe.fileHandleForReading.readDataToEndOfFile()
      done.signal()
    }.start()
  }

  /// Everything read, once the writer closed the pipe (or after `timeoutS`).
  func collected(timeoutS: Double = 5) -> Data {
    _ = done.wait(timeout: .now() + timeoutS)
    return data
  }
}

/// Runs a program to completion, killing it if it outlives `timeoutS`.
func run(
  _ executable: URL, _ arguments: [String], environment: [String: String] = [:],
  timeoutS: Double = 60
) throws -> Finished {
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  var env = ProcessInfo.processInfo.environment
  env["XDG_CONFIG_HOME"] = temporaryFolder().path  // never read the developer's own config
  env.merge(environment) { _, new in new }
  process.environment = env
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  process.standardInput = FileHandle.nullDevice
  try process.run()
  let stdout = PipeDrain(out)
  let stderr = PipeDrain(err)
  let deadline = Date().addingTimeInterval(timeoutS)
  while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
  if process.isRunning { process.terminate() }
  process.waitUntilExit()
  return Finished(
    status: process.terminationStatus, stdout: stdout.collected(),
    stderr: String(decoding: stderr.collected(), as: UTF8.self))
}

/// Validates a JSON document against docs/snapshot-schema.json with Python's jsonschema.
func validateAgainstSnapshotSchema(_ json: Data) throws -> String? {
  let folder = temporaryFolder()
  let document = folder.appendingPathComponent("snapshot.json")
  try json.write(to: document)
  let schema = repositoryRoot.appendingPathComponent("docs/snapshot-schema.json")
  let result = try run(
    URL(fileURLWithPath: "/usr/bin/env"),
    [
      "python3", "-c",
      """
      import json, sys, jsonschema
      schema = json.load(open(sys.argv[1]))
      jsonschema.Draft202012Validator.check_schema(schema)
      jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))
      """,
      schema.path, document.path,
    ])
  return result.status == 0 ? nil : result.stderr
}

/// Asks `probe` every half second until it returns a value, for at most `timeoutS`: nil if it
/// never did. Waits on a condition, never a fixed time.
func eventually<T>(timeoutS: Double, _ probe: () throws -> T?) rethrows -> T? {
  let deadline = Date().addingTimeInterval(timeoutS)
  while true {
    if let value = try probe() { return value }
    guard Date() < deadline else { return nil }
    Thread.sleep(forTimeInterval: 0.5)
  }
}
