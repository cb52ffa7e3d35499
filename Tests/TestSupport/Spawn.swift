import CPosixSpawn
import Foundation

/// Starts a program directly (posix_spawnp) with an empty signal mask. The test runner's
/// threads block signals, and a child started through Foundation's `Process` inherits that
/// mask: a server that then never sees SIGTERM, a tmux session whose shell ignores SIGINT.
/// Standard input is /dev/null; standard output and error go to `output` (default /dev/null).
public func spawnWithEmptySignalMask(_ arguments: [String], output: String = "/dev/null") throws
  -> pid_t
{
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
  posix_spawn_file_actions_addopen(
    &actions, STDOUT_FILENO, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO)
  // Nothing else the test process has open: a server started while another test is reading a
  // command's output pipe would hold that pipe open for its whole life, and the reader would
  // wait for an end of file that never comes (seen in CI: a run hung with a server holding it).
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1)
  var attributes = posix_spawnattr_t()
  posix_spawnattr_init(&attributes)
  defer { posix_spawnattr_destroy(&attributes) }
  var empty = sigset_t()
  sigemptyset(&empty)
  posix_spawnattr_setsigmask(&attributes, &empty)
  posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
  var argv = arguments.map { strdup($0) } + [nil]
  defer { argv.forEach { free($0) } }
  var pid: pid_t = 0
  let spawned = posix_spawnp(&pid, arguments[0], &actions, &attributes, &argv, environ)
  guard spawned == 0 else {
    throw SpawnError(program: arguments[0], reason: String(cString: strerror(spawned)))
  }
  return pid
}

/// Runs a program with an empty signal mask (the daemons it starts must see SIGTERM), in
/// `directory` if given, and waits for it, killing it after `timeoutS` (status 124). Returns
/// its exit status and what it printed.
public func runToEnd(_ arguments: [String], directory: String?, timeoutS: Double) throws
  -> (status: Int32, output: String)
{
  let log = FileManager.default.temporaryDirectory.appendingPathComponent(
    "factop-run-\(UUID().uuidString).log")
  defer { try? FileManager.default.removeItem(at: log) }
  let command =
    directory.map { ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", $0] + arguments } ?? arguments
  let pid = try spawnWithEmptySignalMask(command, output: log.path)
  let deadline = Date().addingTimeInterval(timeoutS)
  var status: Int32 = 0
  while waitpid(pid, &status, WNOHANG) == 0 {
    if Date() > deadline {
      kill(pid, SIGKILL)
      waitpid(pid, &status, 0)
      return (124, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
    Thread.sleep(forTimeInterval: 0.05)
  }
  let exited = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
  return (exited, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
}

public struct SpawnError: Error, CustomStringConvertible {
  public let program: String
  public let reason: String
  public var description: String { "cannot start \(program): \(reason)" }
}
