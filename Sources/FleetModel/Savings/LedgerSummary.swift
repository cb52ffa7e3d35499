import Foundation

/// The ledger added up: what is open now, and per calendar month (UTC) what was found, what
/// was realized and what merely moved. Dollars are monthly run-rates, as the finder gives them.
public struct LedgerSummary: Sendable, Hashable, Encodable {
  public struct Month: Sendable, Hashable, Encodable {
    /// `2026-12`.
    public let month: String
    /// New waste confirmed in the month (waste that moved here was found before).
    public var foundUSDPerMonth = 0.0
    public var found = 0
    /// Waste that stopped in the month.
    public var realizedUSDPerMonth = 0.0
    public var realized = 0
    /// Waste that went from one place and came back in another.
    public var movedUSDPerMonth = 0.0
    public var moved = 0

    enum CodingKeys: String, CodingKey {
      case month, found, realized, moved
      case foundUSDPerMonth = "found_usd_per_month"
      case realizedUSDPerMonth = "realized_usd_per_month"
      case movedUSDPerMonth = "moved_usd_per_month"
    }
  }

  public let openUSDPerMonth: Double
  public let open: Int
  /// Newest month first.
  public let months: [Month]
  /// Every confirmed entry, newest first (pending ones are not findings yet).
  public let entries: [LedgerEntry]

  public init(_ ledger: SavingsLedger) {
    let counted = ledger.entries.filter { $0.status != .pending }
    let open = counted.filter { $0.status == .open }
    self.open = open.count
    openUSDPerMonth = open.reduce(0) { $0 + $1.usdPerMonthLast }
    var months: [String: Month] = [:]
    func add(_ date: Date, _ change: (inout Month) -> Void) {
      let key = Self.month(of: date)
      change(&months[key, default: Month(month: key)])
    }
    for entry in counted {
      if let confirmed = entry.confirmed, entry.movedFrom == nil {
        add(confirmed) {
          $0.found += 1
          $0.foundUSDPerMonth += entry.usdPerMonthFound
        }
      }
      guard let closed = entry.closed else { continue }
      add(closed) {
        if entry.status == .realized {
          $0.realized += 1
          $0.realizedUSDPerMonth += entry.usdPerMonthLast
        } else {
          $0.moved += 1
          $0.movedUSDPerMonth += entry.usdPerMonthLast
        }
      }
    }
    self.months = months.values.sorted { $0.month > $1.month }
    entries = counted.sorted { ($0.confirmed ?? $0.firstSeen) > ($1.confirmed ?? $1.firstSeen) }
  }

  /// The entries that closed, as realized or moved, the latest first.
  public var recentlyClosed: [LedgerEntry] {
    entries.compactMap { entry in entry.closed.map { (entry, $0) } }
      .sorted { ($0.1, $0.0.id) > ($1.1, $1.0.id) }.map(\.0)
  }

  /// The UTC calendar month a moment falls in, as `yyyy-MM`.
  static func month(of date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let parts = calendar.dateComponents([.year, .month], from: date)
    return String(format: "%04d-%02d", parts.year ?? 0, parts.month ?? 0)
  }

  enum CodingKeys: String, CodingKey {
    case open, months, entries
    case openUSDPerMonth = "open_usd_per_month"
  }
}
