// Showing results: the terminal's size, writing to the standard streams, and a pager for tall results.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to the standard streams with `write(2)` (no buffering, safe in Swift 6 mode).
public enum Console {
    public static func out(_ s: String) { write(STDOUT_FILENO, s) }
    public static func err(_ s: String) { write(STDERR_FILENO, s) }

    /// Writes every byte, retrying short writes and interruptions; false when the reader is gone.
    @discardableResult
    static func write(_ fd: Int32, _ s: String) -> Bool {
        let bytes = Array(s.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { buf -> Int in
                guard let base = buf.baseAddress else { return 0 }
                #if canImport(Glibc)
                return Glibc.write(fd, base, buf.count)
                #elseif canImport(Musl)
                return Musl.write(fd, base, buf.count)
                #else
                return Darwin.write(fd, base, buf.count)
                #endif
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}

/// The size of the terminal on standard output.
public struct TerminalSize: Equatable, Sendable {
    public var rows: Int
    public var columns: Int

    /// From the terminal, else `$LINES`/`$COLUMNS`, else 24 × 80.
    public static var current: TerminalSize {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 {
            return TerminalSize(rows: Int(size.ws_row), columns: Int(size.ws_col))
        }
        let rows = getenv("LINES").flatMap { Int(String(cString: $0)) } ?? 24
        let cols = getenv("COLUMNS").flatMap { Int(String(cString: $0)) } ?? 80
        return TerminalSize(rows: max(2, rows), columns: max(10, cols))
    }
}

/// Sends text taller than the screen through `$PAGER` (run by `/bin/sh -c`), else `less -FRX`
/// when it is installed; `PAGER=` (empty) turns paging off. Only used when standard output is a terminal.
public struct Pager {
    /// The command line, or nil when results are written directly.
    public var command: [String]?

    public init(environment: [String: String]) {
        if let p = environment["PAGER"] {
            command = p.trimmingSpaces.isEmpty ? nil : ["/bin/sh", "-c", p]
        } else if let less = Pager.find("less", path: environment["PATH"] ?? "/usr/bin:/bin") {
            command = [less, "-FRX"]
        } else {
            command = nil
        }
    }

    /// Whether `text` needs the pager on a screen of `rows` rows.
    public func wants(_ text: String, rows: Int) -> Bool {
        guard command != nil else { return false }
        var lines = 0
        for b in text.utf8 where b == 10 {
            lines += 1
            if lines >= rows - 1 { return true }
        }
        return false
    }

    /// Shows `text` through the pager and waits for it; false when it could not be started.
    public func show(_ text: String) -> Bool {
        guard let command else { return false }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return false }
        let readEnd = fds[0], writeEnd = fds[1]
        var actions = posix_spawn_file_actions_t()
        var attrs = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attrs)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attrs)
        }
        posix_spawn_file_actions_adddup2(&actions, readEnd, STDIN_FILENO)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        posix_spawn_file_actions_addclose(&actions, writeEnd)
        // The pager gets default signal handling (the prompt ignores SIGPIPE and catches SIGINT).
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGPIPE, SIGQUIT, SIGTSTP] { sigaddset(&defaults, s) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attrs, &defaults)
        posix_spawnattr_setsigmask(&attrs, &mask)
        posix_spawnattr_setflags(&attrs, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var env = Pager.environment()
        if getenv("LESSCHARSET") == nil { env.append("LESSCHARSET=utf-8") }
        var pid: pid_t = 0
        let argv = command.map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        let rc = posix_spawn(&pid, command[0], &actions, &attrs, argv, envp)
        close(readEnd)
        guard rc == 0 else {
            close(writeEnd)
            return false
        }
        // The pager may quit before reading everything (SIGPIPE is ignored, so writing just stops).
        Console.write(writeEnd, text)
        close(writeEnd)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return true
    }

    /// The process environment as `KEY=VALUE` strings.
    static func environment() -> [String] {
        var out: [String] = []
        var p = environ
        while let entry = p.pointee {
            out.append(String(cString: entry))
            p += 1
        }
        return out
    }

    /// The first executable `name` on `path`.
    static func find(_ name: String, path: String) -> String? {
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = dir + "/" + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s.removeLast() }
        return s
    }
}
