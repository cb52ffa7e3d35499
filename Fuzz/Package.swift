// swift-tools-version: 6.1
// factop's libFuzzer harness for every parser of outside input, kept apart so `swift test` never
// builds it (it needs its own instrumented build). Run from this folder: ./run (see docs/reliability.md).
import PackageDescription

let package = Package(
  name: "factop-fuzz",
  platforms: [.macOS(.v15)],
  dependencies: [.package(name: "factop", path: "..")],
  targets: [
    // libFuzzer's driver entry point; the library itself comes with `-sanitize=fuzzer`.
    .systemLibrary(name: "LibFuzzer"),
    .executableTarget(
      name: "FactopFuzz",
      dependencies: [
        "LibFuzzer",
        .product(name: "Feeds", package: "factop"),
        .product(name: "FleetModel", package: "factop"),
      ],
      // SwiftPM points `main` at this module's top-level code, and -sanitize=fuzzer links
      // libFuzzer's own main as well: lld lets the first win, gold fails on the pair.
      linkerSettings: [.unsafeFlags(["-use-ld=lld"])]),
  ],
  swiftLanguageModes: [.v6]
)
