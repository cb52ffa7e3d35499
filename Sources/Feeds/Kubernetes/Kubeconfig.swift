import Foundation
import Yams

/// What factop needs of a kubeconfig: the current context's API server, how to trust it and
/// how to authenticate (a bearer token or a client certificate), from files or inline data.
public struct Kubeconfig: Sendable {
  public let server: String
  public let caPEM: [UInt8]?
  public let token: String?
  public let clientCertificate: (certPEM: [UInt8], keyPEM: [UInt8])?
  public let insecure: Bool

  public static func load(path: String, context: String? = nil) throws -> Kubeconfig {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw InputError(source: path, message: "cannot read it")
    }
    let file: File
    do {
      file = try YAMLDecoder().decode(File.self, from: text)
    } catch {
      throw InputError(source: path, message: "not a kubeconfig: \(error)")
    }
    let base = URL(fileURLWithPath: path).deletingLastPathComponent()
    guard let contextName = context ?? file.currentContext,
      let entry = file.contexts?.first(where: { $0.name == contextName })?.context
    else {
      throw InputError(source: path, message: "no current-context (or no context named so)")
    }
    guard let cluster = file.clusters?.first(where: { $0.name == entry.cluster })?.cluster else {
      throw InputError(source: path, message: "context \(contextName): no cluster \(entry.cluster)")
    }
    let user = file.users?.first { $0.name == entry.user }?.user
    func bytes(file: String?, data: String?, what: String) throws -> [UInt8]? {
      if let data {
        guard let decoded = Data(base64Encoded: data) else {
          throw InputError(source: path, message: "\(what)-data is not base64")
        }
        return Array(decoded)
      }
      guard let file else { return nil }
      let url = file.hasPrefix("/") ? URL(fileURLWithPath: file) : base.appendingPathComponent(file)
      guard let contents = try? Data(contentsOf: url) else {
        throw InputError(source: path, message: "cannot read \(what) \(url.path)")
      }
      return Array(contents)
    }
    let cert = try bytes(
      file: user?.clientCertificate, data: user?.clientCertificateData, what: "client-certificate")
    let key = try bytes(file: user?.clientKey, data: user?.clientKeyData, what: "client-key")
    var token = user?.token
    if token == nil, let tokenFile = user?.tokenFile {
      token = try bytes(file: tokenFile, data: nil, what: "tokenFile").map {
        String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      }
    }
    return Kubeconfig(
      server: cluster.server,
      caPEM: try bytes(
        file: cluster.certificateAuthority, data: cluster.certificateAuthorityData,
        what: "certificate-authority"),
      token: token, clientCertificate: cert.flatMap { c in key.map { (c, $0) } },
      insecure: cluster.insecureSkipTLSVerify ?? false)
  }

  struct File: Decodable {
    /// `{name, cluster: {…}}`, `{name, user: {…}}`, `{name, context: {…}}`.
    struct NamedCluster: Decodable {
      let name: String
      let cluster: Cluster
    }
    struct NamedUser: Decodable {
      let name: String
      let user: User
    }
    struct NamedContext: Decodable {
      let name: String
      let context: Context
    }
    struct Cluster: Decodable {
      let server: String
      let certificateAuthority: String?
      let certificateAuthorityData: String?
      let insecureSkipTLSVerify: Bool?
      enum CodingKeys: String, CodingKey {
        case server
        case certificateAuthority = "certificate-authority"
        case certificateAuthorityData = "certificate-authority-data"
        case insecureSkipTLSVerify = "insecure-skip-tls-verify"
      }
    }
    struct User: Decodable {
      let token: String?
      let tokenFile: String?
      let clientCertificate: String?
      let clientCertificateData: String?
      let clientKey: String?
      let clientKeyData: String?
      enum CodingKeys: String, CodingKey {
        case token, tokenFile
        case clientCertificate = "client-certificate"
        case clientCertificateData = "client-certificate-data"
        case clientKey = "client-key"
        case clientKeyData = "client-key-data"
      }
    }
    struct Context: Decodable {
      let cluster: String
      let user: String
    }
    let clusters: [NamedCluster]?
    let users: [NamedUser]?
    let contexts: [NamedContext]?
    let currentContext: String?
    enum CodingKeys: String, CodingKey {
      case clusters, users, contexts
      case currentContext = "current-context"
    }
  }
}
