import Foundation

/// The theme files shipped with factop (this folder), bundled into the binary's resources.
public enum BundledThemes {
  public static let names = ["default", "light", "high-contrast", "colorblind", "mono"]

  /// The text of the bundled theme `name`, or nil when there is none by that name.
  public static func text(named name: String) -> String? {
    guard let url = Bundle.module.url(forResource: name, withExtension: "theme") else { return nil }
    return try? String(contentsOf: url, encoding: .utf8)
  }
}
