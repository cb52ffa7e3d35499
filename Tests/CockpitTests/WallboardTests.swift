import Cockpit
import Foundation
import TerminalKit
import Testing

@Suite struct WallboardTests {
  let theme = try! Theme.bundledDefault()
  let views: [CockpitView] = [.overview, .power, .cost, .savings]

  func wallboard(_ model: CockpitModel?) -> WallboardScreen {
    WallboardScreen(model: model, theme: theme, views: views, rotateS: 15, origin: "shared cache")
  }

  @Test func theClockRotatesTheViews() {
    let board = wallboard(nil)
    // goldenInstant is a multiple of 60 s: the first of every four 15-second turns.
    let shown = (0..<8).map { board.view(at: goldenInstant.addingTimeInterval(Double($0) * 15)) }
    #expect(shown == views + views)
    #expect(board.view(at: goldenInstant.addingTimeInterval(14)) == .overview)
  }

  @Test(arguments: [(80, 24), (300, 80)])
  func everyViewWithBigFiguresAndAClock(width: Int, height: Int) throws {
    var model = goldenModel
    for (turn, view) in views.enumerated() {
      let now = goldenInstant.addingTimeInterval(Double(turn) * 15)
      // Polled two seconds before each turn: fresh data, no banner.
      model.sources[0].lastSuccess = now.addingTimeInterval(-2)
      try expectGolden(
        wallboard(model).render(width: width, height: height, now: now),
        "wallboard-\(view.rawValue)-\(width)x\(height)")
    }
  }

  @Test func staleDataRaisesABanner() throws {
    var model = goldenModel
    #expect(wallboard(model).staleBannerText(at: goldenInstant) == nil)
    model.sources[0].lastSuccess = goldenInstant.addingTimeInterval(-300)
    let text = wallboard(model).render(width: 120, height: 30, now: goldenInstant).text()
    #expect(text.split(separator: "\n")[1].contains("⚠ STALE DATA: demo 5m old"))
    let empty = wallboard(nil).render(width: 120, height: 30, now: goldenInstant).text()
    #expect(empty.contains("⚠ NO DATA YET"))
  }

  @Test func everyKeyIsIgnored() throws {
    let model = goldenModel
    let keys: [InputEvent] =
      [":", "/", "!", "s", "h", "q", "?", "1", "t", "G"].map { .character($0) }
      + [.enter, .escape, .tab, .down, .pageDown]
    let backend = TextBackend(width: 100, height: 30, input: keys)
    var polls = 0
    WallboardApp(
      backend: backend, screen: { wallboard($0) },
      latest: { LoadedModel(version: 1, model: model) },
      shouldStop: {
        polls += 1
        return polls > keys.count + 2
      }, clock: { goldenInstant }
    ).run()
    // It was still running after every key (q included), and shows the wallboard unchanged.
    #expect(polls == keys.count + 3)
    #expect(backend.screen == wallboard(model).render(width: 100, height: 30, now: goldenInstant))
  }
}
