import FleetModel
import Foundation

/// Fetches Redfish resources by path (`/redfish/v1/Chassis`): over HTTPS from a BMC, or from a
/// DMTF mockup folder. Nil means the resource does not exist (404), which BMCs and mockups both
/// answer for links that point nowhere.
public protocol RedfishTransport: Sendable {
  /// Where the resources come from, for errors: a URL or a folder.
  var origin: String { get }
  /// How its certificate is checked; nil when it is not HTTPS (a mockup folder).
  var tls: TLSVerification? { get }
  func get(_ path: String) async throws -> Data?
}

extension RedfishTransport {
  public var tls: TLSVerification? { nil }
}

/// A DMTF "short form" mockup folder: the folder is `/redfish/v1`, and `/redfish/v1/X/Y` is
/// `X/Y/index.json` (what `factop import redfish DIR` reads, and what sushy-static serves).
public struct RedfishMockupFolder: RedfishTransport {
  public let folder: URL
  public var origin: String { folder.path }

  public init(folder: URL) {
    self.folder = folder
  }

  public func get(_ path: String) async throws -> Data? {
    var relative = path.split(separator: "#").first.map(String.init) ?? path
    for prefix in ["/redfish/v1/", "/redfish/v1"] where relative.hasPrefix(prefix) {
      relative = String(relative.dropFirst(prefix.count))
      break
    }
    let file = folder.appendingPathComponent(relative).appendingPathComponent("index.json")
    guard FileManager.default.fileExists(atPath: file.path) else { return nil }
    return try Data(contentsOf: file)
  }
}

/// The live service: a BMC's or a PDU's HTTPS endpoint.
extension HTTPSource: RedfishTransport {
  public func get(_ path: String) async throws -> Data? { try await get(path, headers: [:]) }
}
