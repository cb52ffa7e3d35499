import Foundation

/// Writes a kubeconfig whose one context, `lab`, reaches `server` with a bearer `token`: what
/// `kubectl config view --raw` gives for a token user.
public func writeKubeconfig(to file: URL, server: String, token: String) throws {
  try """
  apiVersion: v1
  kind: Config
  current-context: lab
  clusters:
  - name: lab
    cluster:
      server: \(server)
  users:
  - name: reader
    user:
      token: \(token)
  contexts:
  - name: lab
    context:
      cluster: lab
      user: reader
  """.write(to: file, atomically: true, encoding: .utf8)
}
