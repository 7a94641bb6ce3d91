// Drives the built `pmo` through a real pseudo-terminal: openpty, then posix_spawn in a new session
// (so the pty is its controlling terminal and Ctrl-C raises SIGINT) with a clean signal mask.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import XCTest
import TestSupport

/// glibc's POSIX_SPAWN_SETSID (hidden behind _GNU_SOURCE, so not imported).
private let spawnSetSID: Int32 = 0x80

enum REPLBinary {
    /// The `pmo` executable: `$PMO_BINARY`, else next to the test bundle, else in the package's build folders.
    static let path: String? = {
        let fm = FileManager.default
        if let p = ProcessInfo.processInfo.environment["PMO_BINARY"], fm.isExecutableFile(atPath: p) { return p }
        var dirs: [URL] = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        for b in Bundle.allBundles where b.bundlePath.hasSuffix(".xctest") {
            dirs.append(b.bundleURL.deletingLastPathComponent())
        }
        for scratch in [".build-repl", ".build"] {
            dirs.append(REPLBinary.packageRoot.appendingPathComponent(scratch).appendingPathComponent("debug"))
        }
        return dirs.map { $0.appendingPathComponent("pmo").path }.first { fm.isExecutableFile(atPath: $0) }
    }()

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var demo: String { packageRoot.appendingPathComponent("examples/demo").path }
}

/// One `pmo` process on a pseudo-terminal. Killed (SIGKILL) and reaped when released.
final class PTYProcess {
    let master: Int32
    let pid: pid_t
    private(set) var bytes: [UInt8] = []
    /// Output before this offset has been matched by `expect` already.
    private var mark = 0
    private var exitStatus: Int32?

    static let ctrlC = "\u{03}", ctrlD = "\u{04}", tab = "\t", up = "\u{1B}[A", enter = "\r"

    /// Starts `pmo` with `arguments` and an environment built from a clean base plus `env`
    /// (a nil value removes the variable).
    /// `executable` replaces the built `pmo` (the install test runs a copy, through `/bin/sh` to change folder).
    init(_ arguments: [String], env: [String: String?], rows: UInt16 = 40, columns: UInt16 = 120,
         executable: String? = nil) throws {
        guard let exe = executable ?? REPLBinary.path else { throw TestEnvironment.unavailable("the pmo binary was not found; build it first", skip: { XCTSkip($0) }) }
        var m: Int32 = -1, s: Int32 = -1
        var name = [CChar](repeating: 0, count: 256)
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&m, &s, &name, nil, &size) == 0 else { throw POSIXError(.ENODEV) }
        _ = fcntl(m, F_SETFD, FD_CLOEXEC)
        let slave = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addclose(&actions, s)
        // Opened after setsid(), so it becomes the controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, slave, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)

        var attrs = posix_spawnattr_t()
        posix_spawnattr_init(&attrs)
        defer { posix_spawnattr_destroy(&attrs) }
        // Test threads block signals; the child must start with none blocked and default handlers.
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attrs, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGHUP, SIGTSTP, SIGTTIN, SIGTTOU, SIGCHLD, SIGWINCH] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attrs, &defaults)
        posix_spawnattr_setflags(&attrs, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | spawnSetSID))

        var environment = ProcessInfo.processInfo.environment
        for key in ["PMO_DATA", "PMO_WORKSPACE", "PMO_DEMO_DIR", "COLUMNS", "LINES", "LC_ALL", "LC_CTYPE", "PMO_HISTFILE", "PMO_HISTORY", "EDITRC"] {
            environment[key] = nil
        }
        environment["TERM"] = "xterm"
        environment["LANG"] = "C.UTF-8"
        environment["NO_COLOR"] = "1"
        environment["PAGER"] = ""
        // A fixed clock: the prompt compares its as-of date with "today", which must not depend on the
        // day the suite runs (the demo's status date once was today, and the prompt test failed that day).
        environment["PMO_TODAY"] = "2030-01-01"
        for (k, v) in env { environment[k] = v }
        let argv = ([exe] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, exe, &actions, &attrs, argv, envp)
        close(s)
        guard rc == 0 else {
            close(m)
            throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL)
        }
        master = m
        pid = child
        _ = fcntl(m, F_SETFL, fcntl(m, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(master)
    }

    /// Types text (waiting a moment first, so the line editor has switched the terminal mode).
    func send(_ text: String, settle: Double = 0.05) {
        usleep(UInt32(settle * 1_000_000))
        let data = Array(text.utf8)
        var offset = 0
        while offset < data.count {
            let n = data[offset...].withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EAGAIN || errno == EINTR { usleep(1000); continue }
                return
            }
            offset += n
        }
    }

    /// Reads what is available, waiting up to `timeout` seconds for something; false at end of output.
    @discardableResult
    func pump(_ timeout: Double) -> Bool {
        var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        let ready = poll(&fds, 1, Int32(max(0, timeout * 1000)))
        if ready <= 0 { return true }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
        if n > 0 {
            bytes += buffer[0..<n]
            return true
        }
        if n < 0 && (errno == EAGAIN || errno == EINTR) { return true }
        return false
    }

    /// Waits until `needle` appears after the last match; true when it did within `timeout`.
    @discardableResult
    func expect(_ needle: String, timeout: Double = 10) -> Bool {
        let target = Array(needle.utf8)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let r = PTYProcess.find(target, in: bytes, from: mark) {
                mark = r
                return true
            }
            if Date() >= deadline { return false }
            if !pump(min(0.05, deadline.timeIntervalSinceNow)) {
                if let r = PTYProcess.find(target, in: bytes, from: mark) { mark = r; return true }
                return false
            }
        }
    }

    /// Reads for `seconds`, collecting output.
    func drain(_ seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline { if !pump(0.02) { break } }
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count, start <= hay.count - needle.count else { return nil }
        var i = start
        while i <= hay.count - needle.count {
            if hay[i] == needle[0] && Array(hay[i..<i + needle.count]) == needle { return i + needle.count }
            i += 1
        }
        return nil
    }

    /// Everything received, escape sequences removed (for messages and `contains` checks).
    var screenText: String {
        PTYProcess.stripEscapes(String(decoding: bytes, as: UTF8.self))
    }

    /// Output after the last match, escape sequences removed.
    var unmatchedText: String {
        PTYProcess.stripEscapes(String(decoding: bytes[min(mark, bytes.count)...], as: UTF8.self))
    }

    static func stripEscapes(_ s: String) -> String {
        var out = ""
        var it = s.unicodeScalars.makeIterator()
        while let c = it.next() {
            if c == "\u{1B}" {
                guard let next = it.next() else { break }
                if next == "[" {
                    while let x = it.next(), !(x.value >= 0x40 && x.value <= 0x7E) {}
                }
                continue
            }
            if c == "\r" { continue }
            out.unicodeScalars.append(c)
        }
        return out
    }

    /// Waits for the process to end; its exit status, or nil (after `timeout`, or killed by a signal).
    func waitForExit(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                drain(0.05)
                exitStatus = status
                return status & 0x7F == 0 ? (status >> 8) & 0xFF : nil
            }
            pump(0.02)
        }
        return nil
    }
}
