import ArgumentParser
import Cockpit
import Foundation
import Themes

struct ThemeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "theme", abstract: "List the bundled themes, or check a theme file.",
    subcommands: [List.self, Validate.self])

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the bundled themes.")

    func run() throws {
      for name in BundledThemes.names { print(name) }
    }
  }

  struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check a theme file: every unknown key and bad value, with its line (exit 2).")

    @Argument(help: ArgumentHelp("The theme file.", valueName: "file")) var file: String

    func run() throws {
      let problems: [ThemeError]
      do {
        problems = Theme.problems(in: try Theme.read(file), source: file)
      } catch {
        problems = [error]
      }
      for problem in problems { printError(problem.description) }
      guard problems.isEmpty else { throw ExitStatus.usage }
      printText("\(file): ok")
    }
  }
}
