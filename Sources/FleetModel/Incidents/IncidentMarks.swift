import Foundation

/// What the log remembers of the poll before, to tell what changed since: each GPU's last XID
/// and double-bit ECC count, the nodes out of service, the jobs running.
public struct IncidentMarks: Sendable, Hashable {
  public struct XIDMark: Sendable, Hashable {
    public let code: Int
    public let count: Int?

    public init(code: Int, count: Int?) {
      self.code = code
      self.count = count
    }
  }

  /// A running job as last seen (at `recordedAt`): enough to price it and to know it again.
  public struct RunningJob: Sendable, Hashable {
    public let name: String
    public let user: String
    public let team: String
    public let gpus: Int
    public let gpusByNode: [String: Int]
    public let usdPerGPUHour: Double?

    public init(
      name: String, user: String, team: String, gpus: Int, gpusByNode: [String: Int],
      usdPerGPUHour: Double?
    ) {
      self.name = name
      self.user = user
      self.team = team
      self.gpus = gpus
      self.gpusByNode = gpusByNode
      self.usdPerGPUHour = usdPerGPUHour
    }
  }

  /// When the log last recorded; nil before its first step, which only sets the marks (an XID
  /// already there when factop started is not news).
  public var recordedAt: Date?
  public var xids: [GPUID: XIDMark] = [:]
  public var doubleBitECC: [GPUID: Int] = [:]
  /// GPUs whose row remapping had failed.
  public var rowRemapFailed: Set<GPUID> = []
  /// NVLink error totals of GPUs that reported any.
  public var nvlinkErrors: [GPUID: Double] = [:]
  public var out: Set<NodeID> = []
  public var running: [JobID: RunningJob] = [:]

  public init() {}
}
