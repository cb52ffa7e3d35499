// swift-tools-version: 6.1
// factop's benchmarks (package-benchmark), kept apart so `swift test` never builds or runs them.
// Run from this folder: swift package benchmark
import PackageDescription

let package = Package(
  name: "factop-benchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(name: "factop", path: ".."),
    .package(
      url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "FactopBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "FleetModel", package: "factop"),
        .product(name: "FleetSim", package: "factop"),
        .product(name: "Exports", package: "factop"),
        .product(name: "Feeds", package: "factop"),
        .product(name: "StateCache", package: "factop"),
        .product(name: "Cockpit", package: "factop"),
      ],
      path: "Benchmarks/FactopBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
  ],
  swiftLanguageModes: [.v6]
)
