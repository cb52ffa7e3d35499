import Foundation

/// One opportunity the finder raised, followed from first seen to gone: the other half of
/// finding the 1 % is knowing it was saved.
public struct LedgerEntry: Sendable, Hashable, Encodable {
  /// What an entry is about: the same kind of waste on the same job, node or cluster.
  public struct Key: Sendable, Hashable {
    public let kind: Opportunity.Kind
    public let scope: String
  }

  public enum Status: String, Sendable, Hashable, Encodable, CaseIterable {
    /// Seen, but not yet for long enough to count: one poll's verdict is not a finding.
    case pending
    /// Found and still there.
    case open
    /// Gone, and the waste stopped: the GPUs released, the node repaired, the capacity used.
    case realized
    /// Gone from here, but the same waste came back elsewhere (the same kind, the same owner,
    /// within hours): a job restarted or resubmitted does not save anything.
    case moved
  }

  /// Stable across polls and processes: the kind, the scope and when it was first seen.
  public let id: String
  public let kind: Opportunity.Kind
  public let scope: String
  /// Who would act on it (a job's team), when the detector knows: what "elsewhere" is
  /// compared by.
  public let owner: String?
  public var title: String
  public let firstSeen: Date
  /// When it had been seen for long enough to count as found; nil while pending.
  public var confirmed: Date?
  public var lastSeen: Date
  /// Dollars a month when it counted as found, and when last seen.
  public var usdPerMonthFound: Double
  public var usdPerMonthLast: Double
  public var status: Status
  /// When the waste stopped or moved: the last time it was seen.
  public var closed: Date?
  /// The entry it moved to, and the entry it came from.
  public var movedTo: String?
  public var movedFrom: String?

  public var key: Key { Key(kind: kind, scope: scope) }

  public init(
    id: String, kind: Opportunity.Kind, scope: String, owner: String?, title: String,
    firstSeen: Date, confirmed: Date?, lastSeen: Date, usdPerMonthFound: Double,
    usdPerMonthLast: Double, status: Status, closed: Date? = nil, movedTo: String? = nil,
    movedFrom: String? = nil
  ) {
    self.id = id
    self.kind = kind
    self.scope = scope
    self.owner = owner
    self.title = title
    self.firstSeen = firstSeen
    self.confirmed = confirmed
    self.lastSeen = lastSeen
    self.usdPerMonthFound = usdPerMonthFound
    self.usdPerMonthLast = usdPerMonthLast
    self.status = status
    self.closed = closed
    self.movedTo = movedTo
    self.movedFrom = movedFrom
  }

  /// An entry for an opportunity seen for the first time at `now`.
  init(_ opportunity: Opportunity, at now: Date) {
    self.init(
      id: "\(opportunity.kind.rawValue) \(opportunity.scope) @\(Int(now.timeIntervalSince1970))",
      kind: opportunity.kind, scope: opportunity.scope, owner: opportunity.owner,
      title: opportunity.title, firstSeen: now, confirmed: nil, lastSeen: now,
      usdPerMonthFound: opportunity.usdPerMonth, usdPerMonthLast: opportunity.usdPerMonth,
      status: .pending)
  }

  enum CodingKeys: String, CodingKey {
    case id, kind, scope, owner, title, status, confirmed, closed
    case firstSeen = "first_seen"
    case lastSeen = "last_seen"
    case usdPerMonthFound = "usd_per_month_found"
    case usdPerMonthLast = "usd_per_month_last"
    case movedTo = "moved_to"
    case movedFrom = "moved_from"
  }

  public func encode(to encoder: any Encoder) throws {
    // Unknown is null, not missing: a script reads the same keys on every entry.
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(id, forKey: .id)
    try container.encode(kind, forKey: .kind)
    try container.encode(scope, forKey: .scope)
    try container.encode(owner, forKey: .owner)
    try container.encode(title, forKey: .title)
    try container.encode(status, forKey: .status)
    try container.encode(firstSeen, forKey: .firstSeen)
    try container.encode(confirmed, forKey: .confirmed)
    try container.encode(lastSeen, forKey: .lastSeen)
    try container.encode(closed, forKey: .closed)
    try container.encode(usdPerMonthFound, forKey: .usdPerMonthFound)
    try container.encode(usdPerMonthLast, forKey: .usdPerMonthLast)
    try container.encode(movedTo, forKey: .movedTo)
    try container.encode(movedFrom, forKey: .movedFrom)
  }
}

/// How the ledger tells a finding from a passing verdict, and a saving from waste that moved.
public struct LedgerRules: Sendable, Hashable {
  /// An opportunity counts as found once seen across this long.
  public var confirmS = 3_600.0
  /// An opportunity unseen this long is gone.
  public var goneS = 3_600.0
  /// Waste of the same kind and owner found this close to a gone one's last sighting is the
  /// same waste, moved.
  public var moveWindowS = 6 * 3_600.0
  /// ...when it is worth at least this share of the gone one's dollars.
  public var moveMinShare = 0.5
  /// Gone entries are kept this long, then forgotten.
  public var keepS = 400 * 86_400.0
  /// How often the poller runs the finder for the ledger.
  public var stepS = 600.0

  public init() {}
}

/// Every opportunity the finder has raised, each with its history. `record` is the one way it
/// changes: the finder's verdicts at one moment, applied in time order.
public struct SavingsLedger: Sendable, Hashable {
  public private(set) var entries: [LedgerEntry]

  public init(_ entries: [LedgerEntry] = []) {
    self.entries = entries
  }

  /// Applies what the finder found at `now`: new opportunities start pending, seen ones are
  /// confirmed once they have lasted, and those unseen for long enough close as realized or
  /// moved; pending ones that did not last, and gone ones past keeping, are forgotten.
  public mutating func record(
    _ found: [Opportunity], at now: Date, rules: LedgerRules = LedgerRules()
  ) {
    var live: [LedgerEntry.Key: Int] = [:]
    for (i, entry) in entries.enumerated() where entry.isLive { live[entry.key] = i }
    for opportunity in found {
      let key = LedgerEntry.Key(kind: opportunity.kind, scope: opportunity.scope)
      guard let i = live[key] else {
        entries.append(LedgerEntry(opportunity, at: now))
        live[key] = entries.count - 1
        continue
      }
      entries[i].lastSeen = now
      entries[i].title = opportunity.title
      entries[i].usdPerMonthLast = opportunity.usdPerMonth
      if entries[i].status == .pending,
        now.timeIntervalSince(entries[i].firstSeen) >= rules.confirmS
      {
        entries[i].status = .open
        entries[i].confirmed = now
        entries[i].usdPerMonthFound = opportunity.usdPerMonth
      }
    }
    var dropped: Set<Int> = []
    for i in entries.indices
    where entries[i].isLive && now.timeIntervalSince(entries[i].lastSeen) >= rules.goneS {
      if entries[i].status == .pending {
        // Never lasted: a verdict that came and went is not a finding, nor where waste went.
        dropped.insert(i)
        if let from = entries[i].movedFrom, let p = entries.firstIndex(where: { $0.id == from }) {
          entries[p].status = .realized
          entries[p].movedTo = nil
        }
        continue
      }
      let successor = successor(of: i, rules: rules)
      entries[i].status = successor == nil ? .realized : .moved
      entries[i].closed = entries[i].lastSeen
      if let successor {
        entries[i].movedTo = entries[successor].id
        entries[successor].movedFrom = entries[i].id
      }
    }
    let kept = entries.indices.filter {
      !dropped.contains($0)
        && (entries[$0].closed.map { now.timeIntervalSince($0) < rules.keepS } ?? true)
    }
    entries = kept.map { entries[$0] }
  }

  /// The live entry that carries on the waste of entry `i`: the same kind and owner, first seen
  /// within the move window of its last sighting, worth a comparable amount, not already the
  /// continuation of another. The closest in time wins.
  private func successor(of i: Int, rules: LedgerRules) -> Int? {
    let gone = entries[i]
    guard let owner = gone.owner else { return nil }
    return entries.indices.filter { j in
      let candidate = entries[j]
      return j != i && candidate.isLive && candidate.movedFrom == nil
        && candidate.kind == gone.kind && candidate.owner == owner
        && abs(candidate.firstSeen.timeIntervalSince(gone.lastSeen)) <= rules.moveWindowS
        && candidate.usdPerMonthLast >= gone.usdPerMonthLast * rules.moveMinShare
    }.min {
      abs(entries[$0].firstSeen.timeIntervalSince(gone.lastSeen))
        < abs(entries[$1].firstSeen.timeIntervalSince(gone.lastSeen))
    }
  }
}

extension LedgerEntry {
  /// Still being seen, or not yet gone for long enough.
  var isLive: Bool { status == .pending || status == .open }
}
