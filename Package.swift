// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "factop",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "factop", targets: ["factop"]),
    .library(name: "FleetModel", targets: ["FleetModel"]),
    .library(name: "FleetSim", targets: ["FleetSim"]),
    .library(name: "StateCache", targets: ["StateCache"]),
    .library(name: "Feeds", targets: ["Feeds"]),
    .library(name: "Exports", targets: ["Exports"]),
    .library(name: "TerminalKit", targets: ["TerminalKit"]),
    .library(name: "Cockpit", targets: ["Cockpit"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.0.0"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.0.0"),
    .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    // factop's own spans and metrics: the APIs where they are made, OTLP over HTTP only where
    // the executable exports them (gRPC's trait would add minutes to every clean build).
    .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
    .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
    .package(url: "https://github.com/swift-otel/swift-otel", from: "1.6.0", traits: ["OTLPHTTP"]),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
  ],
  targets: [
    .systemLibrary(name: "CNCurses", providers: [.apt(["libncursesw5-dev"])]),
    .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
    .target(name: "FleetModel"),
    .target(name: "FleetSim", dependencies: ["FleetModel"]),
    .target(
      name: "StateCache",
      dependencies: ["FleetModel", .product(name: "GRDB", package: "GRDB.swift")]),
    .target(
      name: "Feeds",
      dependencies: [
        "FleetModel", "FleetSim", "StateCache", "CLibXML2",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "CSV", package: "CSV.swift"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "Subprocess", package: "swift-subprocess"),
        .product(name: "Yams", package: "Yams"),
      ]),
    .target(
      name: "Config",
      dependencies: [
        "FleetModel", "FleetSim", "Feeds", .product(name: "TOMLKit", package: "TOMLKit"),
      ]),
    .target(
      name: "Polling",
      dependencies: [
        "FleetModel", "StateCache", "Feeds", .product(name: "Logging", package: "swift-log"),
        .product(name: "Tracing", package: "swift-distributed-tracing"),
        .product(name: "Metrics", package: "swift-metrics"),
      ]),
    .target(
      name: "Exports",
      dependencies: ["FleetModel", "UntrustedText", .product(name: "CSV", package: "CSV.swift")]),
    .target(name: "UntrustedText"),
    .target(name: "TerminalKit", dependencies: ["CNCurses", "UntrustedText"]),
    .target(
      name: "Themes", path: "themes",
      resources: ["default", "light", "high-contrast", "colorblind", "mono"].map {
        .copy("\($0).theme")
      }),
    .target(
      name: "Cockpit",
      dependencies: [
        "FleetModel", "StateCache", "TerminalKit", "Themes",
        .product(name: "Metrics", package: "swift-metrics"),
      ]),
    .executableTarget(
      name: "factop",
      dependencies: [
        "FleetModel", "FleetSim", "StateCache", "Feeds", "Polling", "Config", "Exports", "Cockpit",
        "TerminalKit",
        "UntrustedText", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "TOMLKit", package: "TOMLKit"),
        .product(name: "OTel", package: "swift-otel"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]),
    .testTarget(name: "FleetModelTests", dependencies: ["FleetModel"]),
    .testTarget(name: "FleetSimTests", dependencies: ["FleetModel", "FleetSim"]),
    .testTarget(
      name: "StateCacheTests",
      dependencies: [
        "FleetModel", "FleetSim", "StateCache", .product(name: "GRDB", package: "GRDB.swift"),
      ]),
    .testTarget(name: "TerminalKitTests", dependencies: ["TerminalKit", "UntrustedText"]),
    .systemLibrary(name: "CPosixSpawn", path: "Tests/CPosixSpawn"),
    .target(name: "TestSupport", dependencies: ["CPosixSpawn"], path: "Tests/TestSupport"),
    .testTarget(
      name: "FeedsTests",
      dependencies: ["FleetModel", "Feeds", "Polling", "StateCache", "TestSupport"],
      exclude: ["Recorded"]),
    .testTarget(name: "ConfigTests", dependencies: ["Config", "TestSupport"]),
    .testTarget(
      name: "PollingTests",
      dependencies: [
        "FleetModel", "FleetSim", "Feeds", "Polling", "StateCache", "TestSupport",
        .product(name: "Logging", package: "swift-log"),
      ]),
    .testTarget(
      name: "CockpitTests",
      dependencies: ["FleetModel", "FleetSim", "Cockpit", "TerminalKit", "Themes"],
      exclude: ["Golden"]),
    .testTarget(
      name: "ExportsTests", dependencies: ["FleetModel", "FleetSim", "Exports", "UntrustedText"],
      exclude: ["Golden"]),
    .testTarget(
      name: "FactopTests",
      dependencies: ["FleetModel", "FleetSim", "Exports", "StateCache", "Cockpit", "TestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
