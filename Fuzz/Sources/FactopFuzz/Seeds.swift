import Foundation

/// Where a corpus starts: the real captures in ../shared/fixtures (read there, never copied into
/// the repo) and the recorded answers the feed tests serve.
enum Seeds {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let fixtures = repository.deletingLastPathComponent().appendingPathComponent(
    "shared/fixtures")
  static let recorded = repository.appendingPathComponent("Tests/FeedsTests/Recorded")

  /// The files under a folder whose names end in `suffix`, in a stable order. Inputs over
  /// 256 KiB are left out: a parser's paths do not grow with them, only its time per input.
  static func files(_ folder: String, _ suffix: String = "", under root: URL = fixtures) -> [Data] {
    let base = root.appendingPathComponent(folder)
    guard let walker = FileManager.default.enumerator(atPath: base.path) else { return [] }
    return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(suffix) }.sorted()
      .compactMap { try? Data(contentsOf: base.appendingPathComponent($0)) }
      .filter { $0.count <= 256 << 10 }
  }

  /// A long table's header and first four rows: the rows are alike, and a parser's cost grows
  /// with them, not its paths. libFuzzer makes no input longer than its longest seed (or 4 KiB),
  /// so this is what keeps a table parser near 4 KiB an input instead of a FOCUS export's 750
  /// bytes a row.
  static func firstLines(_ data: Data) -> Data {
    let text = String(decoding: data, as: UTF8.self)
    return Data(text.split(separator: "\n").prefix(5).joined(separator: "\n").utf8)
  }

  /// Writes the seeds into an empty corpus folder, one file each, so libFuzzer starts from them.
  static func plant(_ seeds: [Data], in corpus: URL) throws {
    try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
    for (index, seed) in seeds.enumerated() {
      try seed.write(to: corpus.appendingPathComponent(String(format: "seed-%04d", index)))
    }
  }
}
