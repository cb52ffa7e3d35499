/// Deterministic pseudo-randomness: the same seed and inputs always give the same numbers, so a
/// demo fleet is reproducible and a test can pin it.
struct Noise: Sendable {
  let seed: UInt64

  /// SplitMix64's finalizer: a fast, well-mixed 64-bit hash.
  static func mix(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  func hash(_ parts: UInt64...) -> UInt64 {
    parts.reduce(Self.mix(seed)) { Self.mix($0 ^ $1) }
  }

  /// A uniform value in [0, 1) for these inputs.
  func unit(_ parts: UInt64...) -> Double {
    let h = parts.reduce(Self.mix(seed)) { Self.mix($0 ^ $1) }
    return Double(h >> 11) / Double(1 << 53)
  }

  /// A uniform integer in `range` for these inputs.
  func int(in range: ClosedRange<Int>, _ parts: UInt64...) -> Int {
    let h = parts.reduce(Self.mix(seed)) { Self.mix($0 ^ $1) }
    return range.lowerBound + Int(h % UInt64(range.count))
  }
}

/// Stable small integers for strings, so noise can be keyed by names.
extension String {
  var stableHash: UInt64 {
    utf8.reduce(UInt64(0xCBF2_9CE4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
  }
}
