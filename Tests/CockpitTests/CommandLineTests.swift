import Cockpit
import Foundation
import TerminalKit
import Testing

@Suite struct CommandLineTests {
  @Test(arguments: [
    ("view jobs", PromptCommand.show(.jobs)), ("v power", .show(.power)), ("gpus", .show(.gpus)),
    ("theme light", .theme("light")), ("help", .show(.help)), ("q", .quit), ("quit", .quit),
  ])
  func parsesCommands(text: String, command: PromptCommand) throws {
    #expect(try PromptCommand.parse(text) == command)
  }

  @Test(arguments: [
    ("bogus", 0, "unknown command \"bogus\""), ("view nope", 5, "unknown view \"nope\""),
    ("view", 5, "which view?"), ("theme", 6, "which theme?"), ("view jobs now", 10, "one word"),
  ])
  func errorsPointAtTheWord(text: String, column: Int, message: String) {
    #expect {
      try PromptCommand.parse(text)
    } throws: { error in
      guard let error = error as? PromptError else { return false }
      return error.column == column && error.message.contains(message)
    }
  }

  func type(_ text: String) -> [InputEvent] { text.map { InputEvent.character($0) } }

  @Test func colonViewSwitchesAndColonThemeRestyles() throws {
    let model = goldenModel
    let dark = try Theme.bundledDefault()
    let light = try Theme.load("light", userDirectory: nil)
    let keys = type(":view power") + [.enter] + type(":theme light") + [.enter]
    let backend = TextBackend(width: 120, height: 40, input: keys)
    var polls = 0
    CockpitApp(
      backend: backend, theme: dark, actions: .cockpit, origin: "demo fleet",
      latest: { LoadedModel(version: 1, model: model) },
      shouldStop: {
        polls += 1
        return polls > keys.count + 2
      }, clock: { goldenInstant }
    ).run()
    var navigation = Navigation()
    navigation.apply(.show(.power), rowCount: 0, pageSize: 1)
    let expected = Screen(
      model: model, theme: light, actions: .cockpit, origin: "demo fleet", navigation: navigation
    ).render(width: 120, height: 40, now: goldenInstant)
    #expect(backend.screen == expected)
  }

  @Test func anUnknownThemeReopensTheCommandLineWithTheReason() throws {
    let model = goldenModel
    let keys = type(":theme nosuch") + [.enter]
    let backend = TextBackend(width: 120, height: 30, input: keys)
    var polls = 0
    CockpitApp(
      backend: backend, theme: try Theme.bundledDefault(), actions: .cockpit,
      origin: "demo fleet", latest: { LoadedModel(version: 1, model: model) },
      shouldStop: {
        polls += 1
        return polls > keys.count + 2
      }, clock: { goldenInstant }
    ).run()
    let lines = backend.screen.text().split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[29].hasPrefix(" : theme nosuch█"))
    #expect(lines[28].contains("↑ theme nosuch: no such theme"), "\(lines[28])")
  }

  @Test func tCyclesTheHeatmapMetric() {
    var navigation = Navigation()
    var seen: [HeatmapMetric] = []
    for _ in HeatmapMetric.allCases {
      seen.append(navigation.heatmapMetric)
      navigation.apply(.cycleMetric, rowCount: 0, pageSize: 1)
    }
    #expect(seen == HeatmapMetric.allCases)
    #expect(navigation.heatmapMetric == .activity)
  }

  @Test(arguments: [
    (1_024, 200, 60, "one cell per GPU"), (1_024, 80, 24, "one cell per node"),
    (16_384, 200, 60, "one cell per node"), (16_384, 80, 24, "one cell per rack"),
    (131_072, 80, 24, "one cell per 4 racks"),
  ])
  func theHeatmapAggregatesWhenGPUsOutnumberCells(
    gpus: Int, width: Int, height: Int, says: String
  ) throws {
    let model = try demoModel(at: goldenInstant, gpus: gpus, historySteps: 2, polls: 1)
    var navigation = Navigation()
    navigation.apply(.show(.gpus), rowCount: 0, pageSize: 1)
    let text = Screen(
      model: model, theme: try Theme.bundledDefault(), actions: .cockpit, origin: "demo",
      navigation: navigation
    ).render(width: width, height: height, now: goldenInstant).text()
    #expect(text.contains("GPUs (\(grouped(gpus))) · utilization · \(says)"), "\(text)")
  }

  private func grouped(_ n: Int) -> String {
    n.formatted(.number.locale(Locale(identifier: "en_US")))
  }
}
