import Feeds
import Testing

@Suite struct PrometheusTextTests {
  @Test func readsLabelsEscapesAndSkipsTheRest() {
    let text = """
      # HELP node_hwmon_power_watt Hardware monitor for power usage in watts
      # TYPE node_hwmon_power_watt gauge
      node_hwmon_power_watt{chip="acpi_power_meter",sensor="power1"} 512
      node_hwmon_power_watt{chip="odd \\"chip\\"",sensor="power2"} 1.5e+01 1700000000000
      node_cpu_seconds_total{cpu="0",mode="idle"} 100
      garbage line
      """
    let samples = PrometheusText.samples(text, named: ["node_hwmon_power_watt"])
    #expect(samples.map(\.value) == [512, 15])
    #expect(samples[1].labels == ["chip": "odd \"chip\"", "sensor": "power2"])
  }

  @Test func samplesWithLabelsEscapesTabsAndCRLF() {
    let text =
      "# HELP m a metric\r\n  # TYPE m gauge\r\n"
      + "m{gpu=\"0\",UUID=\"GPU-1\", modelName=\"NVIDIA \\\"H100\\\"\\\\x\\nline\"} 42.5\r\n"
      + "m\t7 1700000000000\n" + "m{a=\"\u{301}é\",} +Inf\n" + "other{a=\"b\"} 1\n"
    let samples = PrometheusText.samples(text, named: ["m"])
    #expect(
      samples == [
        .init(
          name: "m",
          labels: ["gpu": "0", "UUID": "GPU-1", "modelName": "NVIDIA \"H100\"\\x\nline"],
          value: 42.5),
        .init(name: "m", labels: [:], value: 7),
        .init(name: "m", labels: ["a": "\u{301}é"], value: .infinity),
      ])
  }

  /// What an exporter might add that is not a sample is skipped, the rest still read.
  @Test(arguments: [
    "m{a=\"unterminated} 1", "m{a=b} 1", "m{a=\"x\"", "m{a=\"x\"} not-a-number", "m", "m{} ",
    "m{a=\"x\\", "m{=\"x\"} 1",
  ])
  func aBrokenLineIsSkipped(line: String) {
    let samples = PrometheusText.samples(line + "\nm 3\n", named: ["m"])
    #expect(samples.last == .init(name: "m", labels: [:], value: 3))
    #expect(samples.count == 1)
  }
}
