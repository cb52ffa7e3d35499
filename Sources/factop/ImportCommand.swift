import ArgumentParser
import Config
import Feeds
import FleetModel
import Foundation
import StateCache

struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract:
      "Read captured files into the cache: bills, power, cost allocations, GPUs, nodes and jobs.",
    discussion: """
      The file is parsed whole before anything is written: a bad file exits 2 naming the file,
      the line and the column, and the cache keeps what it had. Importing the same file again
      replaces what it brought before.
      """,
    subcommands: [
      ImportFocusCommand.self, ImportRedfishCommand.self, ImportOpenCostCommand.self,
      ImportFleetCommand<NvidiaSMIImport>.self, ImportFleetCommand<NvidiaSMIXMLImport>.self,
      ImportFleetCommand<RocmSMIImport>.self,
      ImportFleetCommand<DCGMImport>.self, ImportFleetCommand<PrometheusJSONImport>.self,
      ImportFleetCommand<SlurmNodesImport>.self, ImportFleetCommand<SlurmJobsImport>.self,
      ImportFleetCommand<SlurmDBJobsImport>.self, ImportFleetCommand<K8sNodesImport>.self,
      ImportFleetCommand<K8sPodsImport>.self,
    ])
}

struct ImportFocusCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "focus",
    abstract: "Import a FOCUS 1.0–1.2 billing export (CSV).")

  @OptionGroup var global: GlobalOptions

  @Argument(help: "The FOCUS CSV file.") var file: String

  func run() throws {
    let settings = try Settings.resolve(global)
    let rows = try ImportFile.read(file) { text in try FocusFile.parse(text, source: file) }
    try ImportFile.write(settings) { cache in
      try cache.replaceBilling(rows, from: URL(fileURLWithPath: file).standardizedFileURL.path)
    }
    let summary = BillingSummary(rows)
    printText(
      "imported \(rows.count) charges from \(file): \(summary.currency ?? "mixed currencies")"
        + " \(summary.effectiveCost) effective cost, \(summary.byService.count) services")
  }
}

/// The two halves of every import: read and parse the file (exit 2 on anything wrong), then
/// write to the cache in one transaction.
enum ImportFile {
  static func read<T>(_ path: String, parse: (String) throws -> T) throws -> T {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      printError("\(path): cannot read it: \(error.localizedDescription)")
      throw ExitStatus.usage
    }
    do {
      return try parse(text)
    } catch {
      printError("\(error)")
      throw ExitStatus.usage
    }
  }

  static func write(_ settings: Settings, _ body: (StateCache) throws -> Void) throws {
    do {
      try body(try StateCache.open(path: settings.dbPath))
    } catch let error as CacheError {
      printError(error.description)
      throw ExitStatus.usage
    }
  }
}

struct ImportRedfishCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "redfish",
    abstract: "Import a node's (BMC) or a rack's (PDU) power from Redfish: a mockup or a resource.",
    discussion: """
      DIR is a DMTF short-form mockup (the folder is /redfish/v1, each resource X/index.json), read
      as a BMC is: EnvironmentMetrics.PowerWatts first, then Power.PowerControl, then the power
      supplies. FILE is one saved EnvironmentMetrics or Power resource. The reading becomes the
      node's BMC power. With --rack, DIR is a PDU's service: its rack PDU's draw (and each
      outlet's) becomes the rack's meter, and what the rack's nodes do not account for shows as
      unattributed.
      """)

  @OptionGroup var global: GlobalOptions

  @Argument(help: "A mockup folder or a JSON resource.") var path: String

  @Option(help: "The node the BMC reports for.") var node: String?

  @Option(help: "The chassis Id to read (default: the first that reports power).")
  var chassis: String?

  @Option(help: ArgumentHelp("The rack a PDU feeds, as CLUSTER/RACK.", valueName: "cluster/rack"))
  var rack: String?

  @Option(help: "The PDU Id to read (default: the first that reports power).") var pdu: String?

  func validate() throws {
    guard (node == nil) != (rack == nil) else {
      throw ValidationError("give --node (a BMC) or --rack (a PDU), one of them")
    }
    if let rack, rack.split(separator: "/").count != 2 {
      throw ValidationError("--rack \(rack): give it as CLUSTER/RACK")
    }
  }

  func run() async throws {
    let settings = try Settings.resolve(global)
    let now = Date()
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
      printError("\(path): no such file or folder")
      throw ExitStatus.usage
    }
    if let rack {
      guard isFolder.boolValue else {
        printError("\(path): a PDU is read from a mockup folder")
        throw ExitStatus.usage
      }
      let meters: [MeterReading]
      do {
        meters = try await RedfishFeed.read(
          RedfishFeed.PDU(
            rack: rack, pdu: pdu, transport: RedfishMockupFolder(folder: URL(fileURLWithPath: path))
          ),
          at: now)
      } catch let error as SourceError {
        printError("\(error)")
        throw ExitStatus.usage
      }
      guard let mains = meters.first else {
        printError("\(path): no rack PDU reports power")
        throw ExitStatus.usage
      }
      try ImportFile.write(settings) { cache in
        try cache.replaceMeters(meters, from: "import/redfish/\(rack)")
      }
      printText(
        "imported \(rack): \(Int(mains.watts.rounded())) W from \(mains.via), \(meters.count - 1) outlets"
      )
      return
    }
    let node = node!
    let reading: MeterReading
    do {
      if isFolder.boolValue {
        let bmc = RedfishFeed.BMC(
          node: node, chassis: chassis,
          transport: RedfishMockupFolder(folder: URL(fileURLWithPath: path)))
        guard let found = try await RedfishFeed.read(bmc, at: now) else {
          printError("\(path): no chassis reports power")
          throw ExitStatus.usage
        }
        reading = found
      } else {
        reading = try ImportFile.read(path) { text in
          try RedfishPower.resource(Data(text.utf8), source: path, node: node, at: now)
        }
      }
    } catch let error as SourceError {
      printError("\(error)")
      throw ExitStatus.usage
    }
    try ImportFile.write(settings) { cache in
      try cache.replaceMeters([reading], from: "import/redfish/\(node)")
    }
    printText("imported \(node): \(Int(reading.watts.rounded())) W from \(reading.via)")
  }
}

struct ImportOpenCostCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "opencost",
    abstract: "Import a saved OpenCost /allocation/compute answer (JSON).")

  @OptionGroup var global: GlobalOptions

  @Argument(help: "The saved answer.") var file: String

  func run() throws {
    let settings = try Settings.resolve(global)
    let costs = try ImportFile.read(file) { text in
      try OpenCostAllocation.parse(Data(text.utf8), source: file)
    }
    try ImportFile.write(settings) { cache in
      try cache.replaceWorkloadCosts(
        costs, from: "import/opencost/" + URL(fileURLWithPath: file).standardizedFileURL.path)
    }
    let summary = WorkloadCostSummary(costs)
    printText(
      "imported \(costs.count) allocations from \(file): $"
        + String(format: "%.2f", summary.totalCost)
        + " over \(summary.byNamespace.count) namespaces")
  }
}
