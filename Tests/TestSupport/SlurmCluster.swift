import Foundation
import Testing

/// A real Slurm 22.05 cluster (munge, MariaDB, slurmdbd, slurmctld, four emulated 8-GPU nodes,
/// slurmrestd) brought up by `scripts/it/slurm.sh` on 127.0.0.1 and torn down by PID.
public final class SlurmCluster: @unchecked Sendable {
  public let directory: URL
  public var conf: String { directory.appendingPathComponent("slurm.conf").path }
  private static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("scripts/it/slurm.sh").path

  /// What it runs: a test that starts one requires them (`.requires(SlurmCluster.daemons)`).
  public static let daemons = [
    "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/slurmdbd",
    "/usr/sbin/slurmrestd", "/usr/sbin/munged", "/usr/sbin/mariadbd",
  ]

  /// Starts the cluster; throws, naming what is missing, where Slurm is not installed.
  public static func start() throws -> SlurmCluster {
    try requireInstalled(daemons)
    return try SlurmCluster()
  }

  private init() throws {
    directory = URL(fileURLWithPath: "/tmp").appendingPathComponent(
      "factop-slurm-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let (status, output) = try Self.runScript(["up", directory.path], timeoutS: 180)
    guard status == 0 else {
      throw ServerError(message: "Slurm did not start: \(output.suffix(2_000))")
    }
  }

  /// Runs a Slurm client command against this cluster, bounded like every Slurm client call
  /// must be (clients hang while slurmctld is down).
  public func client(_ arguments: [String], timeoutS: Double = 20) throws -> String {
    let (status, output) = try runToEnd(
      ["/usr/bin/env", "SLURM_CONF=\(conf)", "timeout", "\(Int(timeoutS))"] + arguments,
      directory: directory.appendingPathComponent("jobs").path, timeoutS: timeoutS + 5)
    guard status == 0 else {
      throw ServerError(message: "\(arguments.joined(separator: " ")) exited \(status): \(output)")
    }
    return output
  }

  /// SIGKILLs one daemon (`slurmctld`, `slurmd-n1`…`slurmd-n4`, `slurmdbd`, `slurmrestd`), as
  /// a crash or the OOM killer would.
  public func crash(_ daemon: String) throws {
    let (status, output) = try Self.runScript(["crash", directory.path, daemon], timeoutS: 30)
    guard status == 0 else { throw ServerError(message: "crash \(daemon): \(output)") }
  }

  /// Starts a crashed daemon again, as `up` did, and waits until it answers.
  public func restart(_ daemon: String) throws {
    let (status, output) = try Self.runScript(["restart", directory.path, daemon], timeoutS: 90)
    guard status == 0 else { throw ServerError(message: "restart \(daemon): \(output)") }
  }

  public func stop() {
    _ = try? Self.runScript(["down", directory.path], timeoutS: 60)
    try? FileManager.default.removeItem(at: directory)
  }

  private static func runScript(_ arguments: [String], timeoutS: Double) throws -> (Int32, String) {
    try runToEnd(["/bin/bash", script] + arguments, directory: nil, timeoutS: timeoutS)
  }
}
