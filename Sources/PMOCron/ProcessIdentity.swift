// Telling whether the process that wrote a ledger row is still running, without being fooled by a
// process id that the system has since given to another process.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

public enum ProcessIdentity {
    /// A tag for process `pid`: on Linux the boot id and the process's start time in clock ticks
    /// (`/proc/PID/stat` field 22), which together no other process shares; nil elsewhere.
    public static func tag(_ pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name (which may contain spaces), starting with field 3 (state).
        let rest = stat[stat.index(after: close)...].split(separator: " ")
        guard rest.count > 19 else { return nil }
        let start = rest[19]
        let boot = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        return "\(boot):\(start)"
    }

    /// A process that has ended but not been reaped by its parent yet (state `Z` in `/proc/PID/stat`).
    public static func isZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first == "Z"
    }

    /// Whether `pid` is running and, when `tag` is known, is the same process that had that tag.
    public static func isAlive(_ pid: Int32, tag: String?) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) != 0 && errno == ESRCH { return false }
        if isZombie(pid) { return false }
        if let tag, let now = ProcessIdentity.tag(pid) { return now == tag }
        return true
    }

    /// This process's path, for running `pmo` again (`pmo due` runs each script in a child `pmo run`).
    public static var executablePath: String {
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
        if let p = Bundle.main.executablePath { return p }
        return CommandLine.arguments.first.map(RunLock.absolute) ?? "pmo"
    }
}
