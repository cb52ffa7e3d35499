import Foundation

/// A price that takes effect on a date.
public struct ScheduledPrice: Sendable, Hashable {
  public let key: PriceBook.Key
  public let from: Date
  public let price: GPUHourPrice

  public init(key: PriceBook.Key, from: Date, price: GPUHourPrice) {
    self.key = key
    self.from = from
    self.price = price
  }
}

/// A reservation's term: until `ends`, the cluster pays as it is configured; from then on, as
/// `then` (on demand, unless it is renewed or bought out).
public struct ReservationTerm: Sendable, Hashable {
  public let cluster: String
  public let ends: Date
  public let then: PricingKind

  public init(cluster: String, ends: Date, then: PricingKind) {
    self.cluster = cluster
    self.ends = ends
    self.then = then
  }
}

extension PriceBook {
  /// The book as it stands at `time`: every scheduled price whose date has come replaces the
  /// one before it (the latest wins).
  public func at(_ time: Date) -> PriceBook {
    var book = self
    for change in scheduled.sorted(by: { $0.from < $1.from }) where change.from <= time {
      book.prices[change.key] = change.price
    }
    return book
  }

  /// `state` with each cluster whose reservation term has ended at `time` paying as its term
  /// says it then does.
  public func repricing(_ state: FleetState, at time: Date) -> FleetState {
    let ended = terms.filter { $0.ends <= time }
    guard !ended.isEmpty else { return state }
    var state = state
    for term in ended.sorted(by: { $0.ends < $1.ends }) {
      for i in state.clusters.indices where state.clusters[i].name == term.cluster {
        state.clusters[i].pricing = term.then
      }
    }
    return state
  }
}

/// A change to the spend rate known before it happens: a reservation's term ending, a price
/// taking effect. The projection adds it from its date on, rather than waiting for the history
/// to show it.
public struct KnownChange: Sendable, Hashable, Encodable {
  public let date: Date
  /// How the fleet's spend rate moves from `date` on, at its GPUs' count today.
  public let usdPerHour: Double
  public let reason: String

  public init(date: Date, usdPerHour: Double, reason: String) {
    self.date = date
    self.usdPerHour = usdPerHour
    self.reason = reason
  }

  enum CodingKeys: String, CodingKey {
    case date, reason
    case usdPerHour = "usd_per_h"
  }

  /// What the price book knows will change after `now` for the GPUs `state` has, in date order:
  /// each scheduled price and each term's end, priced against the book as it will stand just
  /// before it. Unpriced GPUs (no price before or after) change nothing.
  public static func ahead(of now: Date, state: FleetState, prices: PriceBook) -> [KnownChange] {
    var events: [(date: Date, apply: (inout PriceBook, inout FleetState) -> String)] = []
    for change in prices.scheduled where change.from > now {
      events.append(
        (
          change.from,
          { book, _ in
            book.prices[change.key] = change.price
            return
              "\(change.key.model) \(change.key.pricing.rawValue) at $\(String(format: "%.2f", change.price.usdPerGPUHour))/GPU-hour (\(change.price.source))"
          }
        ))
    }
    for term in prices.terms where term.ends > now {
      events.append(
        (
          term.ends,
          { _, state in
            for i in state.clusters.indices where state.clusters[i].name == term.cluster {
              state.clusters[i].pricing = term.then
            }
            return "\(term.cluster)'s reservation ends; \(term.then.rawValue) from then"
          }
        ))
    }
    // Most books schedule nothing: then no GPU is counted.
    guard !events.isEmpty else { return [] }
    var gpus: [String: [String: Int]] = [:]  // cluster → model → GPUs
    for gpu in state.gpus { gpus[gpu.node.cluster, default: [:]][gpu.model.name, default: 0] += 1 }
    var book = prices.at(now)
    var priced = prices.repricing(state, at: now)
    var changes: [KnownChange] = []
    for event in events.sorted(by: { $0.date < $1.date }) {
      let before = hourlyPrices(priced, book)
      let reason = event.apply(&book, &priced)
      let after = hourlyPrices(priced, book)
      var delta = 0.0
      for (key, old) in before {
        guard let new = after[key] else { continue }
        delta += Double(gpus[key.cluster]?[key.model] ?? 0) * (new - old)
      }
      if delta != 0 {
        changes.append(KnownChange(date: event.date, usdPerHour: delta, reason: reason))
      }
    }
    return changes
  }

  private struct ClusterModel: Hashable {
    let cluster: String
    let model: String
  }

  /// Each cluster's price per GPU-hour of each model it has, where the book prices it (energy
  /// aside: a price list does not change it).
  private static func hourlyPrices(_ state: FleetState, _ book: PriceBook) -> [ClusterModel: Double]
  {
    var result: [ClusterModel: Double] = [:]
    let pricing = Dictionary(
      state.clusters.map { ($0.name, $0.pricing) }, uniquingKeysWith: { a, _ in a })
    for gpu in state.gpus {
      let key = ClusterModel(cluster: gpu.node.cluster, model: gpu.model.name)
      guard result[key] == nil, let kind = pricing[key.cluster],
        let price = book.price(model: key.model, pricing: kind)
      else { continue }
      result[key] = price.usdPerGPUHour
    }
    return result
  }
}
