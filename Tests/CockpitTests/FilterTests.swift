import Cockpit
import FleetModel
import Foundation
import TerminalKit
import Testing

@Suite struct FilterQueryTests {
  let fields = ["util", "team", "state", "node"]

  @Test func parsesTermsAndOperators() throws {
    let query = try FilterQuery.parse(
      "util<5 team=vision state!=running node~gpu-1", fields: fields)
    #expect(query.terms.map(\.op) == [.below, .equal, .notEqual, .contains])
    #expect(query.terms.map(\.value) == ["5", "vision", "running", "gpu-1"])
    #expect(try FilterQuery.parse("util<=5", fields: fields).terms[0].op == .atMost)
    #expect(try FilterQuery.parse("node~a=b", fields: fields).terms[0].value == "a=b")
  }

  @Test(arguments: [
    ("util<5 colr=red", 7, "unknown field \"colr\""),
    ("util", 0, "needs an operator"),
    ("util<5  state=", 14, "state= needs a value"),
  ])
  func errorsPointAtTheColumn(text: String, column: Int, message: String) {
    #expect {
      try FilterQuery.parse(text, fields: fields)
    } throws: { error in
      guard let error = error as? PromptError else { return false }
      return error.column == column && error.message.contains(message)
    }
  }
}

@Suite struct FilterViewTests {
  let theme = try! Theme.bundledDefault()
  let model = goldenModel

  func screen(_ navigation: Navigation) -> Screen {
    Screen(model: model, theme: theme, actions: .cockpit, origin: "demo", navigation: navigation)
  }

  /// The filter fields of a view, as the app gets them.
  func fields(_ view: CockpitView) -> [String] {
    var navigation = Navigation()
    navigation.apply(.show(view), rowCount: 0, pageSize: 1)
    return screen(navigation).filterFields
  }

  @Test func aFilterKeepsMatchingRowsAndSaysSo() throws {
    var navigation = Navigation()
    navigation.apply(.show(.nodes), rowCount: 0, pageSize: 1)
    navigation.apply(.filter, rowCount: 0, pageSize: 1)
    for character in "state=drained" {
      navigation.edit(.character(character), fields: fields(.nodes))
    }
    navigation.edit(.enter, fields: fields(.nodes))
    #expect(navigation.prompt == nil)
    #expect(screen(navigation).rowCount(at: goldenInstant) == 1)
    let text = screen(navigation).render(width: 160, height: 40, now: goldenInstant).text()
    #expect(text.contains("Nodes (1 of 128 · /state=drained)"))
    #expect(text.contains("gpu-a0080"))
    // `/` again offers the filter in force: typing replaces it, not appends to it.
    navigation.apply(.filter, rowCount: 0, pageSize: 1)
    #expect(navigation.prompt?.text == "state=drained" && navigation.prompt?.isOffered == true)
    // Numbers compare as numbers; Esc clears the filter.
    for character in "util<5 cluster=train-a" {
      navigation.edit(.character(character), fields: fields(.nodes))
    }
    navigation.edit(.enter, fields: fields(.nodes))
    let idle = screen(navigation).rowCount(at: goldenInstant)
    #expect(idle > 0 && idle < 80)
    navigation.apply(.back, rowCount: 0, pageSize: 1)
    #expect(navigation.filter[.nodes] == nil && navigation.view == .nodes)
  }

  /// The Savings list filters and sorts like the others, and Enter opens the row shown.
  @Test func savingsFilterSortAndDrillIntoTheRowShown() throws {
    var navigation = Navigation()
    navigation.apply(.show(.savings), rowCount: 0, pageSize: 1)
    let all = screen(navigation).rowCount(at: goldenInstant)
    #expect(all > 2)
    navigation.apply(.filter, rowCount: 0, pageSize: 1)
    for character in "kind=idle_allocation" {
      navigation.edit(.character(character), fields: fields(.savings))
    }
    navigation.edit(.enter, fields: fields(.savings))
    #expect(navigation.prompt == nil)
    let kept = screen(navigation).rowCount(at: goldenInstant)
    #expect(kept >= 1 && kept < all)
    navigation.apply(.drill, rowCount: kept, pageSize: 1)
    let evidence = screen(navigation).render(width: 160, height: 40, now: goldenInstant).text()
    #expect(evidence.contains("Kind   idle_allocation"), "\(evidence)")
    // Sorted by confidence (the fourth column), lowest first.
    navigation.apply(.back, rowCount: 0, pageSize: 1)
    navigation.apply(.back, rowCount: 0, pageSize: 1)
    for _ in 0..<4 { navigation.apply(.sortNext, rowCount: all, pageSize: 1) }
    let sorted = screen(navigation).render(width: 160, height: 40, now: goldenInstant).text()
    // The rows' CONF cells (the token after the SPEND percentage), in screen order.
    let confidence = sorted.split(separator: "\n").compactMap { line -> Double? in
      let tokens = line.split(separator: " ")
      guard let percent = tokens.firstIndex(of: "%"), tokens.indices.contains(percent + 1) else {
        return nil
      }
      return Double(tokens[percent + 1])
    }
    #expect(confidence.count == all, "\(sorted)")
    #expect(confidence == confidence.sorted(), "\(confidence)")
  }

  /// The Sources list filters and sorts like the others: `/status=error` keeps the sources that
  /// need looking at.
  @Test func sourcesFilterByStatusAndSortByPollTime() throws {
    var model = goldenModel
    let polled = goldenInstant.addingTimeInterval(-2)
    model.sources = [
      SourceHealth(
        name: "prom", kind: "prometheus", intervalS: 10, lastAttempt: polled,
        lastSuccess: polled, pollDurationS: 0.8),
      SourceHealth(
        name: "slurm", kind: "slurm", intervalS: 10, lastAttempt: polled,
        lastSuccess: polled.addingTimeInterval(-600), lastError: "connection refused",
        pollDurationS: 0.1),
      SourceHealth(
        name: "bmc", kind: "redfish", intervalS: 10, lastAttempt: polled, lastSuccess: polled,
        pollDurationS: 0.3),
    ]
    var navigation = Navigation()
    navigation.apply(.show(.sources), rowCount: 0, pageSize: 1)
    let fields = Screen(
      model: model, theme: theme, actions: .cockpit, origin: "demo", navigation: navigation
    ).filterFields
    #expect(fields.contains("status") && fields.contains("poll"))
    navigation.apply(.filter, rowCount: 0, pageSize: 1)
    for character in "status=error" { navigation.edit(.character(character), fields: fields) }
    navigation.edit(.enter, fields: fields)
    func shown() -> Screen {
      Screen(model: model, theme: theme, actions: .cockpit, origin: "demo", navigation: navigation)
    }
    #expect(shown().rowCount(at: goldenInstant) == 1)
    let filtered = shown().render(width: 160, height: 30, now: goldenInstant).text()
    #expect(filtered.contains("Sources (1 of 3 · /status=error)"), "\(filtered)")
    #expect(filtered.contains("connection refused") && !filtered.contains("prometheus"))
    // Sorted by poll time (the sixth column), slowest first.
    navigation.apply(.back, rowCount: 0, pageSize: 1)
    navigation.apply(.sortReverse, rowCount: 3, pageSize: 1)
    for _ in 0..<5 { navigation.apply(.sortNext, rowCount: 3, pageSize: 1) }
    let sorted = shown().render(width: 160, height: 30, now: goldenInstant).text()
    let order = ["prom", "bmc", "slurm"].map { sorted.range(of: " \($0) ")?.lowerBound }
    #expect(order.allSatisfy { $0 != nil } && order == order.sorted { $0! < $1! }, "\(sorted)")
  }

  @Test func backspaceKeepsTheOfferedFilterToEdit() {
    var navigation = Navigation()
    navigation.apply(.show(.jobs), rowCount: 0, pageSize: 1)
    navigation.apply(.filter, rowCount: 0, pageSize: 1)
    for character in "gpus>8" { navigation.edit(.character(character), fields: fields(.jobs)) }
    navigation.edit(.enter, fields: fields(.jobs))
    navigation.apply(.filter, rowCount: 0, pageSize: 1)
    navigation.edit(.backspace, fields: fields(.jobs))
    navigation.edit(.character("0"), fields: fields(.jobs))
    #expect(navigation.prompt?.text == "gpus>0")
  }

  @Test func aWrongFilterShowsWhereAndStaysOpen() {
    var navigation = Navigation()
    navigation.apply(.show(.jobs), rowCount: 0, pageSize: 1)
    navigation.apply(.filter, rowCount: 0, pageSize: 1)
    for character in "gpus>8 tema=vision" {
      navigation.edit(.character(character), fields: fields(.jobs))
    }
    navigation.edit(.enter, fields: fields(.jobs))
    #expect(navigation.prompt?.text == "gpus>8 tema=vision")
    #expect(navigation.prompt?.error?.column == 7)
    let lines = screen(navigation).render(width: 120, height: 30, now: goldenInstant).text()
      .split(separator: "\n", omittingEmptySubsequences: false)
    let caretLine = String(lines[28])
    // The caret sits under "tema": 3 columns of " / " plus 7.
    #expect(caretLine.dropFirst(10).hasPrefix("↑ unknown field \"tema\""), "\(caretLine)")
    #expect(lines[29].hasPrefix(" / gpus>8 tema=vision█"))
  }
}

/// `?` explains the figures of the view it was opened from, a line each.
@Suite struct GlossaryTests {
  let theme = try! Theme.bundledDefault()

  @Test func everyViewExplainsItsFigures() {
    for view in CockpitView.allCases where view != .help {
      var navigation = Navigation()
      navigation.apply(.show(view), rowCount: 0, pageSize: 1)
      navigation.apply(.show(.help), rowCount: 0, pageSize: 1)
      let text = Screen(
        model: goldenModel, theme: theme, actions: .cockpit, origin: "demo",
        navigation: navigation
      ).render(width: 160, height: 60, now: goldenInstant).text()
      #expect(text.contains("On \(view.title) ("), "\(view)")
      #expect(text.contains("╭ Keys"), "\(view)")
      // Each line is whole at 80 columns.
      let narrow = Screen(
        model: goldenModel, theme: theme, actions: .cockpit, origin: "demo",
        navigation: navigation
      ).render(width: 80, height: 40, now: goldenInstant).text().split(separator: "\n")
      let glossary = narrow.drop { !$0.hasPrefix("╭ On") }.prefix { !$0.hasPrefix("╰") }
      #expect(glossary.count > 2 && !glossary.contains { $0.contains("…") }, "\(view)")
    }
  }

  /// The figures a newcomer asked about, each defined where it is shown.
  @Test(arguments: [
    (CockpitView.overview, ["busy", "idle-allocated", "UTIL", "OUT", "CONF", "1 % line"]),
    (.gpus, ["SM activity"]), (.cost, ["80 % band", "MTD"]), (.savings, ["CONF", "SPEND"]),
    (.sources, ["STATUS", "POLL"]), (.power, ["PUE", "HEADROOM", "UNATTRIB."]),
  ])
  func theTermsNewcomersAskAbout(view: CockpitView, terms: [String]) {
    var navigation = Navigation()
    navigation.apply(.show(view), rowCount: 0, pageSize: 1)
    navigation.apply(.show(.help), rowCount: 0, pageSize: 1)
    let lines = Screen(
      model: goldenModel, theme: theme, actions: .cockpit, origin: "demo", navigation: navigation
    ).render(width: 160, height: 60, now: goldenInstant).text().split(separator: "\n")
    for term in terms {
      #expect(lines.contains { $0.hasPrefix("│ \(term) ") }, "\(view): \(term)")
    }
  }
}
