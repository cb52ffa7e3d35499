import TerminalKit
import Testing
import UntrustedText

@Suite struct TerminalTextTests {
  @Test(arguments: [
    ("job\u{1B}[2Jname", "jobname"),  // clear screen
    ("x\u{1B}]52;c;aGVsbG8=\u{07}y", "xy"),  // OSC 52 clipboard write, BEL-terminated
    ("\u{1B}]8;;http://evil.example\u{1B}\\link\u{1B}]8;;\u{1B}\\", "link"),  // OSC 8 hyperlink
    ("\u{1B}]0;pwned\u{07}title", "title"),  // window title
    ("a\u{9B}31mb", "ab"),  // C1 CSI
    ("a\u{85}b\u{9D}0;x\u{9C}c", "abc"),  // C1 NEL and OSC
    ("user\u{202E}gnp.exe", "usergnp.exe"),  // bidi override
    ("tab\there\nnewline", "tab here newline"),
    ("bell\u{07}", "bell"),
    ("gpu-a0001", "gpu-a0001"),
  ])
  func escapeSequencesAndControlsBecomeInert(input: String, expected: String) {
    #expect(UntrustedText.inert(input) == expected)
  }

  @Test func widthsOfWideAndCombiningCharacters() {
    #expect(TerminalText.width("abc") == 3)
    #expect(TerminalText.width("日本") == 4)
    #expect(TerminalText.width("e\u{301}") == 1)
    #expect(TerminalText.width("🚀") == 2)
  }

  @Test func truncationEndsInAnEllipsisAndRespectsWidth() {
    #expect(TerminalText.truncated("abcdef", to: 4) == "abc…")
    #expect(TerminalText.truncated("abc", to: 4) == "abc")
    #expect(TerminalText.truncated("日本語テキスト", to: 5) == "日本…")
    #expect(TerminalText.truncated(String(repeating: "x", count: 2_000), to: 10).count == 10)
  }
}

@Suite struct BufferTests {
  @Test func putClipsToTheGivenWidthAndTheScreen() {
    var buffer = Buffer(width: 10, height: 2)
    #expect(buffer.put("hello world", x: 0, y: 0, style: .plain, maxWidth: 5) == 5)
    #expect(buffer.put("0123456789AB", x: 4, y: 1, style: .plain) == 6)
    #expect(buffer.text() == "hello\n    012345")
  }

  @Test func wideCharactersTakeTwoCellsAndNeverHalfOfOne() {
    var buffer = Buffer(width: 5, height: 1)
    buffer.put("日本語", x: 0, y: 0, style: .plain)
    #expect(buffer.text() == "日本")  // the third would need columns 4 and 5
    #expect(buffer[1, 0].isContinuation)
    buffer.put("x", x: 1, y: 0, style: .plain)  // overwriting the right half blanks the left
    #expect(buffer.text() == " x本")
  }

  @Test func hostileTextIsInertInTheBuffer() {
    var buffer = Buffer(width: 40, height: 1)
    buffer.put("job\u{1B}[2J\u{1B}]52;c;Zm9v\u{07}-1", x: 0, y: 0, style: .plain)
    #expect(buffer.text() == "job-1")
    for x in 0..<40 {
      #expect(
        buffer[x, 0].symbol.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F })
    }
  }

  @Test func diffHoldsOnlyChangedCellsAndRebuildsTheFrame() {
    var before = Buffer(width: 20, height: 3)
    before.put("GPUs 1,024", x: 0, y: 0, style: .plain)
    var after = before
    after.put("GPUs 1,025", x: 0, y: 0, style: .plain)
    after.put("!", x: 19, y: 2, style: Style(foreground: .indexed(1)))
    let changes = after.changes(since: before)
    #expect(changes.map { "\($0.x),\($0.y)" } == ["9,0", "19,2"])
    var replayed = before
    replayed.apply(changes)
    #expect(replayed == after)
  }

  @Test func aResizedOrFirstFrameIsSentWhole() {
    let frame = Buffer(width: 4, height: 2)
    #expect(frame.changes(since: nil).count == 8)
    #expect(frame.changes(since: Buffer(width: 3, height: 2)).count == 8)
  }

  @Test func textBackendAppliesDiffs() {
    let backend = TextBackend(width: 6, height: 1)
    var frame = Buffer(width: 6, height: 1)
    frame.put("abc", x: 0, y: 0, style: .plain)
    backend.draw(frame.changes(since: nil))
    #expect(backend.screen.text() == "abc")
  }
}

@Suite struct ColorTests {
  @Test func parsesHexPaletteAndDefault() {
    #expect(Color(hex: "#ff8000") == .rgb(255, 128, 0))
    #expect(Color(hex: "208") == .indexed(208))
    #expect(Color(hex: "") == .terminalDefault)
    #expect(Color(hex: "orange") == nil)
    #expect(Color(hex: "#12345") == nil)
  }

  @Test func adaptsToEveryDepth() {
    let orange = Color.rgb(255, 135, 0)
    #expect(orange.adapted(to: .trueColor) == orange)
    #expect(orange.adapted(to: .palette256) == .indexed(208))
    #expect(Color.rgb(250, 0, 0).adapted(to: .palette16) == .indexed(9))
    #expect(Color.rgb(200, 0, 0).adapted(to: .palette8) == .indexed(1))
    #expect(orange.adapted(to: .monochrome) == .terminalDefault)
    #expect(
      Color.indexed(208).adapted(to: .palette16) == Color.rgb(255, 135, 0).adapted(to: .palette16))
    #expect(Color.terminalDefault.adapted(to: .palette8) == .terminalDefault)
  }

  @Test func depthFromTheTerminalsColourCount() {
    #expect(ColorDepth(colors: 16_777_216) == .trueColor)
    #expect(ColorDepth(colors: 256) == .palette256)
    #expect(ColorDepth(colors: 16) == .palette16)
    #expect(ColorDepth(colors: 8) == .palette8)
    #expect(ColorDepth(colors: 0) == .monochrome)
  }

  @Test func colortermAsksForTheDirectColourEntryOfTheTerminal() {
    func entries(_ environment: [String: String]) -> [String] {
      ColorDepth.directColorEntries(environment: environment)
    }
    #expect(entries(["TERM": "xterm-256color", "COLORTERM": "truecolor"]) == ["xterm-direct"])
    #expect(entries(["TERM": "tmux-256color", "COLORTERM": "24bit"]) == ["tmux-direct"])
    // No promise, already direct, or NO_COLOR: nothing to change.
    #expect(entries(["TERM": "xterm-256color"]).isEmpty)
    #expect(entries(["TERM": "xterm-direct", "COLORTERM": "truecolor"]).isEmpty)
    #expect(entries(["TERM": "xterm", "COLORTERM": "truecolor", "NO_COLOR": "1"]).isEmpty)
  }
}

@Suite struct WidgetTests {
  @Test func tableDropsLowPriorityColumnsWhenNarrow() {
    let table = Table(
      columns: [
        .init("NAME", width: 6, priority: 9), .init("NOTE", width: 10, priority: 1),
        .init("N", width: 3, alignment: .right, priority: 5),
      ],
      rowCount: 100, offset: 50, headerStyle: .plain
    ) { i in [Span("row\(i)"), Span("note"), Span("\(i % 10)")] }
    var wide = Buffer(width: 30, height: 3)
    table.render(in: wide.area, into: &wide)
    #expect(wide.text() == "NAME   NOTE         N\nrow50  note         0\nrow51  note         1")
    var narrow = Buffer(width: 12, height: 2)
    table.render(in: narrow.area, into: &narrow)
    #expect(narrow.text() == "NAME     N\nrow50    0")
  }

  @Test func gaugeFillsInEighths() {
    var buffer = Buffer(width: 4, height: 1)
    Gauge(ratio: 0.5 + 2 / 32, filled: .plain, track: .plain).render(in: buffer.area, into: &buffer)
    #expect(buffer.text() == "██▎·")
  }

  @Test func sparklineLeavesUnknownBlank() {
    var buffer = Buffer(width: 5, height: 1)
    Sparkline(values: [0, 100, nil, 50], maximum: 100, style: .plain).render(
      in: buffer.area, into: &buffer)
    #expect(buffer.text() == " ▁█ ▅")
  }

  @Test func barGraphStacksRows() {
    var buffer = Buffer(width: 3, height: 2)
    BarGraph(values: [100, 50, 25], maximum: 100) { _ in .plain }.render(
      in: buffer.area, into: &buffer)
    #expect(buffer.text() == "█\n██▄")
  }
}

@Suite struct WrapTests {
  @Test func wrapsAtSpacesAndBreaksLongWords() {
    #expect(
      TerminalText.wrapped("drain the node and requeue the job", to: 12) == [
        "drain the", "node and", "requeue the", "job",
      ])
    #expect(TerminalText.wrapped("abcdefghij", to: 4) == ["abcd", "efgh", "ij"])
    #expect(TerminalText.wrapped("", to: 5).isEmpty)
  }
}

@Suite struct ColorDepthDetectionTests {
  @Test func noColorForcesMonochrome() {
    #expect(ColorDepth.detect(colors: 256, environment: ["NO_COLOR": "1"]) == .monochrome)
    #expect(ColorDepth.detect(colors: 256, environment: ["NO_COLOR": ""]) == .palette256)
    #expect(ColorDepth.detect(colors: 16_777_216, environment: [:]) == .trueColor)
  }
}

@Suite struct ASCIIFallbackTests {
  @Test func boxesBlocksAndSymbolsBecomeASCII() {
    let box = String("╭─ Fleet ─╮".map { ASCIIFallback.map($0) })
    #expect(box == "+- Fleet -+")
    let bar = String("██▌··".map { ASCIIFallback.map($0) })
    #expect(bar == "###..")
    #expect(ASCIIFallback.map("日") == "?")
  }

  @Test func anASCIIBackendReceivesOnlyASCII() {
    var frame = Buffer(width: 12, height: 1)
    frame.put("│▁▅█ 日本…", x: 0, y: 0, style: .plain)
    let backend = TextBackend(width: 12, height: 1, ascii: true)
    backend.draw(frame.changes(since: nil))
    #expect(backend.screen.text() == "|_=# ? ? ~")  // a wide character keeps its two columns
    let allASCII = backend.screen.text().unicodeScalars.allSatisfy { $0.isASCII }
    #expect(allASCII)
  }
}
