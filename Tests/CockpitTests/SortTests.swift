import Cockpit
import Foundation
import Testing

@Suite struct SortTests {
  let theme = try! Theme.bundledDefault()
  let model = goldenModel

  func render(_ keys: [Action.Command], view: CockpitView) -> String {
    var navigation = Navigation()
    navigation.apply(.show(view), rowCount: 0, pageSize: 1)
    for key in keys { navigation.apply(key, rowCount: 1_000, pageSize: 10) }
    return Screen(
      model: model, theme: theme, actions: .cockpit, origin: "demo", navigation: navigation
    )
    .render(width: 200, height: 60, now: goldenInstant).text()
  }

  @Test func listsKeepTheirSourceOrderUntilSorted() {
    let text = render([], view: .nodes)
    #expect(!text.contains("▲") && !text.contains("▼"))
    #expect(text.split(separator: "\n")[3].contains("gpu-a0001"))
  }

  @Test func sCyclesTheSortColumnAndSReversesIt() {
    // Nodes by state (the fourth column), reversed: "unknown"… "allocated" from the top.
    let text = render([.sortNext, .sortNext, .sortNext, .sortNext, .sortReverse], view: .nodes)
    #expect(text.contains("STATE▼"))
    let states = text.split(separator: "\n").dropFirst(3).prefix(3).map { String($0) }
    #expect(states.allSatisfy { $0.contains("mixed") }, "\(states)")
  }

  @Test func unknownSortsLastBothWays() {
    // Nodes by power: the down node reports none and stays at the bottom either way.
    for reverse in [false, true] {
      let keys: [Action.Command] =
        Array(repeating: .sortNext, count: 7) + (reverse ? [.sortReverse] : [])
      var navigation = Navigation()
      navigation.apply(.show(.nodes), rowCount: 0, pageSize: 1)
      for key in keys { navigation.apply(key, rowCount: 1_000, pageSize: 10) }
      navigation.apply(.bottom, rowCount: model.nodeRows.count, pageSize: 10)
      let text = Screen(
        model: model, theme: theme, actions: .cockpit, origin: "demo", navigation: navigation
      )
      .render(width: 200, height: 60, now: goldenInstant).text()
      let lastRow = text.split(separator: "\n").dropLast(2).last.map(String.init) ?? ""
      #expect(lastRow.contains("gpu-a0079") && lastRow.contains("N/A"), "\(lastRow)")
    }
  }

  /// Job ids sort as numbers where they are numbers (9000000 before 15850000), not as text.
  @Test func jobIDsSortAsNumbers() {
    let text = render([.sortNext], view: .jobs)
    #expect(text.contains("ID▲"))
    let ids = text.split(separator: "\n").dropFirst(3).compactMap { line in
      line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
    }
    #expect(ids.count > 10 && ids == ids.sorted(), "\(ids.prefix(20))")
  }

  @Test func jobsByCostDescending() {
    let text = render(Array(repeating: .sortNext, count: 11) + [.sortReverse], view: .jobs)
    #expect(text.contains("$/H▼"))
    let dearest = model.jobRows.max { ($0.costUSDPerHour ?? 0) < ($1.costUSDPerHour ?? 0) }!
    let first = text.split(separator: "\n")[3]
    #expect(first.contains(dearest.job.name), "\(first)")
  }
}
