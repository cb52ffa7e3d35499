import ArgumentParser
import Feeds
import FleetModel
import Foundation

struct ModelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "model",
    abstract: "Answer what-if questions with the fleet model's methods (docs/model.md).",
    subcommands: [
      ReliabilityCommand.self, PricingCommand.self, PowerCapCommand.self, OccupancyCommand.self,
      SeriesProjectCommand.self, BacktestCommand.self, ManagedCommand.self,
    ])
}

struct ReliabilityCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reliability",
    abstract: "Job MTTF, interruptions, ETTR and the Young/Daly checkpoint interval of a large job."
  )

  @OptionGroup var global: GlobalOptions
  @Option(help: "GPUs the job spans.") var gpus: Int
  @Option(help: "GPUs per node.") var gpusPerNode = 8
  @Option(help: "Node failures per 1,000 node-days (Meta RSC-1: 6.5; Llama 3: 3.79).")
  var failureRate: Double
  @Option(help: "Days the job runs.") var days = 30.0
  @Option(help: "Minutes between checkpoints.") var checkpointMin = 60.0
  @Option(help: "Minutes to restart after a failure.") var restartMin = 5.0
  @Option(help: "Minutes a checkpoint stalls training (small when asynchronous).")
  var checkpointCostMin = 1.0
  @Option(help: "Output format.") var format: JSONFormat = .json

  func validate() throws {
    try requirePositive([
      "--gpus": Double(gpus), "--gpus-per-node": Double(gpusPerNode), "--failure-rate": failureRate,
      "--days": days, "--checkpoint-min": checkpointMin, "--checkpoint-cost-min": checkpointCostMin,
    ])
    try requireNonNegative(["--restart-min": restartMin])
  }

  func run() throws {
    try printJSON(
      ReliabilityScenario(
        gpus: gpus, gpusPerNode: gpusPerNode, failuresPer1000NodeDays: failureRate, days: days,
        checkpointIntervalMin: checkpointMin, restartMin: restartMin,
        checkpointCostMin: checkpointCostMin
      ).report)
  }
}

struct PricingCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pricing",
    abstract: "Reserved-versus-on-demand break-even, and the cost per GPU-hour of owned hardware.",
    discussion: """
      Give --on-demand-usd-per-h and --reserved-usd-per-h for the break-even utilization; give
      --capex-usd, --years, --node-kw, --pue and --usd-per-kwh for the owned cost; or both.
      """)

  @OptionGroup var global: GlobalOptions
  @Option(name: .customLong("on-demand-usd-per-h")) var onDemand: Double?
  @Option(name: .customLong("reserved-usd-per-h")) var reserved: Double?
  @Option(help: "All-in capex per GPU, USD.") var capexUsd: Double?
  @Option(help: "Years to amortize over.") var years: Double?
  @Option(help: "Measured node power under load, kW.") var nodeKw: Double?
  @Option(help: "GPUs per node.") var gpusPerNode = 8
  @Option(help: "Facility power divided by IT power.") var pue: Double?
  @Option(name: .customLong("usd-per-kwh"), help: "Energy price, USD per kWh.") var usdPerKWh:
    Double?
  @Option(help: "Other running cost per GPU-hour, USD.") var opexUsdPerGpuH = 0.0
  @Option(help: "Output format.") var format: JSONFormat = .json

  struct Answer: Encodable {
    var breakEven: ReservationBreakEven?
    var owned: OwnedGPUCost?

    func encode(to encoder: any Encoder) throws {
      try breakEven?.encode(to: encoder)
      try owned?.encode(to: encoder)
    }
  }

  var breakEvenInputs: [String: Double?] {
    ["--on-demand-usd-per-h": onDemand, "--reserved-usd-per-h": reserved]
  }
  var ownedInputs: [String: Double?] {
    [
      "--capex-usd": capexUsd, "--years": years, "--node-kw": nodeKw, "--pue": pue,
      "--usd-per-kwh": usdPerKWh,
    ]
  }

  func validate() throws {
    // A bad value is named first: it is the mistake, whatever else is missing.
    try requirePositive(breakEvenInputs.merging(ownedInputs) { a, _ in a }.compactMapValues { $0 })
    try requirePositive(["--gpus-per-node": Double(gpusPerNode)])
    try requireNonNegative(["--opex-usd-per-gpu-h": opexUsdPerGpuH])
    for group in [breakEvenInputs, ownedInputs] {
      let missing = group.filter { $0.value == nil }.keys.sorted()
      if !missing.isEmpty, missing.count < group.count {
        throw ValidationError("also give \(missing.joined(separator: ", "))")
      }
    }
    guard
      breakEvenInputs.values.allSatisfy({ $0 != nil })
        || ownedInputs.values.allSatisfy({ $0 != nil })
    else {
      throw ValidationError(
        "give --on-demand-usd-per-h and --reserved-usd-per-h, or the owned-cost options (see --help)"
      )
    }
  }

  func run() throws {
    var answer = Answer()
    if let onDemand, let reserved {
      answer.breakEven = ReservationBreakEven(
        onDemandUSDPerHour: onDemand, reservedUSDPerHour: reserved)
    }
    if let capexUsd, let years, let nodeKw, let pue, let usdPerKWh {
      answer.owned = OwnedGPUCost(
        capexUSD: capexUsd, years: years, nodeKW: nodeKw, gpusPerNode: gpusPerNode, pue: pue,
        usdPerKWh: usdPerKWh, opexUSDPerGPUHour: opexUsdPerGpuH)
    }
    try printJSON(answer)
  }
}

struct PowerCapCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "powercap",
    abstract: "Energy saved and slowdown per GPU power limit, from a measured sweep (Zeus format).")

  @OptionGroup var global: GlobalOptions
  @Option(help: ArgumentHelp("The sweep CSV.", valueName: "file")) var sweep: String
  @Option(help: "Output format.") var format: JSONFormat = .json

  func run() throws {
    let samples = try parseInput(sweep) { (text) throws(InputError) in
      try SweepFile.parse(text, source: sweep)
    }
    try printJSON(PowerCapCalibration(samples: samples))
  }
}

struct OccupancyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "occupancy",
    abstract: "Allocation, idle and stranded capacity from a scheduler's time series (CSV).")

  @OptionGroup var global: GlobalOptions
  @Argument(help: ArgumentHelp("The series CSV.", valueName: "file")) var file: String
  @Option(help: "The timestamp column.") var time: String
  @Option(help: "The allocated GPUs (or nodes) column.") var allocated: String
  @Option(help: "The total GPUs (or nodes) column.") var total: String
  @Option(help: "The pending GPU (or node) demand column, for stranded capacity.") var pending:
    String?
  @Option(help: "Output format.") var format: JSONFormat = .json

  func run() throws {
    let columns = OccupancyFile.Columns(
      time: time, allocated: allocated, total: total, pending: pending)
    let samples = try parseInput(file) { (text) throws(InputError) in
      try OccupancyFile.parse(text, source: file, columns: columns)
    }
    try printJSON(OccupancyReport(samples: samples))
  }
}

/// Reads `path` and parses it; unreadable or bad input exits 2 with the file, line and column.
func parseInput<T>(_ path: String, _ parse: (String) throws(InputError) -> T) throws -> T {
  do {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw InputError(source: path, message: "cannot read it: \(error.localizedDescription)")
    }
    return try parse(text)
  } catch let error as InputError {
    printError(error.description)
    throw ExitStatus.usage
  }
}

/// Rejects zero, negative and non-finite values, naming the option.
func requirePositive(_ values: [String: Double]) throws {
  for (name, value) in values.sorted(by: { $0.key < $1.key }) where !(value > 0 && value.isFinite) {
    throw ValidationError("\(name) must be a positive number, not \(value.formatted())")
  }
}

/// Rejects negative and non-finite values, naming the option.
func requireNonNegative(_ values: [String: Double]) throws {
  for (name, value) in values.sorted(by: { $0.key < $1.key }) where !(value >= 0 && value.isFinite)
  {
    throw ValidationError("\(name) must be 0 or more, not \(value.formatted())")
  }
}
