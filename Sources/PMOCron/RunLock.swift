// One run at a time per workspace and script: a lock file beside the workspace, held with flock(2).
//
// Why flock and not a file created with O_CREAT|O_EXCL: the kernel releases an flock when its holder
// dies, however it dies (SIGKILL, a crash, the machine losing power), so a killed run can never leave
// a lock that blocks Monday's run, and no guess based on a process id (which the system may have
// given to another process since) decides whether a lock is still held. The lock file is never
// removed (removing it would let two runs lock two different files of the same name); it holds the
// holder's pid, host, start time and script while a run holds it, and is emptied when the run ends.
// A file that still names a holder when its lock is free was left by a run that was killed: the next
// run says so, clears it and takes over, and the run ledger marks the killed run failed.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Workspace

/// Who holds (or held) a lock, as written in the lock file.
public struct LockHolder: Equatable {
    public var pid: Int32
    public var host: String
    /// ISO 8601 UTC start time.
    public var started: String
    public var script: String

    public var text: String { "pid=\(pid)\nhost=\(host)\nstarted=\(started)\nscript=\(script)\n" }

    public init(pid: Int32, host: String, started: String, script: String) {
        self.pid = pid; self.host = host; self.started = started; self.script = script
    }

    /// Parses a lock file's `key=value` lines; nil when it names no holder.
    public init?(text: String) {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        guard let p = fields["pid"].flatMap({ Int32($0) }) else { return nil }
        pid = p
        host = fields["host"] ?? "?"
        started = fields["started"] ?? "?"
        script = fields["script"] ?? "?"
    }

    /// "pid 4242 on host cron1, started 2026-11-23T07:00:02Z".
    public var description: String { "pid \(pid) on host \(host), started \(started)" }
}

/// A held lock; `release()` (or the end of the process) frees it.
public final class RunLock {
    public let path: String
    private var fd: Int32
    /// The holder named in the file when this run found the lock free: a run that was killed.
    public let staleHolder: LockHolder?

    private init(path: String, fd: Int32, staleHolder: LockHolder?) {
        self.path = path; self.fd = fd; self.staleHolder = staleHolder
    }

    deinit { release() }

    /// Where the locks of a workspace live: `<workspace>.locks/` beside the workspace file.
    public static func directory(workspace: String) -> String { absolute(workspace) + ".locks" }

    /// The lock file for a script (or several run together) in `directory`.
    public static func file(in directory: String, scriptKey: String, name: String) -> String {
        directory + "/" + fileStem(name) + "-" + hash(scriptKey) + ".lock"
    }

    /// Takes the lock. Held by a live run: with `wait`, waits (polling ten times a second, so
    /// --timeout and signals still end the wait); without, fails (`.locked`) naming the holder.
    /// `note` receives what a person watching should be told (waiting; a stale lock cleared).
    public static func acquire(path: String, script: String, wait: Bool, shouldStop: () -> Bool,
                               note: (String) -> Void) throws(CronFailure) -> RunLock {
        let dir = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !dir.isEmpty {
            try makeDirectories(dir)
            if let odd = SafeFiles.oddity(dir), odd != "a directory" {
                throw CronFailure(.cannotWrite, "the lock directory '\(dir)' is \(odd); pmo will not follow it (remove it and run again)")
            }
        }
        // Never through a symbolic link, never a FIFO or a device: pmo truncates its lock file.
        if let odd = SafeFiles.oddity(path) {
            throw CronFailure(.cannotWrite, "the lock file '\(path)' is \(odd); pmo will not follow or truncate it (remove it and run again)")
        }
        let fd = SafeFiles.openRegular(path, O_RDWR | O_CREAT, mode: 0o666)
        guard fd >= 0 else {
            throw CronFailure(.cannotWrite, "cannot create the lock file '\(path)': \(String(cString: strerror(errno)))")
        }
        var announced = false
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let reason = errno
            guard reason == EWOULDBLOCK || reason == EINTR else {
                let text = String(cString: strerror(reason))
                close(fd)
                throw CronFailure(.cannotWrite, "cannot lock '\(path)': \(text)")
            }
            let holder = LockHolder(text: readAll(fd))
            let who = holder.map { "another run (\($0.description))" } ?? "another run"
            if !wait {
                close(fd)
                throw CronFailure(.locked, "\(who) holds the lock of \(script); not running it twice "
                                  + "(--wait waits for it to finish; lock file \(path))")
            }
            if !announced {
                note("waiting for \(who) of \(script) to finish")
                announced = true
            }
            if shouldStop() {
                close(fd)
                throw CronFailure(.locked, "gave up waiting for \(who) to release the lock of \(script)")
            }
            usleep(100_000)
        }
        let stale = LockHolder(text: readAll(fd))
        if let s = stale {
            note("cleared a stale lock of \(script) left by a run that is no longer running (\(s.description))")
        }
        let me = LockHolder(pid: getpid(), host: hostName(), started: isoNow(), script: script)
        _ = ftruncate(fd, 0)
        _ = pwriteAll(fd, Array(me.text.utf8))
        return RunLock(path: path, fd: fd, staleHolder: stale)
    }

    /// Empties the lock file and frees the lock.
    public func release() {
        guard fd >= 0 else { return }
        _ = ftruncate(fd, 0)
        close(fd)
        fd = -1
    }

    // MARK: - Helpers

    /// FNV-1a, 64 bits, as 16 hex digits: a stable short name for a path (not a security measure).
    public static func hash(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// A file-name-safe stem: the last path component without its extension, other characters as `_`.
    public static func fileStem(_ path: String) -> String {
        var name = path.split(separator: "/").last.map(String.init) ?? "script"
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = String(name[..<dot]) }
        let safe = name.unicodeScalars.map { u -> Character in
            (u.properties.isAlphabetic && u.isASCII) || ("0"..."9").contains(u) || u == "-" || u == "_" ? Character(u) : "_"
        }
        let stem = String(safe.prefix(40))
        return stem.isEmpty ? "script" : stem
    }

    public static func absolute(_ path: String) -> String {
        if let real = realpath(path, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        if path.hasPrefix("/") { return path }
        return FileManager.default.currentDirectoryPath + "/" + path
    }

    public static func hostName() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count - 1) == 0 else { return "localhost" }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The current time as `2026-11-23T07:00:02Z`.
    public static func isoNow() -> String { CivilTime.iso(unixSeconds: Int64(Date().timeIntervalSince1970)) }

    public static func makeDirectories(_ dir: String) throws(CronFailure) {
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw CronFailure(.cannotWrite, "cannot create the lock directory '\(dir)': \(error.localizedDescription)")
        }
    }

    public static func readAll(_ fd: Int32) -> String {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1024)
        var offset: off_t = 0
        while out.count < 65_536 {
            let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if n <= 0 { break }
            out += buf[0..<n]
            offset += off_t(n)
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func pwriteAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(offset)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}

/// UTC civil time for the ledger and lock files (no locale, no time zone).
public enum CivilTime {
    /// `2026-11-23T07:00:02Z`.
    public static func iso(unixSeconds t: Int64) -> String {
        let days = t >= 0 ? t / 86_400 : (t - 86_399) / 86_400
        let secs = t - days * 86_400
        let (y, m, d) = civil(days)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(secs / 3600)):\(two(secs % 3600 / 60)):\(two(secs % 60))Z"
    }

    /// Days since 1970-01-01 to (year, month, day) (Howard Hinnant's algorithm).
    public static func civil(_ z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Parses `2026-11-23T07:00:02Z` (or without seconds, or a bare date at midnight) as UTC.
    public static func parseISO(_ s: String) -> Int64? {
        var text = Substring(s)
        if text.hasSuffix("Z") { text = text.dropLast() }
        let parts = text.split(separator: "T", maxSplits: 1)
        guard let datePart = parts.first else { return nil }
        let ymd = datePart.split(separator: "-")
        guard ymd.count == 3, let y = Int64(ymd[0]), let m = Int64(ymd[1]), let d = Int64(ymd[2]),
              (1...12).contains(m), d >= 1, d <= 31 else { return nil }
        var seconds: Int64 = 0
        if parts.count == 2 {
            let hms = parts[1].split(separator: ":")
            guard hms.count >= 2, hms.count <= 3, let h = Int64(hms[0]), let mi = Int64(hms[1]),
                  (0...23).contains(h), (0...59).contains(mi) else { return nil }
            let s = hms.count == 3 ? Int64(hms[2]) : 0
            guard let sec = s, (0...60).contains(sec) else { return nil }
            seconds = h * 3600 + mi * 60 + sec
        }
        return daysFromCivil(y, m, d) * 86_400 + seconds
    }

    public static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
