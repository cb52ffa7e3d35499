import ArgumentParser

struct CockpitCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "cockpit", abstract: "Open the cockpit.")
  @OptionGroup var global: GlobalOptions
  func run() async throws {}
}
