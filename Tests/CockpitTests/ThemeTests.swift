import Cockpit
import Foundation
import TerminalKit
import Testing
import Themes

@Suite struct ThemeTests {
  @Test(arguments: BundledThemes.names)
  func bundledThemesDefineEveryRole(name: String) throws {
    let text = try #require(BundledThemes.text(named: name))
    let theme = try Theme.parse(text, name: name, source: "\(name).theme")  // no base: all keys
    // Mono uses the terminal's own colours; every other theme gives alerts a colour.
    #expect((theme.color(.crit) != .terminalDefault) == (name != "mono"))
  }

  @Test func aUserThemeOverridesSomeKeysAndInheritsTheRest() throws {
    let base = try Theme.bundledDefault()
    let theme = try Theme.parse(
      "theme[crit]=\"#ff0000\"\n", name: "mine", source: "mine.theme", base: base)
    #expect(theme.color(.crit) == .rgb(255, 0, 0))
    #expect(theme.color(.ok) == base.color(.ok))
  }

  @Test func errorsNameTheFileTheLineAndWhatIsWrong() {
    #expect(
      throws: ThemeError(
        source: "t.theme", line: 2,
        message:
          "unknown key critical (known: main_bg, main_fg, dim_fg, title, border, header_fg, hi_fg, bar_bg, bar_fg, ok, warn, crit, track, util_start, util_mid, util_end)"
      )
    ) {
      try Theme.parse("# ok\ntheme[critical]=\"#ff0000\"", name: "t", source: "t.theme")
    }
    #expect(
      throws: ThemeError(
        source: "t.theme", line: 1, message: "crit is \"red\"; expected #rrggbb, 0…255 or \"\"")
    ) {
      try Theme.parse("theme[crit]=\"red\"", name: "t", source: "t.theme")
    }
    #expect(
      throws: ThemeError(source: "t.theme", line: 1, message: "expected theme[key]=\"value\"")
    ) {
      try Theme.parse("crit = red", name: "t", source: "t.theme")
    }
  }

  @Test func unknownThemeNamesListTheBundledOnes() {
    #expect(
      throws: ThemeError(
        source: "neon", line: nil,
        message: "no such theme (bundled: default, light, high-contrast, colorblind, mono)")
    ) {
      try Theme.load("neon", userDirectory: nil)
    }
  }

  @Test func utilizationGradientRunsFromStartToEnd() throws {
    let theme = try Theme.bundledDefault()
    #expect(theme.utilization(0).foreground == theme.color(.utilStart))
    #expect(theme.utilization(50).foreground == theme.color(.utilMid))
    #expect(theme.utilization(100).foreground == theme.color(.utilEnd))
    #expect(theme.utilization(250).foreground == theme.color(.utilEnd))
  }
}
