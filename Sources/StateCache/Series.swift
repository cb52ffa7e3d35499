import Foundation

/// The resolutions the cache keeps time series at; each coarser one is rolled up from the finer.
public enum SeriesResolution: String, Sendable, CaseIterable {
  case raw, minute, hour

  var table: String {
    switch self {
    case .raw: "series_raw"
    case .minute: "series_1m"
    case .hour: "series_1h"
    }
  }

  /// Width of one bucket in seconds (raw points keep their own second).
  public var bucketS: Int {
    switch self {
    case .raw: 1
    case .minute: 60
    case .hour: 3_600
    }
  }
}

/// How long each resolution is kept.
public struct Retention: Sendable, Hashable {
  public var rawS: Double
  public var minuteS: Double
  public var hourS: Double

  public init(rawS: Double, minuteS: Double, hourS: Double) {
    self.rawS = rawS
    self.minuteS = minuteS
    self.hourS = hourS
  }

  /// Two hours of raw points, eight days of minutes, 400 days of hours.
  public static let standard = Retention(rawS: 2 * 3_600, minuteS: 8 * 86_400, hourS: 400 * 86_400)

  func seconds(for resolution: SeriesResolution) -> Double {
    switch resolution {
    case .raw: rawS
    case .minute: minuteS
    case .hour: hourS
    }
  }
}

/// One point of a series: `entity` is what it measures (`fleet`, `cluster/train-a`), `metric`
/// what is measured (`util_mean_pct`). Rolled-up points carry the bucket's mean, min and max.
public struct SeriesPoint: Sendable, Hashable {
  public let entity: String
  public let metric: String
  public let time: Date
  public let mean: Double
  public let min: Double
  public let max: Double

  public init(entity: String, metric: String, time: Date, value: Double) {
    self.init(entity: entity, metric: metric, time: time, mean: value, min: value, max: value)
  }

  public init(entity: String, metric: String, time: Date, mean: Double, min: Double, max: Double) {
    self.entity = entity
    self.metric = metric
    self.time = time
    self.mean = mean
    self.min = min
    self.max = max
  }
}
