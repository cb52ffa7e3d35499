import Foundation

/// The reference factory of `scripts/it/factory.sh` on 127.0.0.1: a Slurm cluster with
/// accounting and REST, Prometheus over a dcgm-exporter-format target, sushy-static BMCs, a
/// node exporter and a recorded OpenCost answer, named by one `config.toml`. Started by the
/// script, stopped by PID.
public final class ReferenceFactory: @unchecked Sendable {
  public let directory: URL
  private static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("scripts/it/factory.sh").path

  /// What the factory runs, each of which must be installed (.ci/run installs them all).
  public static let parts = [
    "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/slurmdbd", "/usr/sbin/slurmrestd",
    "/usr/sbin/munged", "/usr/sbin/mariadbd", "/usr/bin/prometheus",
    "/usr/bin/prometheus-node-exporter", "/usr/bin/curl", "/usr/bin/tmux",
    URL(fileURLWithPath: script).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent(".build/it-venv/bin/sushy-static").path,
  ]

  /// Starts it all in a fresh folder; throws, naming what is missing or with the script's
  /// account, when a part does not come up.
  public init() throws {
    try requireInstalled(Self.parts)
    directory = URL(fileURLWithPath: "/tmp").appendingPathComponent(
      "factop-factory-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let (status, output) = try Self.runScript(["up", directory.path], timeoutS: 240)
    guard status == 0 else {
      stop()
      throw ServerError(message: "the reference factory did not start: \(output.suffix(3_000))")
    }
  }

  /// The `config.toml` that names every source.
  public var config: String {
    get throws {
      try String(
        contentsOf: directory.appendingPathComponent("config.toml"), encoding: .utf8)
    }
  }

  public var slurmConf: String { directory.appendingPathComponent("slurm/slurm.conf").path }

  /// A Slurm client command against the factory's cluster, bounded (clients hang while
  /// slurmctld is down).
  public func slurm(_ arguments: [String]) throws -> String {
    let (status, output) = try runToEnd(
      ["/usr/bin/env", "SLURM_CONF=\(slurmConf)", "timeout", "20"] + arguments, directory: nil,
      timeoutS: 25)
    guard status == 0 else {
      throw ServerError(message: "\(arguments.joined(separator: " ")) exited \(status): \(output)")
    }
    return output
  }

  /// SIGKILLs one part (`prometheus`, `dcgm-target`, `sushy`, `node-exporter`, `opencost`, or a
  /// Slurm daemon such as `slurmd-n2`), as a crash or the OOM killer would.
  public func crash(_ part: String) throws {
    let (status, output) = try Self.runScript(["crash", directory.path, part], timeoutS: 30)
    guard status == 0 else { throw ServerError(message: "crash \(part): \(output)") }
  }

  public func stop() {
    _ = try? Self.runScript(["down", directory.path], timeoutS: 120)
    try? FileManager.default.removeItem(at: directory)
  }

  private static func runScript(_ arguments: [String], timeoutS: Double) throws -> (Int32, String) {
    try runToEnd(["/bin/bash", script] + arguments, directory: nil, timeoutS: timeoutS)
  }
}
