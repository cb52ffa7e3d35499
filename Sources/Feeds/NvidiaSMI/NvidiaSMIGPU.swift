/// One GPU as nvidia-smi reports it, from the CSV query or the XML. Unknown is nil, never 0.
public struct NvidiaSMIGPU: Sendable, Equatable {
  public var uuid: String
  /// The NVML index: the order nvidia-smi lists GPUs (PCI bus order unless
  /// `CUDA_DEVICE_ORDER` or the driver says otherwise), what `--query-gpu=index` prints.
  public var index: Int?
  /// The `/dev/nvidiaN` number (`-q -x`'s `minor_number`); not the NVML index.
  public var minorNumber: Int? = nil
  /// `00000000:1B:00.0`: the same in every source.
  public var pciBusID: String? = nil
  /// The product name as nvidia-smi reports it (`NVIDIA H100 80GB HBM3`).
  public var name: String?
  public var memoryTotalMiB: Double?
  public var memoryUsedMiB: Double?
  public var utilizationPct: Double?
  public var powerW: Double?
  public var powerLimitW: Double?
  public var temperatureC: Double?
  public var smClockMHz: Double?
  public var memoryClockMHz: Double?
  /// Whether MIG is on (`mig.mode.current`); GPU utilization is `[N/A]` then.
  public var migEnabled: Bool?
  /// Uncorrectable (double-bit) ECC errors since the driver loaded.
  public var eccUncorrected: Int?
}

/// A process holding a GPU, from `--query-compute-apps`.
public struct NvidiaSMIProcess: Sendable, Equatable {
  public var gpuUUID: String
  public var pid: Int
  public var name: String
  public var usedMemoryMiB: Double?
}
