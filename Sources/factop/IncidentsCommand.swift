import ArgumentParser
import Config
import FleetModel
import Foundation

struct IncidentsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "incidents",
    abstract: "Failures as they happened, each priced, and the nodes whose repair is worth most.",
    discussion: """
      Every XID, double-bit ECC error, node going out of service, job failed or requeued and
      flapping InfiniBand link the pollers saw, gathered per node into incidents over the last
      30 days. Each is priced from measurements: the hit jobs' work since their last checkpoint
      (seen in their activity, else half the assumed interval, said so), their wait until they
      ran again, and the node's GPUs idle while out. Method: docs/model.md.
      """)

  enum Order: String, ExpressibleByArgument, CaseIterable {
    case newest, dollars
  }

  @OptionGroup var global: GlobalOptions
  @Option(help: "Output format.") var format: ReportFormat = .table
  @Option(help: "Order of the incidents: newest first, or costliest first.") var sort: Order =
    .newest
  @Flag(help: "Read only the cache; never poll a source.") var offline = false

  func run() async throws {
    let settings = try Settings.resolve(global)
    let now = Date()
    let cache = try await CacheAccess.openWithHistory(settings, offline: offline, now: now)
    let report = try CacheAccess.report(settings, cache: cache, now: now)
    try format.print(
      IncidentsOutput(incidents: report.incidents.sorted(by: sort), goodput: report.goodput),
      table: Self.table)
    if report.state.isEmpty {
      throw NeedsAttention("the cache at \(settings.dbPath) holds no data: nothing to judge")
    }
  }

  /// Incidents for people: what failures cost, the repair ranking, goodput per team and
  /// cluster, then one block per incident with the jobs it hit and the assumptions its price
  /// rests on.
  static func table(_ output: IncidentsOutput) -> String {
    let summary = output.incidents
    func dollars(_ usd: Double?) -> String { usd.map(DollarText.whole) ?? "N/A" }
    func hours(_ value: Double) -> String { String(format: "%.1f", value) }
    var lines = [
      "Failures cost \(dollars(summary.lastDay.usd)) in the last day (\(summary.lastDay.incidents) incidents, \(hours(summary.lastDay.gpuHours)) GPU-h) and \(dollars(summary.lastWeek.usd)) in the last week (\(summary.lastWeek.incidents)); \(summary.open) open."
    ]
    if let rate = summary.observedRate {
      lines.append(
        "Observed: \(String(format: "%.2f", rate.failuresPer1000NodeDays)) node failures per 1,000 node-days (\(rate.failures) over \(String(format: "%.0f", rate.nodeDays)) node-days)"
          + (rate.isEnough
            ? "; the savings finder uses it."
            : "; the finder keeps its assumption until a week and three failures."))
    }
    lines += [
      "", "REPAIR FIRST", "NODE                 INCIDENTS    GPU-H        $  CAUSE → ACTION",
    ]
    for t in summary.repairFirst {
      lines.append(
        pad(t.node, 20) + pad(String(t.incidents), 10, right: true)
          + pad(hours(t.gpuHours), 9, right: true) + pad(dollars(t.usd), 9, right: true) + "  "
          + t.cause + (t.action.map { " → \($0)" } ?? ""))
    }
    if summary.repairFirst.isEmpty { lines.append("(no node has cost anything yet)") }
    lines += [
      "", "REPAIR FIRST: PARTS",
      "NODE       PART       INCIDENTS    GPU-H        $  CAUSE → ACTION",
    ]
    for t in summary.repairFirstParts {
      lines.append(
        pad(t.node, 10) + " " + pad(t.part ?? "", 10) + pad(String(t.incidents), 10, right: true)
          + pad(hours(t.gpuHours), 9, right: true) + pad(dollars(t.usd), 9, right: true) + "  "
          + t.cause + (t.action.map { " → \($0)" } ?? ""))
    }
    if summary.repairFirstParts.isEmpty { lines.append("(no GPU or link has cost anything yet)") }
    let goodput = output.goodput
    lines += [
      "", "GOODPUT, last \(Int(goodput.windowHours)) h (running training jobs)",
      "TEAM/CLUSTER             JOBS     ETTR  LOST GPU-H   LOST $",
    ]
    for (kind, groups) in [("team", goodput.teams), ("cluster", goodput.clusters)] {
      for g in groups {
        lines.append(
          pad("\(kind) \(g.name)", 22) + pad(String(g.jobs), 7, right: true)
            + pad(String(format: "%.1f %%", g.ettr * 100), 9, right: true)
            + pad(hours(g.lostGPUHours), 12, right: true) + pad(dollars(g.lostUSD), 9, right: true))
      }
    }
    if goodput.jobs.isEmpty { lines.append("(no training job has run an hour yet)") }
    lines += ["", "STARTED           STATE     GPU-H        $  INCIDENT"]
    for p in summary.incidents {
      let i = p.incident
      let started = i.start.formatted(.iso8601).prefix(16).replacingOccurrences(of: "T", with: " ")
      lines.append(
        pad(started, 18) + pad(i.isOpen ? "open" : "over", 6)
          + pad(hours(p.cost.gpuHours), 9, right: true) + pad(dollars(p.cost.usd), 9, right: true)
          + "  " + i.title)
      for job in i.jobs {
        let lost = job.lastCheckpoint.map {
          "\(Int(job.stopped.timeIntervalSince($0) / 60)) min since its checkpoint"
        }
        let waited = job.ranAgain.map {
          "ran again after \(Int($0.timeIntervalSince(job.stopped) / 60)) min"
        }
        lines.append(
          "    hit \(job.name) (\(job.job.cluster)/\(job.job.id), \(job.gpus) GPUs, team \(job.team))"
            + ([lost, waited].compactMap { $0 }.map { ": " + $0 }.joined(separator: ",")))
      }
      if let outage = i.outage {
        let back = outage.end.map {
          "back after \(Int($0.timeIntervalSince(outage.start) / 60)) min"
        }
        lines.append(
          "    node out of service, \(outage.gpus) GPUs" + (back.map { ", \($0)" } ?? ""))
      }
      for assumption in p.cost.assumptions { lines.append("    assumed: \(assumption)") }
    }
    if summary.incidents.isEmpty { lines.append("(no incidents in the last 30 days)") }
    return lines.joined(separator: "\n")
  }
}

/// What `factop incidents` prints: the incidents' summary, and goodput beside it.
struct IncidentsOutput: Encodable {
  let incidents: IncidentSummary
  let goodput: GoodputSummary

  enum CodingKeys: String, CodingKey { case goodput }

  /// The summary's keys, and `goodput` beside them.
  func encode(to encoder: any Encoder) throws {
    try incidents.encode(to: encoder)
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(goodput, forKey: .goodput)
  }
}

extension IncidentSummary {
  /// The same summary, its incidents in `order`.
  fileprivate func sorted(by order: IncidentsCommand.Order) -> IncidentSummary {
    guard order == .dollars else { return self }
    var copy = self
    copy.incidents = incidents.sorted {
      ($0.cost.usd ?? 0, $0.incident.start) > ($1.cost.usd ?? 0, $1.incident.start)
    }
    return copy
  }
}
