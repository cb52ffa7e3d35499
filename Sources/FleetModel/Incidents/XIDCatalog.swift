/// What an XID the NVIDIA driver reports means, and what an operator does about it.
public struct XIDMeaning: Sendable, Hashable {
  public let code: Int
  public let meaning: String
  public let action: String
  /// Whether it points at the hardware rather than at the program that ran into it.
  public let isHardware: Bool
}

/// The XIDs of data-centre GPUs (Ampere and newer), paraphrased from NVIDIA's XID catalog
/// ("Analyzing Xid Errors with the Xid Catalog", its per-code resolution buckets) with gpud's
/// stricter repair policy where it differs; the table and its sources are in the project's
/// model figures. Codes it does not name still become incidents, described as unknown.
public enum XIDCatalog {
  public static func meaning(of code: Int) -> XIDMeaning {
    entries[code]
      ?? XIDMeaning(
        code: code, meaning: "not in factop's catalogue",
        action: "look it up in NVIDIA's XID catalog", isHardware: false)
  }

  private static let entries: [Int: XIDMeaning] = Dictionary(
    uniqueKeysWithValues: [
      (8, "GPU stopped processing a channel", "check the application", false),
      (13, "graphics engine exception in the job", "check the application", false),
      (31, "GPU memory page fault in the job", "check the application", false),
      (43, "a channel was stopped; the GPU is usable", "check the application", false),
      (45, "channels cleaned up after an earlier error", "act on the XID that came with it", false),
      (46, "GPU timeout", "reset the GPU", true),
      (48, "uncorrectable (double-bit) ECC error", "drain, reset the GPU; RMA if it recurs", true),
      (61, "micro-controller warning", "reset the GPU if it recurs", true),
      (62, "micro-controller halted", "drain, reset the GPU; RMA if repeated", true),
      (63, "memory row marked for remapping", "reset the GPU when idle", true),
      (64, "row remapping failed", "drain, reset the GPU; RMA candidate", true),
      (74, "NVLink error", "drain the node, reset its GPUs or reboot", true),
      (79, "GPU fell off the PCIe bus", "drain the node and power-cycle it", true),
      (92, "high single-bit ECC rate", "monitor", true),
      (
        94, "contained uncorrectable memory error", "restart the job; reset the GPU when idle", true
      ),
      (95, "uncontained uncorrectable memory error", "drain, reset the GPU; RMA if repeated", true),
      (109, "context-switch timeout", "reset the GPU", true),
      (119, "GSP RPC timeout", "drain, reset the GPU or reboot; check the driver", true),
      (120, "GSP error", "drain, reset the GPU or reboot; check the driver", true),
      (121, "C2C link error", "reboot if it persists", true),
      (136, "link training failed", "reset the GPU", true),
      (137, "NVLink privilege error", "check the application", false),
      (140, "ECC error escaped correction", "drain, reset the GPU; RMA if repeated", true),
      (143, "GPU initialisation failure", "reset the GPU; RMA if it will not initialise", true),
      (154, "the driver changed the recovery action", "do what the driver asks", false),
      (155, "NVLink software-defined error", "reset the GPU", true),
      (156, "resource retirement event", "reset the GPU", true),
      (158, "GPU fatal timeout", "reset the GPU", true),
    ].map { ($0.0, XIDMeaning(code: $0.0, meaning: $0.1, action: $0.2, isHardware: $0.3)) })
}
