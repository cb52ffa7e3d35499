import Foundation

/// One reading of one GPU. Every field a source may not report is optional: unknown is not 0.
public struct GPUSample: Sendable, Hashable, Codable {
  public var time: Date
  /// `DCGM_FI_DEV_GPU_UTIL` / nvidia-smi `utilization.gpu`: share of time any kernel ran.
  public var utilPct: Double?
  /// SM (or graphics-engine) activity: the share of SM time doing work. Better than `utilPct`.
  public var smActivePct: Double?
  public var memUsedMiB: Double?
  public var powerW: Double?
  public var tempC: Double?
  public var smClockMHz: Double?
  public var memClockMHz: Double?
  /// The last XID error code reported, and how many were seen.
  public var xidLast: Int?
  public var xidCount: Int?
  public var eccSingleBit: Int?
  public var eccDoubleBit: Int?
  /// DCGM's `ROW_REMAP_FAILURE`: the GPU could not remap a failing memory row (an RMA sign).
  public var rowRemapFailure: Bool?
  /// NVLink CRC (flit and data), replay and recovery errors since the driver loaded, summed;
  /// nil where the exporter does not export them (dcgm-exporter's defaults leave them out).
  public var nvlinkErrors: Double?
  /// The same errors per second, over the last few minutes (Prometheus' `rate`); nil where
  /// the counters are not exported.
  public var nvlinkErrorsPerS: Double?

  public init(
    time: Date, utilPct: Double? = nil, smActivePct: Double? = nil, memUsedMiB: Double? = nil,
    powerW: Double? = nil, tempC: Double? = nil, smClockMHz: Double? = nil,
    memClockMHz: Double? = nil, xidLast: Int? = nil, xidCount: Int? = nil,
    eccSingleBit: Int? = nil, eccDoubleBit: Int? = nil, rowRemapFailure: Bool? = nil,
    nvlinkErrors: Double? = nil, nvlinkErrorsPerS: Double? = nil
  ) {
    self.time = time
    self.utilPct = utilPct
    self.smActivePct = smActivePct
    self.memUsedMiB = memUsedMiB
    self.powerW = powerW
    self.tempC = tempC
    self.smClockMHz = smClockMHz
    self.memClockMHz = memClockMHz
    self.xidLast = xidLast
    self.xidCount = xidCount
    self.eccSingleBit = eccSingleBit
    self.eccDoubleBit = eccDoubleBit
    self.rowRemapFailure = rowRemapFailure
    self.nvlinkErrors = nvlinkErrors
    self.nvlinkErrorsPerS = nvlinkErrorsPerS
  }

  /// The activity signal factop trusts most that this sample carries: SM activity, else GPU util.
  public var activity: (pct: Double, signal: ActivitySignal)? {
    if let smActivePct { return (smActivePct, .smActive) }
    if let utilPct { return (utilPct, .gpuUtil) }
    return nil
  }
}

/// Which signal a utilization figure was computed from; reports say it so readers can judge.
public enum ActivitySignal: String, Sendable, Hashable, Codable {
  case smActive = "sm_active"
  case gpuUtil = "gpu_util"
}

/// One reading of a whole node's power (BMC, PDU outlet or the simulator).
public struct NodeSample: Sendable, Hashable, Codable {
  public var time: Date
  public var powerW: Double?

  public init(time: Date, powerW: Double?) {
    self.time = time
    self.powerW = powerW
  }
}
