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

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("factop-fuzz: \(message)\n".utf8))
  exit(2)
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
var isFolder: ObjCBool = false
let exists = FileManager.default.fileExists(atPath: corpus.path, isDirectory: &isFolder)
if !exists
  || (isFolder.boolValue
    && (try? FileManager.default.contentsOfDirectory(atPath: corpus.path))?.isEmpty == true)
{
  let seeds = target.seeds()
  guard !seeds.isEmpty else {
    FileHandle.standardError.write(Data("factop-fuzz: \(target.name): no seeds\n".utf8))
    exit(3)  // not a finding: the fixtures are absent
  }
  do { try Seeds.plant(seeds, in: corpus) } catch { fail("\(corpus.path): \(error)") }
}

// libFuzzer sees the program name, the corpus and its own options: not the parser's name.
var driverArguments = [arguments[0]] + arguments.dropFirst(2)
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
