import ArgumentParser
import Config
import FleetModel
import FleetSim
import Foundation

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
  @Option(
    name: .customLong("db"),
    help: ArgumentHelp(
      "The state cache file (default: $FACTOP_DB, else $XDG_STATE_HOME/factop/cache.sqlite).",
      valueName: "path"))
  var dbPath: String?

  @Option(
    name: .customLong("config"),
    help: ArgumentHelp(
      "The config file (default: $XDG_CONFIG_HOME/factop/config.toml).", valueName: "path"))
  var configPath: String?

  @Option(
    name: .customLong("sim-gpus"),
    help: ArgumentHelp(
      "Size of the built-in demo fleet, in GPUs (\(DemoFleet.minimumGPUs) to \(DemoFleet.maximumGPUs), a multiple of 8; default \(DemoFleet.defaultGPUs))."
    ))
  var simGPUs: Int?

  @Option(name: .customLong("sim-seed"), help: "Seed of the demo fleet (default 1).")
  var simSeed: UInt64?

  func validate() throws {
    if let simGPUs, !DemoFleet.supports(gpus: simGPUs) {
      throw ValidationError("--sim-gpus: \(DemoFleetError.unsupportedSize(simGPUs))")
    }
  }
}

extension Settings {
  /// The settings of a command run with these options.
  init(_ options: GlobalOptions) throws {
    try self.init(
      Overrides(
        dbPath: options.dbPath, configPath: options.configPath, simGPUs: options.simGPUs,
        simSeed: options.simSeed))
  }
}
