/// The release this build is, as `factop --version`, `sources --json`, the snapshot's
/// `factop_version` and the Prometheus export's `factop_build_info` say it. One constant, so
/// they cannot disagree; a release changes it here.
public enum FactopVersion {
  public static let current = "0.1.0"
}
