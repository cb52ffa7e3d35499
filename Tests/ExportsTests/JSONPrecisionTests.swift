import Exports
import Foundation
import Testing

/// Every JSON output rounds a number for the unit its key names: dollars to the cent, unit
/// prices to 4 decimals, percentages to 2, other fractions to 4 (or 4 significant digits below 1).
@Suite struct JSONPrecisionTests {
  struct Figures: Encodable {
    let usd_per_month = 124_610.99999999994
    let cost_usd_per_h = 2278.4049999
    let usd_per_kwh = 0.073512345
    let opex_usd_per_gpu_h = 0.0512345
    let util_pct = 56.66666666
    let ettr = 0.6764444444444444
    let failures_per_gpu_h = 0.0000123456789
    let gpus = 1024
    let series = [0.333333333, 2.0, 17.123456789]
    let jobs = [Job()]
    let name = "usd 0.333333333"

    struct Job: Encodable {
      let gpu_hours = 12.3456789
      let spend_usd = 99.999
    }
  }

  @Test func numbersKeepThePrecisionOfTheirUnit() throws {
    let data = try JSONOutput.encode(Figures(), pretty: false)
    let text = String(decoding: data, as: UTF8.self)
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(text.contains(#""usd_per_month":124611"#))
    #expect(text.contains(#""cost_usd_per_h":2278.4"#))
    #expect(text.contains(#""usd_per_kwh":0.0735"#))
    #expect(text.contains(#""opex_usd_per_gpu_h":0.0512"#))
    #expect(text.contains(#""util_pct":56.67"#))
    #expect(text.contains(#""ettr":0.6764"#))
    #expect(text.contains(#""failures_per_gpu_h":1.235e-05"#))
    #expect(text.contains(#""gpus":1024"#))
    #expect(text.contains(#""series":[0.3333,2,17.1235]"#))
    #expect(text.contains(#""gpu_hours":12.3457"#))
    #expect(text.contains(#""spend_usd":100"#))
    // Strings are never touched, whatever digits they hold.
    #expect(json["name"] as? String == "usd 0.333333333")
  }

  @Test func prettyOutputIsRoundedTheSameWay() throws {
    let compact =
      try JSONSerialization.jsonObject(
        with: try JSONOutput.encode(Figures(), pretty: false)) as? NSDictionary
    let pretty =
      try JSONSerialization.jsonObject(
        with: try JSONOutput.encode(Figures(), pretty: true)) as? NSDictionary
    #expect(compact == pretty)
  }
}
