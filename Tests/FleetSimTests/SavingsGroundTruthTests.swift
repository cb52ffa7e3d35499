import FleetModel
import FleetSim
import Foundation
import Testing

/// The finder against the waste the demo fleet plants on purpose: it must find each with dollars
/// within ±5 % of the ground truth, and report nothing else above 0.5 % of spend.
@Suite struct SavingsGroundTruthTests {
  let fleet = try! DemoFleet(gpus: 1_024, seed: 1)
  var truth: PlantedWaste { fleet.groundTruth }
  /// 14:30 UTC: half an hour from any checkpoint of the pretraining job.
  let now = Date(timeIntervalSince1970: (1_795_000_000 / 86_400) * 86_400 + 14.5 * 3_600)
  let prices = PriceBook.demo

  /// A day of hourly history, as the cache's series would hold it after a day of polling.
  func context(historyHours: Int = 24, prices: PriceBook = .demo) -> SavingsContext {
    var jobActivity: [JobID: [(time: Date, value: Double)]] = [:]
    var clusterAllocated: [String: [Double]] = [:]
    for hour in (0..<historyHours).reversed() {
      let time = now.addingTimeInterval(-Double(hour) * 3_600)
      let state = fleet.state(at: time)
      let gpusByJob = Dictionary(grouping: state.allocations, by: \.value)
      for (job, held) in gpusByJob {
        let readings = held.compactMap { state.gpuSamples[$0.key]?.smActivePct }
        jobActivity[job, default: []].append(
          (time, readings.reduce(0, +) / Double(max(1, readings.count))))
      }
      for cluster in state.clusters {
        let allocated = state.gpus.filter {
          $0.node.cluster == cluster.name && state.allocations[$0.id] != nil
        }
        clusterAllocated[cluster.name, default: []].append(Double(allocated.count))
      }
    }
    return SavingsContext(
      state: fleet.state(at: now), prices: prices, now: now, jobActivity: jobActivity,
      clusterAllocated: clusterAllocated, historyHours: Double(historyHours))
  }

  func usd(_ model: GPUModel, _ pricing: PricingKind) -> Double {
    prices.price(model: model.name, pricing: pricing)!.usdPerGPUHour * 730
  }

  func gpus(ofJobNamed name: String, in state: FleetState) -> [GPU] {
    let job = state.jobs.first { $0.name == name || $0.id == name }!
    return state.gpus.filter { state.allocations[$0.id] == job.key }
  }

  @Test func findsEveryPlantedOpportunityAndNothingElseOfSize() throws {
    let context = context()
    let state = context.state
    let report = SavingsFinder.find(context)

    let idleGPUs = gpus(ofJobNamed: truth.idleAllocationJob, in: state)
    let serving = gpus(ofJobNamed: truth.overprovisionedDeployment, in: state)
    let keep = Int(
      (Double(truth.overprovisionedGPUs) * truth.overprovisionedPeakActivityPct / 60).rounded(.up))
    let pretraining = gpus(ofJobNamed: truth.stragglerJob, in: state)
    let drained = state.gpus.filter { $0.node.name == truth.drainedNode }
    let onDemandAllocated = state.gpus.filter {
      $0.node.cluster == truth.onDemandCluster && state.allocations[$0.id] != nil
    }

    // Free GPUs on train-a nodes that take work, found by walking the nodes here.
    let trainNodes = state.nodes.filter {
      $0.cluster == truth.strandedCluster && ($0.state == .idle || $0.state == .mixed)
    }
    let freeTrain = state.gpus.filter { gpu in
      trainNodes.contains { $0.id == gpu.node } && state.allocations[gpu.id] == nil
    }
    let waiting = state.jobs.filter { $0.cluster == truth.strandedCluster && $0.state == .pending }
      .reduce(0) { $0 + $1.gpus }
    let stranded = min(freeTrain.count, waiting)
    let expected: [(Opportunity.Kind, String, Double)] = [
      (
        .idleAllocation, truth.idleAllocationJob,
        idleGPUs.reduce(0) { $0 + usd($1.model, .reserved3y) }
      ),
      (
        .overprovisionedInference, truth.overprovisionedDeployment,
        Double(truth.overprovisionedGPUs - keep) * usd(serving[0].model, .onDemand)
      ),
      (
        .straggler, truth.stragglerJob,
        pretraining.reduce(0) { $0 + usd($1.model, .reserved3y) }
          * (1 - truth.stragglerActivityPct / truth.stragglerJobActivityPct)
      ),
      (.drainedCapacity, truth.drainedNode, drained.reduce(0) { $0 + usd($1.model, .reserved3y) }),
      (
        .strandedCapacity, truth.strandedCluster,
        Double(stranded) * freeTrain.reduce(0) { $0 + usd($1.model, .reserved3y) }
          / Double(freeTrain.count)
      ),
      (
        .pricingMix, truth.onDemandCluster,
        onDemandAllocated.reduce(0) { $0 + usd($1.model, .onDemand) - usd($1.model, .reserved1y) }
      ),
    ]
    var matched: Set<Int> = []
    for (kind, subject, dollars) in expected {
      let found = report.opportunities.enumerated().first { _, o in
        o.kind == kind && (o.scope.contains(subject) || o.title.contains(subject))
      }
      let (position, opportunity) = try #require(found, "\(kind) on \(subject) not found")
      matched.insert(position)
      #expect(
        abs(opportunity.usdPerMonth - dollars) <= dollars * 0.05,
        "\(kind): \(opportunity.usdPerMonth) USD/month, ground truth \(dollars)")
      #expect(
        !opportunity.evidence.isEmpty && !opportunity.rule.isEmpty && !opportunity.action.isEmpty)
    }
    for (position, other) in report.opportunities.enumerated() where !matched.contains(position) {
      #expect(
        other.pctOfSpend < 0.5,
        "unplanted \(other.title) \(other.kind) \(other.scope) at \(other.pctOfSpend) %")
    }
  }

  @Test func ranksByDollarsAndDrawsTheOnePercentLine() {
    let report = SavingsFinder.find(context())
    let dollars = report.opportunities.map(\.usdPerMonth)
    #expect(dollars == dollars.sorted(by: >))
    #expect(report.onePercentLine.reached)
    #expect(abs(report.onePercentLine.usdPerMonth - report.spendUSDPerMonth / 100) < 1e-6)
    let needed = report.opportunities.prefix(report.onePercentLine.opportunities)
    #expect(needed.reduce(0) { $0 + $1.usdPerMonth } >= report.onePercentLine.usdPerMonth)
    #expect(needed.dropLast().reduce(0) { $0 + $1.usdPerMonth } < report.onePercentLine.usdPerMonth)
    let shares = report.opportunities.reduce(0) { $0 + $1.pctOfSpend }
    #expect(
      abs(
        shares - report.opportunities.reduce(0) { $0 + $1.usdPerMonth } / report.spendUSDPerMonth
          * 100) < 1e-6)
  }

  @Test func doublingEveryPriceDoublesEveryDollarFigure() {
    // Every price: GPU-hours, the energy tariff owned sites pay, managed endpoints' hours.
    let tariff = prices.energy!
    let doubled = PriceBook(
      prices: prices.prices.mapValues {
        GPUHourPrice(usdPerGPUHour: $0.usdPerGPUHour * 2, asOf: $0.asOf, source: $0.source)
      },
      energy: EnergyTariff(
        usdPerKWh: tariff.usdPerKWh * 2, asOf: tariff.asOf, source: tariff.source),
      pueBySite: prices.pueBySite,
      managed: prices.managed.map {
        ManagedEndpoint(
          service: $0.service, instanceType: $0.instanceType, accelerator: $0.accelerator,
          accelerators: $0.accelerators, usdPerHour: $0.usdPerHour * 2, asOf: $0.asOf,
          source: $0.source)
      })
    let base = SavingsFinder.find(context())
    let twice = SavingsFinder.find(context(prices: doubled))
    #expect(twice.opportunities.count == base.opportunities.count)
    for (a, b) in zip(base.opportunities, twice.opportunities) {
      #expect(abs(b.usdPerMonth - 2 * a.usdPerMonth) < 1e-6 * a.usdPerMonth)
      #expect(abs(b.pctOfSpend - a.pctOfSpend) < 1e-9)
    }
  }

  @Test func moreIdleGPUsNeverLowerIdleSavings() {
    var context = context()
    let before = SavingsFinder.find(context).opportunities.filter { $0.kind == .idleAllocation }
      .reduce(0) { $0 + $1.usdPerMonth }
    // Make a second running training job idle: its GPUs now do nothing.
    let victim = context.state.jobs.first {
      $0.kind == .training && $0.state == .running && $0.name != truth.stragglerJob && $0.gpus >= 8
    }!
    for (gpu, job) in context.state.allocations where job == victim.key {
      context.state.gpuSamples[gpu]?.smActivePct = 0.5
    }
    context.jobActivity[victim.key] = (0..<24).map {
      (now.addingTimeInterval(Double($0 - 24) * 3_600), 0.5)
    }
    let after = SavingsFinder.find(context).opportunities.filter { $0.kind == .idleAllocation }
      .reduce(0) { $0 + $1.usdPerMonth }
    #expect(after > before)
  }

  @Test func withoutADayOfHistoryNothingIsJudgedByItsPeak() {
    // At night, an hour of history shows every deployment far below its daytime peak.
    let night = Date(timeIntervalSince1970: (1_795_000_000 / 86_400) * 86_400 + 3 * 3_600)
    var context = context(historyHours: 1)
    context.state = fleet.state(at: night)
    context.now = night
    let kinds = Set(SavingsFinder.find(context).opportunities.map(\.kind))
    #expect(!kinds.contains(.overprovisionedInference))
    #expect(!kinds.contains(.pricingMix))
    #expect(kinds.contains(.idleAllocation))
  }
}
