import ArgumentParser
import Config
import Foundation

struct ConfigCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "config", abstract: "Check a config file.", subcommands: [Check.self])

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check a config file: every problem at once, each naming its key (exit 2).",
      discussion: """
        Reads the file as every command does: its keys and values, the environment variables
        and files it names (tokens, passwords, CA files, a power-cap sweep). It never contacts a
        source; `factop sources` says how they answer once polled.
        """)

    @Argument(
      help: ArgumentHelp(
        "The config file (default: --config, else $XDG_CONFIG_HOME/factop/config.toml).",
        valueName: "file"))
    var file: String?

    @OptionGroup var global: GlobalOptions

    func run() throws {
      var options = global
      options.configPath = file ?? global.configPath
      let settings: Settings
      do {
        settings = try Settings(options)
      } catch let error as ConfigError {
        for message in error.messages { printError("config \(error.path): \(message)") }
        throw ExitStatus.usage
      }
      guard let path = settings.configFile else {
        printText("no config file: factop watches the demo fleet (see README, The config file)")
        return
      }
      let sources = settings.feeds().map(\.name)
      printText(
        "\(path): ok · \(settings.clusterNames.count) cluster(s) · \(sources.count) source(s): "
          + sources.joined(separator: ", ")
          + " · \(settings.alertRules.rules.count) alert rule(s) (`factop alerts`)")
    }
  }
}
