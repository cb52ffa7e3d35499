import ArgumentParser
import Config
import Feeds
import FleetModel
import Foundation
import Polling
import StateCache

/// A kind of captured file `factop import` reads into the fleet; one subcommand each.
protocol FleetImportKind { static var kind: FleetImport { get } }

enum NvidiaSMIImport: FleetImportKind { static var kind: FleetImport { .nvidiaSMI } }
enum NvidiaSMIXMLImport: FleetImportKind { static var kind: FleetImport { .nvidiaSMIXML } }
enum RocmSMIImport: FleetImportKind { static var kind: FleetImport { .rocmSMI } }
enum DCGMImport: FleetImportKind { static var kind: FleetImport { .dcgm } }
enum PrometheusJSONImport: FleetImportKind { static var kind: FleetImport { .prometheusJSON } }
enum SlurmNodesImport: FleetImportKind { static var kind: FleetImport { .slurmNodes } }
enum SlurmJobsImport: FleetImportKind { static var kind: FleetImport { .slurmJobs } }
enum SlurmDBJobsImport: FleetImportKind { static var kind: FleetImport { .slurmDBJobs } }
enum K8sNodesImport: FleetImportKind { static var kind: FleetImport { .k8sNodes } }
enum K8sPodsImport: FleetImportKind { static var kind: FleetImport { .k8sPods } }

/// `factop import KIND FILE… [--cluster NAME]`: the feeds' parsers over captured files, into
/// the cache as one source (`import/KIND/CLUSTER`), replacing what the same import brought
/// before. All files are parsed first: a bad one exits 2 and the cache keeps what it had.
struct ImportFleetCommand<Kind: FleetImportKind>: ParsableCommand {
  static var configuration: CommandConfiguration {
    CommandConfiguration(commandName: Kind.kind.rawValue, abstract: "Import \(Kind.kind.summary).")
  }

  @OptionGroup var global: GlobalOptions

  @Argument(help: "The captured files.") var files: [String]

  @Option(help: "The cluster the files come from (default: imported).") var cluster = "imported"

  @Option(
    help: "The node nvidia-smi or rocm-smi captures were taken on (default: each file's name).")
  var node: String?

  @Option(
    help:
      "How the cluster's GPU-hours are paid for: \(PricingKind.allCases.map(\.rawValue).joined(separator: ", "))."
  )
  var pricing = "owned"

  func validate() throws {
    guard !files.isEmpty else { throw ValidationError("give at least one file") }
    guard PricingKind(rawValue: pricing) != nil else {
      throw ValidationError(
        "--pricing \(pricing): one of \(PricingKind.allCases.map(\.rawValue).joined(separator: ", "))"
      )
    }
  }

  func run() throws {
    let settings = try Settings.resolve(global)
    let kind = Kind.kind
    let layout = ClusterLayout(
      cluster: Cluster(
        name: cluster, scheduler: kind.scheduler,
        site: "default", pricing: PricingKind(rawValue: pricing)!))
    var contents: [(name: String, data: Data, node: String)] = []
    for file in files {
      guard let data = FileManager.default.contents(atPath: file) else {
        printError("\(file): cannot read it")
        throw ExitStatus.usage
      }
      let host = node ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
      contents.append((file, data, host))
    }
    let now = Date()
    let state: FleetState
    do {
      state = try kind.state(files: contents, layout: layout, at: now)
    } catch {
      printError("\(error)")
      throw ExitStatus.usage
    }
    let source = "import/\(kind.rawValue)/\(cluster)"
    try ImportFile.write(settings) { cache in
      try cache.record(
        state,
        from: SourceHealth(
          name: source, kind: Poller.importKind, intervalS: 86_400, lastAttempt: now,
          lastSuccess: now))
    }
    printText(
      "imported \(files.count) file(s) as \(source): \(state.nodes.count) nodes, "
        + "\(state.gpus.count) GPUs, \(state.jobs.count) jobs")
  }
}
