import Foundation

/// The rules a fleet is judged by, all from the config: prices, power budgets, alerts and the
/// savings detectors' thresholds.
public struct FleetRules: Sendable {
  public var prices: PriceBook
  public var budgets: PowerBudgets
  public var alerts: AlertRules
  public var savings: SavingsRules
  public var incidents: IncidentRules

  public init(
    prices: PriceBook, budgets: PowerBudgets = PowerBudgets(), alerts: AlertRules = AlertRules(),
    savings: SavingsRules = SavingsRules(), incidents: IncidentRules = IncidentRules()
  ) {
    self.prices = prices
    self.budgets = budgets
    self.alerts = alerts
    self.savings = savings
    self.incidents = incidents
  }
}

/// The analysed fleet: every figure factop shows, made once by one function from the joined
/// fleet, its history, the rules and `now`. The cockpit's model, the snapshot and the commands
/// that print figures are projections of it, so they cannot disagree.
public struct FleetReport: Sendable {
  public let now: Date
  public let state: FleetState
  public let sources: [SourceHealth]
  public let rules: FleetRules
  public let history: FleetHistory
  public let summary: FleetSummary
  public let spend: SpendBreakdown
  public let power: PowerRollup
  public let savings: SavingsReport
  /// What the finder raised over time: found, open, realized and moved.
  public let ledger: LedgerSummary
  /// Failures as they happened, priced; the repair ranking; the fleet's failure rate.
  public let incidents: IncidentSummary
  /// Each running training job's ETTR over the last day, and what teams and clusters lost.
  public let goodput: GoodputSummary
  public let monthToDate: MonthToDateSpend
  public let projection: Projection
  /// The alert rules that do not hold now.
  public let alerts: [AlertBreach]
  /// Imported bills (FOCUS) added up and mapped to clusters; nil until one is imported.
  public let billing: BillingSummary?
  /// OpenCost's workload costs added up; nil until it has said anything.
  public let opencost: WorkloadCostSummary?
  /// Each running job's fabric, where its nodes report InfiniBand ports.
  public let networks: [JobID: JobNetwork]

  public init(
    state: FleetState, sources: [SourceHealth], history: FleetHistory, bills: [BillingRow] = [],
    ledger: SavingsLedger = SavingsLedger(), incidents: [Incident] = [],
    incidentTotals: IncidentTotals = IncidentTotals(), rules: FleetRules, now: Date,
    projectionDays: Int = 7
  ) {
    // Prices and reservation terms as they stand at `now`: a scheduled price whose date has
    // come is the price, a cluster whose term has ended pays as the term says.
    var rules = rules
    let book = rules.prices
    rules.prices = book.at(now)
    let state = book.repricing(state, at: now)
    self.now = now
    self.state = state
    self.sources = sources
    self.rules = rules
    self.history = history
    summary = FleetSummary(state, prices: rules.prices)
    spend = SpendBreakdown(state, prices: rules.prices)
    power = PowerRollup(state, pueBySite: rules.prices.pueBySite, budgets: rules.budgets)
    self.incidents = IncidentSummary(
      incidents, state: state, totals: incidentTotals, now: now,
      rules: rules.incidents)
    if let observed = self.incidents.observedFailures {
      rules.savings.observedFailures = observed
    }
    goodput = GoodputSummary(
      state: state, incidents: incidents, jobActivity: history.jobActivity, prices: rules.prices,
      savings: rules.savings, rules: rules.incidents, now: now)
    savings = SavingsFinder.find(
      SavingsContext(state: state, prices: rules.prices, now: now, history: history),
      rules: rules.savings)
    self.ledger = LedgerSummary(ledger)
    monthToDate = history.monthToDate(at: now)
    projection = Projection(
      spendUSDPerHour: history.fleetSpendHours, utilPct: history.fleetUtilHours,
      days: projectionDays, from: now,
      known: KnownChange.ahead(of: now, state: state, prices: book))
    alerts = rules.alerts.check(
      AlertInputs(
        fleet: summary.fleet, power: power, sources: sources,
        idleAllocatedByMinute: history.idleAllocatedMinima,
        spendMonthToDateUSD: monthToDate.fleet?.usd, fabric: state.fabric, now: now))
    billing =
      bills.isEmpty ? nil : BillingSummary(bills, clusterOf: BillingSummary.clusters(of: state))
    opencost = state.workloadCosts.isEmpty ? nil : WorkloadCostSummary(state.workloadCosts)
    networks = JobNetwork.of(state)
  }
}
