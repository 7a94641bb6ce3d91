// Stopping a load from outside: the host sets `isCancelled` (SIGINT, SIGTERM, SIGHUP, --timeout) and
// the loaders (CSV records, workspace rows, the column cache writer) poll it every 4096 records, so a
// signal that comes while a large portfolio loads ends the run at once instead of after the load.
// The flag is the host's; the library only reads it, and throws its own error when it is set.
public enum LoadCancellation {
    /// Set by the host while a run may be stopped; nil otherwise.
    nonisolated(unsafe) public static var isCancelled: (() -> Bool)?

    /// The message of the error a stopped load throws (the host reports its own reason instead).
    public static let message = "loading was stopped"

    /// Counts one record; true when the load must stop (checked every 4096 calls).
    @inline(__always)
    public static func poll(_ counter: inout Int) -> Bool {
        counter &+= 1
        guard counter & 4095 == 0, let cancelled = isCancelled else { return false }
        return cancelled()
    }

    /// True when the load must stop (for loops that do much work per step).
    public static var now: Bool { isCancelled?() ?? false }
}
