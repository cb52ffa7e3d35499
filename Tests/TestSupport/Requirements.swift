import Foundation
import Testing

extension Trait where Self == ConditionTrait {
  /// Runs the test where every one of `programs` is installed. Elsewhere it is reported skipped,
  /// naming what is missing, never passed without having run; except where
  /// FACTOP_REQUIRE_SERVERS=1 (CI, whose `.ci/run` installs them all), where it runs and fails
  /// on the first it cannot start.
  public static func requires(_ programs: [String]) -> Self {
    let missing = programs.filter { !FileManager.default.isExecutableFile(atPath: $0) }
    let required = ProcessInfo.processInfo.environment["FACTOP_REQUIRE_SERVERS"] == "1"
    return .enabled(
      if: missing.isEmpty || required,
      Comment(rawValue: "not installed: \(missing.joined(separator: ", ")) (.ci/run installs it)"))
  }

  public static func requires(_ programs: String...) -> Self { requires(programs) }
}

/// Throws, naming it, when a program a test starts is not installed (a test that requires it
/// runs anyway in CI, and must fail there rather than pass).
public func requireInstalled(_ programs: [String]) throws {
  let missing = programs.filter { !FileManager.default.isExecutableFile(atPath: $0) }
  guard missing.isEmpty else {
    throw ServerError(
      message: "not installed: \(missing.joined(separator: ", ")); .ci/run installs it")
  }
}
