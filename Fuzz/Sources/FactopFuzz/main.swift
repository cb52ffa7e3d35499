// factop-fuzz: libFuzzer over one of factop's parsers of outside input.
//
//   FactopFuzz list                       the parsers, one name a line
//   FactopFuzz NAME CORPUS [libFuzzer options]
//                                         fuzz NAME; an empty or missing CORPUS folder is first
//                                         planted with NAME's seeds; a file runs once (a repro)
//                                         exits 3 when NAME has no seeds (../shared is absent)
//
// A parser may refuse an input, never crash, hang or eat memory on one: libFuzzer reports those
// (a Swift trap is a deadly signal; -timeout and -rss_limit_mb bound the rest) and saves the
// input. Built with -sanitize=fuzzer, which links libFuzzer; this main hands it the arguments.
import Foundation
import LibFuzzer

/// The parser this run fuzzes, fixed by the first argument (checked before libFuzzer starts).
enum Chosen {
  static let target = ParserTarget.named(CommandLine.arguments.dropFirst().first ?? "")
}

func fail(_ message: String, status: Int32 = 2) -> Never {
  FileHandle.standardError.write(Data("factop-fuzz: \(message)\n".utf8))
  exit(status)
}

/// A missing or empty corpus folder starts from the parser's seeds; a file is an input to replay.
func needsSeeds(_ corpus: String) -> Bool {
  var isFolder: ObjCBool = false
  guard FileManager.default.fileExists(atPath: corpus, isDirectory: &isFolder) else { return true }
  return isFolder.boolValue
    && (try? FileManager.default.contentsOfDirectory(atPath: corpus))?.isEmpty == true
}

let arguments = CommandLine.arguments
if arguments.count == 2, arguments[1] == "list" {
  print(ParserTarget.all.map(\.name).joined(separator: "\n"))
  exit(0)
}
guard arguments.count >= 3 else {
  fail("usage: FactopFuzz list | FactopFuzz NAME CORPUS [libFuzzer options]")
}
guard let target = Chosen.target else {
  fail(
    "no parser named \(arguments[1]); one of: \(ParserTarget.all.map(\.name).joined(separator: ", "))"
  )
}

let corpus = URL(fileURLWithPath: arguments[2])
if needsSeeds(corpus.path) {
  let seeds = target.seeds()
  // Not a finding: the fixtures are absent.
  guard !seeds.isEmpty else { fail("\(target.name): no seeds", status: 3) }
  do { try Seeds.plant(seeds, in: corpus) } catch { fail("\(corpus.path): \(error)") }
}

// libFuzzer sees the program name, the corpus and its own options: not the parser's name.
let driverArguments = [arguments[0]] + arguments.dropFirst(2)
var argc = CInt(driverArguments.count)
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = .allocate(
  capacity: driverArguments.count + 1)
for (index, argument) in driverArguments.enumerated() { argv?[index] = strdup(argument) }
argv?[driverArguments.count] = nil

exit(
  LLVMFuzzerRunDriver(&argc, &argv) { data, count in
    guard let target = Chosen.target else { return 0 }
    let input = data.map { Data(bytes: $0, count: count) } ?? Data()
    do { try target.parse(input) } catch {}
    return 0
  })
