// The process's surroundings: terminals, environment, standard streams and the clock.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import PMOBase

enum Terminal {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    static var stdinIsTTY: Bool { isatty(STDIN_FILENO) == 1 }
    static var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTTY: Bool { isatty(STDERR_FILENO) == 1 }

    /// Whether colour suits a stream: `always`, `never`, or for `auto` a terminal with `NO_COLOR`
    /// unset (or empty) and `TERM` not `dumb`.
    static func colorEnabled(_ mode: ColorMode, isTTY: Bool) -> Bool {
        switch mode {
        case .always: return true
        case .never: return false
        case .auto:
            let env = environment
            if let nc = env["NO_COLOR"], !nc.isEmpty { return false }
            if env["TERM"] == "dumb" { return false }
            return isTTY
        }
    }

    /// The width of the terminal on standard output, or nil when it is not a terminal.
    static var outputWidth: Int? {
        guard stdoutIsTTY else { return nil }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let c = environment["COLUMNS"].flatMap({ Int($0) }), c > 0 { return c }
        return 80
    }

    /// Writes text to standard output as it is produced.
    static func writeOut(_ s: String) -> Bool {
        if s.isEmpty { return true }
        return writeAll(STDOUT_FILENO, Array(s.utf8))
    }

    /// Writes text to standard error (diagnostics, notes).
    static func writeErr(_ s: String) {
        _ = writeAll(STDERR_FILENO, Array(s.utf8))
    }

    /// Writes every byte to a descriptor, retrying short writes and interruptions.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { buf -> Int in
                guard let base = buf.baseAddress else { return 0 }
                return write(fd, base, buf.count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            if n == 0 { return false }
            offset += n
        }
        return true
    }

    /// Reads all of standard input as bytes.
    static func readStandardInput() -> [UInt8] {
        Array(FileHandle.standardInput.readDataToEndOfFile())
    }

    /// Today's date in UTC from the wall clock (only used when neither `--as-of` nor the data sets one),
    /// or `$PMO_TODAY` (YYYY-MM-DD) when set: a fixed clock for tests and reproducible runs.
    static var todayUTC: Day {
        if let fixed = ProcessInfo.processInfo.environment["PMO_TODAY"], !fixed.isEmpty, let day = Day(iso: Substring(fixed)) { return day }
        let seconds = Date().timeIntervalSince1970
        let days = (seconds / 86_400).rounded(.down)
        if let raw = Int32(exactly: days), Day.isInRange(raw) { return Day(raw: raw) }
        return Day(raw: 0)
    }

    /// The message for the current `errno`.
    static var errnoText: String { String(cString: strerror(errno)) }
}
