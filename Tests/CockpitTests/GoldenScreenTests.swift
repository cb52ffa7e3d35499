import Cockpit
import FleetModel
import FleetSim
import Foundation
import TerminalKit
import Testing

/// The demo fleet at a fixed instant, with a day of 5-minute history (fleet and jobs), the
/// last `polls` polls of each GPU and `ledgerDays` of the savings ledger, as the cockpit would
/// load it.
func demoModel(
  at now: Date, gpus: Int = 1_024, historySteps: Int = 288, polls: Int = 12, ledgerDays: Int = 0
) throws -> CockpitModel {
  let fleet = try DemoFleet(gpus: gpus, seed: 1)
  var utilHistory: [Double?] = []
  var powerHistory: [Double?] = []
  var jobHistory: [JobID: [Double?]] = [:]
  for step in (0..<historySteps).reversed() {
    let state = fleet.state(at: now.addingTimeInterval(-Double(step) * 300))
    let totals = FleetSummary(state, prices: .demo).fleet
    utilHistory.append(totals.utilMeanPct)
    powerHistory.append(totals.powerW)
    for (job, pct) in state.jobActivityPct {
      jobHistory[job, default: []].append(pct)
    }
  }
  var gpuHistory = GPUHistory()
  for poll in (0..<polls).reversed() {
    gpuHistory.append(fleet.state(at: now.addingTimeInterval(-2 - Double(poll) * 10)))
  }
  let polled = now.addingTimeInterval(-2)
  let state = fleet.state(at: polled)
  // No history: only the detectors that judge the present (idle, stragglers, drained nodes).
  let savings = SavingsFinder.find(SavingsContext(state: state, prices: .demo, now: now))
  var model = CockpitModel(
    state: state,
    sources: [
      SourceHealth(
        name: "demo", kind: "sim", intervalS: 10, lastAttempt: polled, lastSuccess: polled,
        pollDurationS: 0.012)
    ], utilHistory: utilHistory, prices: .demo, savings: savings, budgets: fleet.powerBudgets,
    powerHistory: powerHistory, jobHistory: jobHistory, gpuHistory: gpuHistory,
    origin: "demo fleet · 1,024 GPUs · seed 1")
  if ledgerDays > 0 {
    let from = now.addingTimeInterval(-Double(ledgerDays) * 86_400)
    model.ledger = LedgerSummary(fleet.ledger(from: from, through: now, prices: .demo))
    let (incidents, activity) = fleet.replay(from: from, through: now, stepS: 300, prices: .demo)
    model.incidents = IncidentSummary(
      incidents.incidents, state: state, totals: IncidentTotals(watchedSince: from), now: now,
      rules: IncidentRules())
    let goodput = GoodputSummary(
      state: state, incidents: incidents.incidents, jobActivity: activity, prices: .demo,
      savings: SavingsRules(), rules: IncidentRules(), now: now)
    model.goodput = Dictionary(uniqueKeysWithValues: goodput.jobs.map { ($0.job, $0) })
  }
  return model
}

let goldenInstant = Date(timeIntervalSince1970: 1_795_010_400)  // 2026-11-18 14:00 UTC

/// The default demo model at `goldenInstant`, built once: most tests read the same one.
let goldenModel = try! demoModel(at: goldenInstant, ledgerDays: 3)

/// Compares a rendered screen with `Golden/NAME.txt`; `FACTOP_RECORD_GOLDEN=1` rewrites it.
func expectGolden(
  _ buffer: Buffer, _ name: String, sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Golden/\(name).txt")
  let actual = buffer.text() + "\n"
  if ProcessInfo.processInfo.environment["FACTOP_RECORD_GOLDEN"] == "1" {
    try actual.write(to: url, atomically: true, encoding: .utf8)
    return
  }
  let expected = try String(contentsOf: url, encoding: .utf8)
  #expect(
    actual == expected, "screen \(name) differs from its golden file",
    sourceLocation: sourceLocation)
}

@Suite struct GoldenScreenTests {
  let theme = try! Theme.bundledDefault()

  /// The default theme's goldens are named for the view; the others' carry the theme's name.
  static func name(_ base: String, theme: String) -> String {
    theme == "default" ? base : "\(theme)-\(base)"
  }

  @Test(arguments: [(80, 24), (160, 50)], ["default", "mono"])
  func overview(size: (width: Int, height: Int), themeName: String) throws {
    let model = goldenModel
    let theme = try Theme.load(themeName, userDirectory: nil)
    let screen = Screen(model: model, theme: theme, actions: .cockpit, origin: model.origin)
    try expectGolden(
      screen.render(width: size.width, height: size.height, now: goldenInstant),
      Self.name("overview-\(size.width)x\(size.height)", theme: themeName))
  }

  @Test(
    arguments: CockpitView.allCases.filter { $0 != .overview },
    [(80, 24, "default"), (200, 60, "default"), (80, 24, "mono"), (200, 60, "mono")])
  func everyView(view: CockpitView, setting: (width: Int, height: Int, theme: String)) throws {
    let model = goldenModel
    var navigation = Navigation()
    navigation.apply(.show(view), rowCount: 0, pageSize: 1)
    // A selection below the first page shows that the table scrolls to keep it in view.
    navigation.apply(.move(30), rowCount: 100, pageSize: 10)
    let screen = Screen(
      model: model, theme: try Theme.load(setting.theme, userDirectory: nil), actions: .cockpit,
      origin: model.origin, navigation: navigation)
    try expectGolden(
      screen.render(width: setting.width, height: setting.height, now: goldenInstant),
      Self.name("\(view.rawValue)-\(setting.width)x\(setting.height)", theme: setting.theme))
  }

  @Test(arguments: [CockpitView.nodes, .gpus, .jobs, .power])
  func enterShowsTheSelectedRowsDetails(view: CockpitView) throws {
    let model = goldenModel
    var navigation = Navigation()
    navigation.apply(.show(view), rowCount: 0, pageSize: 1)
    navigation.apply(.move(2), rowCount: 100, pageSize: 10)
    navigation.apply(.drill, rowCount: 100, pageSize: 10)
    let screen = Screen(
      model: model, theme: theme, actions: .cockpit, origin: model.origin, navigation: navigation)
    try expectGolden(
      screen.render(width: 140, height: 30, now: goldenInstant), "\(view.rawValue)-details-140x30")
  }

  @Test func enterShowsAnOpportunitysEvidenceAndEscGoesBack() throws {
    let model = goldenModel
    var navigation = Navigation()
    navigation.apply(.show(.savings), rowCount: 0, pageSize: 1)
    navigation.apply(.drill, rowCount: model.savings?.opportunities.count ?? 0, pageSize: 10)
    #expect(navigation.drilled == .savings)
    let screen = Screen(
      model: model, theme: theme, actions: .cockpit, origin: model.origin, navigation: navigation)
    try expectGolden(
      screen.render(width: 100, height: 30, now: goldenInstant), "savings-evidence-100x30")
    navigation.apply(.back, rowCount: 0, pageSize: 1)
    #expect(navigation.drilled == nil && navigation.view == .savings)
  }

  /// An incident's detail prices it part by part, lists its events and the job it hit, and
  /// says what its price assumes; `/jobs>0` keeps the incidents that hit a job.
  @Test func anIncidentsDetailShowsWhatItHitAndWhatItsPriceAssumes() throws {
    let model = goldenModel
    var navigation = Navigation()
    navigation.apply(.show(.incidents), rowCount: 0, pageSize: 1)
    let fields = Screen(
      model: model, theme: theme, actions: .cockpit, origin: model.origin, navigation: navigation
    ).filterFields
    navigation.filter[.incidents] = try FilterQuery.parse("jobs>0", fields: fields)
    let hitting = model.incidents?.incidents.filter { !$0.incident.jobs.isEmpty } ?? []
    #expect(!hitting.isEmpty)
    navigation.apply(.drill, rowCount: hitting.count, pageSize: 10)
    let screen = Screen(
      model: model, theme: theme, actions: .cockpit, origin: model.origin, navigation: navigation)
    try expectGolden(
      screen.render(width: 140, height: 30, now: goldenInstant), "incidents-details-140x30")
  }

  @Test func aNodesDetailListsItsFabricPortsAndWarnsOfAFlappingLink() throws {
    var model = goldenModel
    let node = try #require(model.nodeRows.first?.node)
    model.state.fabric = [
      FabricPort(
        node: node.name, nodeID: node.id, device: "mlx5_0", port: "1", stateID: 4,
        physicalStateID: 5,
        rateBytesPerS: 5e10, receivedBytesPerS: 1.5e9, transmittedBytesPerS: 1.2e9,
        linkDownedTotal: 3, linkDownedNew: 1, receiveErrorsTotal: 7, time: goldenInstant),
      FabricPort(
        node: node.name, nodeID: node.id, device: "mlx5_1", port: "1", stateID: 1,
        physicalStateID: 3,
        time: goldenInstant),
    ]
    var navigation = Navigation()
    navigation.apply(.show(.nodes), rowCount: 0, pageSize: 1)
    navigation.apply(.drill, rowCount: 100, pageSize: 10)
    let screen = Screen(
      model: model, theme: theme, actions: .cockpit, origin: model.origin, navigation: navigation)
    let text = screen.render(width: 200, height: 40, now: goldenInstant).text()
    #expect(
      text.contains(
        "Fabric mlx5_0/1 ACTIVE LinkUp · 50.0 GB/s · rx 1.5 GB/s tx 1.2 GB/s · rx errors 7 · link down 3×"
          + "  ⚠ flapping: down 1× since the last poll"))
    #expect(text.contains("Fabric mlx5_1/1 DOWN Disabled · N/A · rx N/A tx N/A · rx errors N/A"))
  }

  @Test func aJobsDetailShowsItsFabricAndWhyItLooksNetworkBound() throws {
    var model = goldenModel
    // The idle sweep's two nodes, their links busy: its GPUs wait while the fabric works.
    let index = try #require(model.jobRows.firstIndex { $0.job.name == "vlm-eval-sweep" })
    let job = model.jobRows[index].job
    model.state.fabric = job.nodeIDs.map {
      FabricPort(
        node: $0.name, nodeID: $0, device: "mlx5_0", port: "1", stateID: 4, rateBytesPerS: 5e10,
        receivedBytesPerS: 4e10, transmittedBytesPerS: 3.5e10, time: goldenInstant)
    }
    model.jobNetworks = JobNetwork.of(model.state)
    var navigation = Navigation()
    navigation.apply(.show(.jobs), rowCount: 0, pageSize: 1)
    navigation.selection[.jobs] = index
    navigation.apply(.drill, rowCount: model.jobRows.count, pageSize: 10)
    let screen = Screen(
      model: model, theme: theme, actions: .cockpit, origin: model.origin, navigation: navigation)
    let text = screen.render(width: 200, height: 30, now: goldenInstant).text()
    #expect(text.contains("job \(job.id) · vlm-eval-sweep"))
    #expect(
      text.contains(
        "Fabric   rx 80.0 GB/s tx 70.0 GB/s over 2 port(s) · 80 % of their rate"
          + "  ⚠ network-bound: GPUs 1 % active while its links carry 80 % of their rate"))
  }

  /// A training job a failure hit shows its goodput: its ETTR beside the model's, and the
  /// hours it lost to failures.
  @Test func aTrainingJobsDetailShowsItsGoodput() throws {
    let model = goldenModel
    let hit = try #require(model.goodput.values.first { $0.lostToFailuresHours > 0 })
    let index = try #require(model.jobRows.firstIndex { $0.job.key == hit.job })
    var navigation = Navigation()
    navigation.apply(.show(.jobs), rowCount: 0, pageSize: 1)
    navigation.selection[.jobs] = index
    navigation.apply(.drill, rowCount: model.jobRows.count, pageSize: 10)
    let screen = Screen(
      model: model, theme: theme, actions: .cockpit, origin: model.origin, navigation: navigation)
    try expectGolden(
      screen.render(width: 160, height: 16, now: goldenInstant), "jobs-goodput-160x16")
    #expect(
      screen.render(width: 160, height: 16, now: goldenInstant).text().contains("Goodput  ETTR"))
  }

  /// A pod that restarted shows how often and how its last run ended; what the cluster wrote
  /// there reaches the screen inert.
  @Test func aPodsDetailShowsItsRestartsAndLastExit() throws {
    var state = goldenModel.state
    let i = try #require(state.jobs.firstIndex { $0.state == .running })
    state.jobs[i].restarts = ContainerRestarts(
      count: 2, lastExit: "Error, exit 1: RuntimeError: CUDA error: uncorrectable ECC\u{1b}[2J",
      lastExitAt: goldenInstant.addingTimeInterval(-720))
    let model = CockpitModel(
      state: state, sources: goldenModel.sources, utilHistory: [], prices: .demo,
      origin: goldenModel.origin)
    let index = try #require(model.jobRows.firstIndex { $0.job.key == state.jobs[i].key })
    var navigation = Navigation()
    navigation.apply(.show(.jobs), rowCount: 0, pageSize: 1)
    navigation.selection[.jobs] = index
    navigation.apply(.drill, rowCount: model.jobRows.count, pageSize: 10)
    let text = Screen(
      model: model, theme: theme, actions: .cockpit, origin: model.origin, navigation: navigation
    ).render(width: 200, height: 30, now: goldenInstant).text()
    #expect(
      text.contains(
        "Restarts 2 · last: Error, exit 1: RuntimeError: CUDA error: uncorrectable ECC"),
      "\(text)")
    #expect(text.contains("(12m ago)") && !text.contains("\u{1b}"))
  }

  @Test func theCostViewListsWhatIsKnownAhead() throws {
    var model = goldenModel
    // Three days of a flat $2,000 an hour, and a reservation ending the day after tomorrow.
    let hours = (0..<72).map {
      (goldenInstant.addingTimeInterval(-Double(72 - $0) * 3_600), 2_000.0)
    }
    let ends = Date(timeIntervalSince1970: 1_795_046_400 + 86_400)  // 2026-11-20 00:00 UTC
    model.projection = Projection(
      spendUSDPerHour: hours, utilPct: hours.map { ($0.0, 60.0) }, days: 7, from: goldenInstant,
      known: [KnownChange(date: ends, usdPerHour: 480, reason: "train-a's reservation ends")])
    var navigation = Navigation()
    navigation.apply(.show(.cost), rowCount: 0, pageSize: 1)
    let screen = Screen(
      model: model, theme: theme, actions: .cockpit, origin: model.origin, navigation: navigation)
    let text = try #require(
      screen.render(width: 100, height: 30, now: goldenInstant).text() as String?)
    #expect(text.contains("Known ahead 2026-11-20 +$12k/day  train-a's reservation ends"))
    // Seven days of $48,000, and six of them $11,520 more.
    #expect(text.contains("Next 7 days $405k"))
  }

  @Test func theCostViewNamesTheManagedAIServicesTheBillsChargeFor() throws {
    var model = goldenModel
    let start = goldenInstant.addingTimeInterval(-3_600)
    func row(_ service: String, _ category: String?, _ usd: Decimal) -> BillingRow {
      BillingRow(
        billedCost: usd, effectiveCost: usd, listCost: usd, contractedCost: nil, currency: "USD",
        periodStart: start, periodEnd: goldenInstant, chargeCategory: "Usage",
        serviceName: service, serviceCategory: category, resourceId: nil, resourceName: nil,
        skuId: nil, pricingQuantity: nil, pricingUnit: nil, tags: [:])
    }
    model.billing = BillingSummary([
      row("Amazon Elastic Compute Cloud", "Compute", 900),
      row("Amazon SageMaker", nil, 420),
      row("Vertex AI", "AI and Machine Learning", 75.5),
    ])
    var navigation = Navigation()
    navigation.apply(.show(.cost), rowCount: 0, pageSize: 1)
    let text = Screen(
      model: model, theme: theme, actions: .cockpit, origin: model.origin, navigation: navigation
    ).render(width: 120, height: 30, now: goldenInstant).text()
    #expect(text.contains("Managed AI Amazon SageMaker $420.00 · Vertex AI $75.50"), "\(text)")
    #expect(!text.contains("Managed AI Amazon Elastic"))
  }

  @Test func beforeTheCacheIsReadItSaysSo() throws {
    let screen = Screen(model: nil, theme: theme, actions: .cockpit, origin: "demo fleet")
    let text = screen.render(width: 80, height: 24, now: goldenInstant).text()
    #expect(text.contains("Loading demo fleet from the cache…"))
    #expect(text.contains("q  quit"))
  }

  /// A cache whose sources have not answered yet holds no fleet: unknown, not zero GPUs. The
  /// Sources view still lists them and what they said.
  @Test func anEmptyCacheShowsNoZerosBeforeItsSourcesAnswer() throws {
    var model = goldenModel
    model.state = FleetState()
    model.sources[0].lastSuccess = nil
    model.sources[0].lastError = "connection refused"
    for view in CockpitView.allCases where view != .help {
      var navigation = Navigation()
      navigation.apply(.show(view), rowCount: 0, pageSize: 1)
      let screen = Screen(
        model: model, theme: theme, actions: .cockpit, origin: "lab", navigation: navigation)
      let text = screen.render(width: 120, height: 30, now: goldenInstant).text()
      if view == .sources {
        #expect(text.contains("connection refused"))
      } else {
        #expect(text.contains("No fleet data yet: waiting for the first answer of lab"), "\(view)")
        #expect(!text.contains("GPUs 0"), "\(view)")
      }
    }
  }

  @Test func aFailingSourceShowsInTheStatusBarAndMarksPanelsStale() throws {
    var model = goldenModel
    model.sources[0].lastAttempt = goldenInstant
    model.sources[0].lastSuccess = goldenInstant.addingTimeInterval(-95)
    model.sources[0].lastError = "connection refused"
    let screen = Screen(model: model, theme: theme, actions: .cockpit, origin: model.origin)
    let lines = screen.render(width: 160, height: 50, now: goldenInstant).text().split(
      separator: "\n")
    #expect(lines.last?.contains("⚠ demo: connection refused (data 1m old)") == true)
    #expect(lines[1].contains("STALE · data 1m ago"))
  }

  @Test func aTinyWindowDoesNotCrash() throws {
    let model = goldenModel
    let screen = Screen(model: model, theme: theme, actions: .cockpit, origin: model.origin)
    for (w, h) in [(10, 5), (1, 1), (0, 0), (20, 3)] {
      _ = screen.render(width: w, height: h, now: goldenInstant)
    }
  }

  /// A source that skips TLS verification says so in its row and in the panel's title, beside
  /// one that verifies and one that uses no TLS.
  @Test func sourcesSayWhichSkipTLSVerification() throws {
    var model = goldenModel
    let polled = goldenInstant.addingTimeInterval(-2)
    model.sources += [
      SourceHealth(
        name: "lab/prometheus", kind: "prometheus", intervalS: 10, lastAttempt: polled,
        lastSuccess: polled, pollDurationS: 0.04, tls: .verified),
      SourceHealth(
        name: "redfish", kind: "redfish", intervalS: 30, lastAttempt: polled,
        lastSuccess: polled, pollDurationS: 0.3, tls: .unverified),
    ]
    var navigation = Navigation()
    navigation.apply(.show(.sources), rowCount: 0, pageSize: 1)
    let screen = Screen(
      model: model, theme: theme, actions: .cockpit, origin: model.origin, navigation: navigation)
    let buffer = screen.render(width: 100, height: 12, now: goldenInstant)
    try expectGolden(buffer, "sources-tls-100x12")
    #expect(buffer.text().contains("1 with TLS unverified"))
  }

  /// What the join could not match is listed under the sources, one line each, inert.
  @Test func joinFindingsAreListedUnderTheSources() throws {
    var model = goldenModel
    let stray = NodeID(cluster: "train-a", name: "gpu-a0001.dc1.example.com\u{1B}[2J")
    model.state.joinFindings = [
      .unmatchedNode(stray, sources: ["train-a/prometheus"]),
      .sharedUUID(
        "GPU-6c5795e1",
        gpus: [
          GPUID(node: NodeID(cluster: "train-a", name: "gpu-a0002"), index: 0),
          GPUID(node: NodeID(cluster: "train-a", name: "gpu-a0002"), index: 1),
        ]),
    ]
    var navigation = Navigation()
    navigation.apply(.show(.sources), rowCount: 0, pageSize: 1)
    let screen = Screen(
      model: model, theme: theme, actions: .cockpit, origin: model.origin, navigation: navigation)
    let buffer = screen.render(width: 100, height: 12, now: goldenInstant)
    try expectGolden(buffer, "sources-join-100x12")
    #expect(buffer.text().contains("Join: 2 to check"))
    #expect(!buffer.text().unicodeScalars.contains { $0.value == 0x1B })
  }

  @Test func hostileNamesRenderAsInertText() throws {
    var model = goldenModel
    let evil = "evil\u{1B}[2J\u{1B}]52;c;cm0gLXJmIC8=\u{07}\u{202E}node"
    model.state.nodes[0] = Node(
      name: evil, cluster: "train-a", rack: "a-r001", state: .down,
      reason: "\u{1B}]0;owned\u{07}\u{9B}31mred", stateSince: goldenInstant)
    model.sources[0] = SourceHealth(
      name: "src\u{1B}[31m", kind: "sim", intervalS: 10, lastSuccess: goldenInstant,
      lastError: "\u{1B}]8;;http://x\u{1B}\\bad\u{1B}]8;;\u{1B}\\")
    let screen = Screen(model: model, theme: theme, actions: .cockpit, origin: model.origin)
    let buffer = screen.render(width: 160, height: 50, now: goldenInstant)
    let text = buffer.text()
    #expect(text.contains("evilnode"))
    #expect(text.contains("red"))
    #expect(text.contains("bad"))
    #expect(
      !text.unicodeScalars.contains {
        $0.value < 0x20 && $0 != "\n" || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}"
      })
  }
}

@Suite struct CockpitAppTests {
  let theme = try! Theme.bundledDefault()
  let model = goldenModel

  func app(_ backend: TextBackend, model: CockpitModel?, shouldStop: @escaping () -> Bool)
    -> CockpitApp
  {
    CockpitApp(
      backend: backend, theme: theme, actions: .cockpit, origin: "demo fleet",
      latest: { model.map { LoadedModel(version: 1, model: $0) } }, shouldStop: shouldStop,
      clock: { goldenInstant })
  }

  func expectedScreen(width: Int, height: Int) -> Buffer {
    Screen(model: model, theme: theme, actions: .cockpit, origin: "demo fleet")
      .render(width: width, height: height, now: goldenInstant)
  }

  @Test func drawsThenQuitsOnQ() {
    let backend = TextBackend(width: 80, height: 24, input: [.character("x"), .character("q")])
    app(backend, model: model) { false }.run()
    #expect(backend.screen == expectedScreen(width: 80, height: 24))
  }

  @Test func followsAResize() {
    let backend = TextBackend(width: 80, height: 24)
    var resized = false
    app(backend, model: model) {
      defer {
        if !resized {
          backend.resize(width: 120, height: 40)
          resized = true
        }
      }
      return resized
    }.run()
    #expect(backend.screen == expectedScreen(width: 120, height: 40))
  }

  @Test func keysSwitchViewsAndMoveTheSelection() {
    var navigation = Navigation()
    var presses = Array("2jjjGkk\tg?".map { InputEvent.character($0) })
    presses[7] = .tab
    presses.append(.escape)
    presses.append(.character("q"))
    let backend = TextBackend(width: 120, height: 40, input: presses)
    app(backend, model: model) { false }.run()
    // Replaying the same keys through Navigation gives the screen the app ended on.
    for press in presses.dropLast() {
      let key = Navigation.key(for: press)!
      let screen = Screen(
        model: model, theme: theme, actions: .cockpit, origin: "demo fleet", navigation: navigation)
      navigation.apply(
        ActionRegistry.cockpit.action(forKey: key)!.command,
        rowCount: screen.rowCount(at: goldenInstant),
        pageSize: Screen.pageSize(height: 40))
    }
    #expect(navigation.view == .gpus)  // ? opened help, Esc went back to the GPUs
    #expect(navigation.selected(in: .nodes) == model.nodeRows.count - 3)  // G, then k k
    #expect(navigation.selected(in: .gpus) == 0)  // g on the GPUs
    let expected = Screen(
      model: model, theme: theme, actions: .cockpit, origin: "demo fleet", navigation: navigation
    ).render(width: 120, height: 40, now: goldenInstant)
    #expect(backend.screen == expected)
  }

  @Test func stopsWhenAskedBySignal() {
    var checks = 0
    app(TextBackend(width: 40, height: 10), model: nil) {
      checks += 1
      return checks > 3
    }.run()
    #expect(checks == 4)
  }
}
