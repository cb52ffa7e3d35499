import FleetModel
import Foundation
import Synchronization

/// A Slurm cluster: nodes and jobs, one call per kind per poll, through the client commands
/// (`sinfo --json`, `squeue --json`, falling back to their text output where the binaries
/// take no `--json`) or slurmrestd with a JWT.
public final class SlurmFeed: Feed {
  public enum Access: Sendable {
    /// The Slurm client commands on this host (SLURM_CONF from the environment), from
    /// `binDirectory` or, when nil, the PATH.
    case commands(binDirectory: String? = nil)
    /// slurmrestd: its URL, the user the token is for, and the token (read for every poll, so
    /// a rotated token is picked up).
    case rest(HTTPSource, user: String, token: @Sendable () throws -> String)
  }

  public let name: String
  public let kind = "slurm"
  public let intervalS: Double
  public let timeoutS: Double?
  public let layout: ClusterLayout
  private let access: Access
  /// Set once the commands refuse `--json`: later polls go straight to the text formats.
  private let textOnly = Mutex(false)
  /// The slurmrestd API version that answered, found on the first poll.
  private let restVersion = Mutex<String?>(nil)

  public init(
    name: String, layout: ClusterLayout, access: Access, timeoutS: Double? = nil, intervalS: Double
  ) {
    self.name = name
    self.layout = layout
    self.access = access
    self.intervalS = intervalS
    self.timeoutS = timeoutS
  }

  public var target: String {
    switch access {
    case .commands: "sinfo, squeue, sacct --json (SLURM_CONF)"
    case .rest(let http, let user, _): "\(http.origin) as \(user)"
    }
  }

  public var tls: TLSVerification? {
    guard case .rest(let http, _, _) = access else { return nil }
    return http.tls
  }

  public func poll(at time: Date) async throws -> FleetState {
    try await poll(at: time, since: nil)
  }

  public func poll(at time: Date, since lastAnswered: Date?) async throws -> FleetState {
    async let nodes = nodes()
    async let jobs = jobs()
    async let ended = endedBadly(
      from: AccountingWindow.start(now: time, lastAnswered: lastAnswered), to: time)
    let current = try await jobs
    let known = Set(current.map(\.id))
    return SlurmInventory.state(
      nodes: try await nodes, jobs: current + (await ended).filter { !known.contains($0.id) },
      layout: layout)
  }

  /// Jobs that failed, timed out or lost their node in `[start, end]`, from accounting:
  /// slurmctld forgets finished jobs after MinJobAge (5 minutes by default), and these are the
  /// ones on-call asks about. Best effort: a site without accounting (or a slurmdbd that is
  /// down) costs the poll nothing.
  private func endedBadly(from start: Date, to end: Date) async -> [SlurmJob] {
    // Relative to the scheduler's own clock, in the one spelling sacct and every slurmrestd
    // take (22.05's refuses epoch seconds).
    let since = "now-\(Int(end.timeIntervalSince(start).rounded(.up)))seconds"
    let jobs: [SlurmJob]?
    switch access {
    case .commands:
      let command = slurm(
        "sacct",
        [
          "--json", "-a", "-S", since, "-E", "now",
          "--state=\(SlurmJobState.endedBadly.joined(separator: ","))",
        ])
      jobs = try? await SlurmDBJobs.parse(Data(command.output().utf8), source: "sacct --json")
    case .rest(let http, let user, let token):
      // The states are picked here: the query's own state filter is spelled differently
      // across API versions.
      let answer = try? await rest(
        http, user: user, token: token, "jobs?start_time=\(since)&end_time=now", in: "slurmdb")
      jobs = answer.flatMap { try? SlurmDBJobs.parse($0.1, source: http.origin + $0.0) }
    }
    let bad = Set(SlurmJobState.endedBadly.map { SlurmJobState.map([$0]) })
    return (jobs ?? []).filter { bad.contains($0.state) }
  }

  private func nodes() async throws -> [SlurmNode] {
    switch access {
    case .commands:
      if let json = try await json(slurm("sinfo", ["--json"])) {
        return try SlurmNodes.parse(Data(json.utf8), source: "sinfo --json")
      }
      let command = slurm("sinfo", ["-N", "-h", "-o", SlurmText.sinfoFormat])
      return try SlurmText.sinfoNodes(try await command.output(), source: "\(command)")
    case .rest(let http, let user, let token):
      let (path, data) = try await rest(http, user: user, token: token, "nodes")
      return try SlurmNodes.parse(data, source: http.origin + path)
    }
  }

  private func jobs() async throws -> [SlurmJob] {
    switch access {
    case .commands:
      if let json = try await json(slurm("squeue", ["--json"])) {
        return try SlurmJobs.parse(Data(json.utf8), source: "squeue --json")
      }
      let command = slurm("squeue", ["-h", "-o", SlurmText.squeueFormat])
      return try SlurmText.squeueJobs(try await command.output(), source: "\(command)")
    case .rest(let http, let user, let token):
      let (path, data) = try await rest(http, user: user, token: token, "jobs")
      return try SlurmJobs.parse(data, source: http.origin + path)
    }
  }

  /// A Slurm client command, from the configured directory or the PATH.
  private func slurm(_ name: String, _ arguments: [String]) -> Command {
    guard case .commands(let directory?) = access else { return Command(name, arguments) }
    return Command((directory as NSString).appendingPathComponent(name), arguments)
  }

  /// The command's JSON, or nil when this Slurm's commands take no `--json` (then never again).
  private func json(_ command: Command) async throws -> String? {
    guard !textOnly.withLock({ $0 }) else { return nil }
    do {
      return try await command.output()
    } catch let error as CommandError
      where error.message.contains("unrecognized option")
      || error.message.contains("invalid option")
    {
      textOnly.withLock { $0 = true }
      return nil
    }
  }

  /// The newest API version this slurmrestd serves, found once: it serves only the plugins it
  /// was started with and answers 404 for the others.
  static let restVersions = [
    "v0.0.44", "v0.0.43", "v0.0.42", "v0.0.41", "v0.0.40", "v0.0.39",
    "v0.0.38", "v0.0.37",
  ]

  /// `resource` of the `plugin` (`slurm`, or `slurmdb` for accounting) in the API version found.
  private func rest(
    _ http: HTTPSource, user: String, token: @Sendable () throws -> String, _ resource: String,
    in plugin: String = "slurm"
  ) async throws -> (String, Data) {
    let headers = ["X-SLURM-USER-NAME": user, "X-SLURM-USER-TOKEN": try token()]
    let known = restVersion.withLock { $0 }
    for version in known.map({ [$0] }) ?? Self.restVersions {
      let path = "/\(plugin)/\(version)/\(resource)"
      if let data = try await http.get(path, headers: headers) {
        restVersion.withLock { $0 = version }
        return (path, data)
      }
    }
    throw SourceError(
      origin: http.origin, path: "/\(plugin)/",
      message:
        "no Slurm REST API version answered (tried \(Self.restVersions.joined(separator: ", ")))")
  }
}

/// How far back a poll asks accounting for jobs that ended badly: the last hour, or back to the
/// source's last answer when that is longer ago (a poller stopped overnight), at most a week
/// (the answer stays small, and older failures are not on-call's).
enum AccountingWindow {
  static let leastS = 3_600.0
  static let mostS = 7 * 86_400.0

  static func start(now: Date, lastAnswered: Date?) -> Date {
    let since = lastAnswered.map { now.timeIntervalSince($0) } ?? 0
    return now.addingTimeInterval(-min(max(leastS, since), mostS))
  }
}
