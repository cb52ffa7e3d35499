/// Reserved capacity is paid whether used or not; on-demand only when used. Reserving is cheaper
/// once the capacity is used more than reserved ÷ on-demand of the time.
public struct ReservationBreakEven: Sendable, Hashable, Encodable {
  public let breakevenUtilizationPct: Double

  public init(onDemandUSDPerHour: Double, reservedUSDPerHour: Double) {
    breakevenUtilizationPct = reservedUSDPerHour / onDemandUSDPerHour * 100
  }

  enum CodingKeys: String, CodingKey {
    case breakevenUtilizationPct = "breakeven_utilization_pct"
  }
}

/// What an owned GPU costs per hour: capex spread evenly over its life, plus the energy its share
/// of the node draws at the facility (IT power × PUE), plus any other running cost.
public struct OwnedGPUCost: Sendable, Hashable, Encodable {
  public let capexUSDPerGPUHour: Double
  public let energyUSDPerGPUHour: Double
  public let opexUSDPerGPUHour: Double
  public let tcoUSDPerGPUHour: Double

  public static let hoursPerYear = 8_760.0

  /// - Parameters:
  ///   - capexUSD: all-in purchase cost per GPU (its share of node, network, install).
  ///   - nodeKW: measured node power under load (an 8×H100 node: ≈ 8.4 kW, not its 10.2 kW rating).
  public init(
    capexUSD: Double, years: Double, nodeKW: Double, gpusPerNode: Int, pue: Double,
    usdPerKWh: Double, opexUSDPerGPUHour: Double = 0
  ) {
    capexUSDPerGPUHour = capexUSD / (years * Self.hoursPerYear)
    energyUSDPerGPUHour = nodeKW / Double(gpusPerNode) * pue * usdPerKWh
    self.opexUSDPerGPUHour = opexUSDPerGPUHour
    tcoUSDPerGPUHour = capexUSDPerGPUHour + energyUSDPerGPUHour + opexUSDPerGPUHour
  }

  /// The share of this cost (0…1) saved by cutting GPU energy by `gpuEnergyCut` (0…1), when GPUs
  /// draw `gpuShareOfNodePower` (0…1) of the node's power.
  public func savedShare(gpuEnergyCut: Double, gpuShareOfNodePower: Double) -> Double {
    energyUSDPerGPUHour * gpuShareOfNodePower * gpuEnergyCut / tcoUSDPerGPUHour
  }

  enum CodingKeys: String, CodingKey {
    case capexUSDPerGPUHour = "capex_usd_per_gpu_h"
    case energyUSDPerGPUHour = "energy_usd_per_gpu_h"
    case opexUSDPerGPUHour = "opex_usd_per_gpu_h"
    case tcoUSDPerGPUHour = "tco_usd_per_gpu_h"
  }
}
