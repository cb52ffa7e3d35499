/// What each figure on a view means and where it comes from, a line each. `?` shows the
/// glossary of the view it was opened from above the keys, so no number on screen goes
/// unexplained. Kept beside the views: a column added to a view adds its line here.
enum Glossary {
  struct Entry: Equatable {
    let term: String
    let meaning: String

    init(_ term: String, _ meaning: String) {
      self.term = term
      self.meaning = meaning
    }
  }

  static func entries(for view: CockpitView) -> [Entry] {
    switch view {
    case .overview:
      gpuStates + [utilization, power, cost, failures, out, savingsLine, confidence, age]
    case .nodes:
      [
        Entry("STATE", "the scheduler's node state (Slurm sinfo, Kubernetes nodes)"),
        Entry("GPUS", "GPUs on the node: allocated/total, from the scheduler"),
        utilization, power,
        Entry("HOT", "the hottest GPU's temperature, °C (nvidia-smi or DCGM)"),
        Entry("XID", "GPUs whose last reading has an XID error (DCGM, nvidia-smi)"),
        Entry("DBE", "double-bit ECC errors, volatile (DCGM or nvidia-smi)"),
        Entry("REASON", "why the scheduler drained it or marks it down, in its words"),
      ]
    case .gpus:
      [
        Entry("cell", "one GPU, coloured by the metric in the title (`t` cycles)"),
        Entry("utilization", "GPU util: share of time a kernel ran (nvidia-smi)"),
        Entry("SM activity", "share of time SMs had work (DCGM_FI_PROF_SM_ACTIVE): real use"),
        Entry("POWER % OF TDP", "power draw ÷ the GPU's power limit"),
        Entry("blank", "no reading: its node or source did not answer (unknown)"),
      ]
    case .jobs:
      [
        Entry("GPUS", "GPUs the job holds, from the scheduler (GRES, pod requests)"),
        Entry("UTIL", "mean activity of those GPUs now (SM active, else GPU util)"),
        Entry("$/H", "the job's GPUs × the cluster's price per GPU-hour"),
        Entry("COST", "what the job has cost so far: $/H over its runtime"),
        Entry("RUNTIME", "since the scheduler started it"),
      ] + gpuStates.filter { $0.term == "idle-allocated" }
    case .power:
      [
        Entry("IT", "server power: BMCs (Redfish), node exporter, else GPUs' sum"),
        Entry("GPUS", "what the GPUs report (nvidia-smi power.draw, DCGM power)"),
        Entry("REST OF NODE", "IT less the GPUs: CPUs, memory, NICs, fans"),
        Entry("UNATTRIB.", "what the PDUs measure beyond their nodes' IT power"),
        Entry("BUDGET", "the site's or rack's power budget ([sites.NAME] in config)"),
        Entry("HEADROOM", "budget less IT power, as a share of budget; < 0 is over"),
        Entry("PUE", "facility power ÷ IT power, from the config per site"),
        Entry("FACILITY", "IT × PUE: what the site draws from the grid for this IT load"),
        Entry("NO BMC", "nodes whose IT power is estimated from their GPUs alone"),
      ]
    case .cost:
      [
        cost,
        Entry("MTD", "month to date: the hourly run-rate factop recorded, added up"),
        Entry("BILLED", "what imported FOCUS bills charged for the cluster"),
        Entry("PRICES", "USD per GPU-hour from the price book, its source and date"),
        Entry("SHARE", "the team's part of the run-rate; idle is (unallocated)"),
        Entry(
          "80 % band",
          "projection's range, to hold 4 days in 5 (fit on history)"),
      ]
    case .savings:
      [
        Entry("$/MONTH", "what acting on it saves a month at today's prices"),
        Entry("SPEND", "that as a share of the fleet's monthly spend at the run-rate"),
        confidence, savingsLine,
        Entry("LINE", "1 % marks the top ones that together reach the 1 % line"),
        Entry("Enter", "the rule that fired, its evidence and the action to take"),
      ]
    case .sources:
      [
        Entry("STATUS", "ok, stale (3 intervals without data), error, or pending"),
        Entry("AGE", "since the source's last good answer"),
        Entry("POLL", "its last poll: the answer fetched, parsed and cached"),
        Entry("TLS", "verified against the CA, or UNVERIFIED (config skips it)"),
        Entry("Join", "what sources disagree on or could not match (join.md)"),
      ]
    case .incidents:
      [
        Entry("$", "what it cost: lost work, waiting and idle GPU-hours, priced"),
        Entry("GPU-H", "jobs' GPUs × (since checkpoint + wait) + idle node GPUs"),
        Entry("STATE", "open while its node is out or a job it hit has not run again"),
        Entry("CAUSE", "its main event: xid, node_out, link_flap, job_failed, etc."),
        Entry("Enter", "its events, the jobs it hit and what its price assumes"),
        Entry("Repair first", "the nodes whose incidents cost most over 30 days"),
      ]
    case .help: []
    }
  }

  private static let gpuStates = [
    Entry("allocated", "GPUs a job holds, from the scheduler (GRES, pod requests)"),
    Entry("busy", "GPUs at 5 % activity or more (SM active, else GPU util)"),
    Entry("idle-allocated", "allocated GPUs under 5 % activity: paid for, doing nothing"),
  ]
  private static let utilization = Entry(
    "UTIL", "mean activity: SM active (DCGM) where read, else GPU util")
  private static let power = Entry(
    "POWER", "node power from its BMC or node exporter, else GPUs' sum")
  private static let cost = Entry(
    "$/H", "GPUs × price per GPU-hour (price book; owned: TCO + energy)")
  private static let failures = Entry(
    "Failures", "incidents' cost, last day and week; open: still going on")
  private static let out = Entry("OUT", "nodes down, drained or draining, as the scheduler says")
  private static let savingsLine = Entry(
    "1 % line", "1 % of monthly spend: the savings worth acting on start here")
  private static let confidence = Entry(
    "CONF", "the finder's confidence, 0 to 1: lower on short history")
  private static let age = Entry("data Ns ago", "age of the newest answer behind the panel")
}
