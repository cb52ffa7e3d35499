extension Substring {
  /// The text without leading and trailing spaces and tabs: what Foundation's
  /// `trimmingCharacters(in: .whitespaces)` removes (Unicode's space separators and the tab),
  /// without its trip through NSString and UTF-16, which was the larger part of the time spent
  /// reading nvidia-smi's CSV and every CSV import.
  func trimmingSpaces() -> String {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.isSpace }),
      let last = scalars.lastIndex(where: { !$0.isSpace })
    else { return "" }
    return String(scalars[first...last])
  }
}

extension String {
  func trimmingSpaces() -> String { self[...].trimmingSpaces() }

  /// The lines of command output or a file, split at line feeds and carriage returns (a CR LF
  /// leaves an empty line between, for the caller to skip with the blank ones), a Unicode scalar
  /// at a time: splitting `Character`s costs grapheme breaking on every byte.
  var scalarLines: [String] {
    unicodeScalars.split { $0 == "\n" || $0 == "\r" }.map(String.init)
  }
}

extension Unicode.Scalar {
  /// A space separator (`Zs`) or a tab, as Foundation's `CharacterSet.whitespaces` has it.
  var isSpace: Bool {
    isASCII ? self == " " || self == "\t" : properties.generalCategory == .spaceSeparator
  }
}
