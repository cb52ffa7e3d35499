import Foundation

/// Each GPU's price per hour, and the GPUs of each node and job, looked up once per step.
struct GPURates {
  let gpusByNode: [NodeID: [GPU]]
  let gpusByJob: [JobID: [GPU]]
  private let rate: [GPUID: Double]

  init(_ state: FleetState, prices: PriceBook) {
    let pricing = Dictionary(
      state.clusters.map { ($0.name, $0.pricing) }, uniquingKeysWith: { a, _ in a })
    var rate: [GPUID: Double] = [:]
    for gpu in state.gpus {
      if let kind = pricing[gpu.node.cluster],
        let price = prices.price(model: gpu.model.name, pricing: kind)
      {
        rate[gpu.id] = price.usdPerGPUHour
      }
    }
    self.rate = rate
    gpusByNode = Dictionary(grouping: state.gpus, by: \.node)
    var byJob: [JobID: [GPU]] = [:]
    for gpu in state.gpus {
      if let job = state.allocations[gpu.id] { byJob[job, default: []].append(gpu) }
    }
    gpusByJob = byJob
  }

  /// The mean price of these GPUs; nil when none of them is priced.
  func mean(of gpus: [GPU]) -> Double? {
    let known = gpus.compactMap { rate[$0.id] }
    return known.isEmpty ? nil : known.reduce(0, +) / Double(known.count)
  }
}
