import Cockpit
import Foundation
import TerminalKit
import Testing

@Suite struct ScaleAndMonoTests {
  @Test func every16kGPUViewRenders() throws {
    let model = try demoModel(at: goldenInstant, gpus: 16_384, historySteps: 12)
    let theme = try Theme.bundledDefault()
    #expect(model.nodeRows.count == 2_048)
    for view in CockpitView.allCases {
      var navigation = Navigation()
      navigation.apply(.show(view), rowCount: 0, pageSize: 1)
      navigation.apply(.bottom, rowCount: 5_000, pageSize: 10)
      let screen = Screen(
        model: model, theme: theme, actions: .cockpit, origin: "demo", navigation: navigation)
      let text = screen.render(width: 200, height: 60, now: goldenInstant).text()
      #expect(text.contains(view == .overview ? "GPUs 16,384" : "╭"), "\(view)")
    }
  }

  @Test func monoUsesOnlyTheTerminalsOwnColours() throws {
    let model = goldenModel
    let mono = try Theme.load("mono", userDirectory: nil)
    for view in CockpitView.allCases {
      var navigation = Navigation()
      navigation.apply(.show(view), rowCount: 0, pageSize: 1)
      let buffer = Screen(
        model: model, theme: mono, actions: .cockpit, origin: "demo", navigation: navigation
      )
      .render(width: 80, height: 24, now: goldenInstant)
      for y in 0..<buffer.height {
        for x in 0..<buffer.width {
          let style = buffer[x, y].style
          #expect(style.foreground == .terminalDefault && style.background == .terminalDefault)
        }
      }
    }
  }
}
