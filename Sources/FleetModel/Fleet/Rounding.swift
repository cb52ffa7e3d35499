import Foundation

extension Double {
  /// This value rounded to `places` decimals, so reports print `812.4` and not `812.4000000001`.
  public func rounded(toPlaces places: Int) -> Double {
    let scale = pow(10, Double(places))
    return (self * scale).rounded() / scale
  }
}
