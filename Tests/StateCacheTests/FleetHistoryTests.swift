import FleetModel
import Foundation
import StateCache
import Testing

/// What a report reads of the series (`StateCache.history(of:now:)`), by typed keys.
@Suite struct FleetHistoryTests {
  func cache() throws -> StateCache {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "factop-kpi-\(UUID().uuidString)")
    return try StateCache.open(path: folder.appendingPathComponent("cache.sqlite").path)
  }

  @Test func idleGPUHoursIntegrateTheMinuteSeries() throws {
    let cache = try cache()
    let now = Date(timeIntervalSince1970: 1_795_000_000 / 3_600 * 3_600)
    // Two hours: 10 idle GPUs in the first, 30 in the second, one reading a minute.
    let points = (0..<120).map { minute in
      KPIPoint(
        entity: .fleet, kpi: .gpusIdleAllocated,
        time: now.addingTimeInterval(Double(minute - 120) * 60), value: minute < 60 ? 10 : 30)
    }
    try cache.append(points, now: now)
    let history = try cache.history(of: FleetState(), now: now)
    let hours = try #require(history.idleAllocatedGPUHours)
    #expect(abs(hours - 40) < 1e-9)
    #expect(history.idleAllocatedMinima.count == 120)
    #expect(
      try cache.history(of: FleetState(), now: now.addingTimeInterval(3 * 86_400))
        .idleAllocatedGPUHours == nil)
  }

  @Test func monthToDateFromTheRecordedRunRate() throws {
    let cache = try cache()
    let month = MonthToDate.monthStart(of: Date(timeIntervalSince1970: 1_795_000_000))
    let now = month.addingTimeInterval(3 * 3_600)
    let points = (0..<180).flatMap { minute -> [KPIPoint] in
      let time = month.addingTimeInterval(Double(minute) * 60)
      return [
        KPIPoint(entity: .fleet, kpi: .costUSDPerHour, time: time, value: 100),
        KPIPoint(entity: .team("red"), kpi: .costUSDPerHour, time: time, value: 40),
      ]
    }
    try cache.append(points, now: now)
    let spend = try cache.history(of: FleetState(), now: now).monthToDate(at: now)
    #expect(spend.fleet?.usd == 300)
    #expect(spend.fleet?.since == month)
    #expect(spend.teams["red"]?.usd == 120)
  }

  /// A job's series is keyed by its cluster and id, and a Kubernetes id's `/` survives.
  @Test func jobsAreReadByTheirTypedIdentity() throws {
    let cache = try cache()
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    let job = Job(
      id: "prod/embed-search", cluster: "k8s", name: "embed", user: "svc", team: "platform",
      kind: .inference, state: .running, gpus: 4, nodes: [], start: nil)
    let other = JobID(cluster: "slurm", id: "prod/embed-search")
    try cache.append(
      [
        KPIPoint(entity: .job(job.key), kpi: .utilMeanPct, time: now - 60, value: 12),
        KPIPoint(entity: .job(other), kpi: .utilMeanPct, time: now - 60, value: 99),
      ], now: now)
    let history = try cache.history(of: FleetState(jobs: [job]), now: now)
    #expect(history.jobActivity.count == 1)
    #expect(history.jobActivity[job.key]?.map(\.value) == [12])
    #expect(SeriesEntity(key: SeriesEntity.job(job.key).key) == .job(job.key))
  }
}
