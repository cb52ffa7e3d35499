/// The trade a power cap makes, as fractions: GPU energy saved and time added, per cap expressed
/// as a share of the maximum limit.
public struct PowerCapCurve: Sendable, Hashable {
  public struct Point: Sendable, Hashable {
    /// The cap as a share of the highest limit measured (0…1).
    public let limitShare: Double
    public let energySaved: Double
    public let slowdown: Double

    public init(limitShare: Double, energySaved: Double, slowdown: Double) {
      self.limitShare = limitShare
      self.energySaved = energySaved
      self.slowdown = slowdown
    }
  }

  public let points: [Point]
  public let source: String

  /// No cap saves more than this share of GPU energy at zero slowdown, whatever a sweep says.
  public static let energySavedCeiling = 0.30

  public init(points: [Point], source: String) {
    self.points = points.map {
      Point(
        limitShare: $0.limitShare, energySaved: min($0.energySaved, Self.energySavedCeiling),
        slowdown: max(0, $0.slowdown))
    }
    self.source = source
  }

  /// The curve of a measured sweep.
  public init(_ calibration: PowerCapCalibration, source: String) {
    let top = calibration.levels.map(\.powerLimitW).max() ?? 1
    self.init(
      points: calibration.levels.map {
        Point(
          limitShare: $0.powerLimitW / top, energySaved: $0.energySavedPct / 100,
          slowdown: $0.slowdownPct / 100)
      }, source: source)
  }

  /// Medians of the Zeus power-limit sweep on V100 (NSDI'23; cifar100/shufflenetv2, 20
  /// configurations): at 60 % of the maximum limit 16.6 % of GPU energy saved for 4.1 % slowdown,
  /// at 70 % 10.2 % for 3.1 %, at 80 % 6.7 % for 2.3 %.
  public static let standard = PowerCapCurve(
    points: [
      Point(limitShare: 0.6, energySaved: 0.166, slowdown: 0.041),
      Point(limitShare: 0.7, energySaved: 0.102, slowdown: 0.031),
      Point(limitShare: 0.8, energySaved: 0.067, slowdown: 0.023),
    ], source: "Zeus (NSDI'23) V100 sweep medians")
}
