// Outputs never replace pmo's own files. `--output`, `export ... to`, `pmo export --to`, `pmo runs
// --output` and findings files are written through AtomicFile, which asks here first: a target that
// is a workspace (any SQLite database), its WAL, shared-memory or journal file, a column cache, or a
// lock file of a workspace is refused (exit 74), whatever name or link it is reached by.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

enum OutputGuard {
    /// Throws exit 74 when `path` must not be written.
    static func check(_ path: String) throws(HostFailure) {
        if let why = refusal(path) {
            throw HostFailure(.cannotWrite, "will not write there: \(why); choose another output file")
        }
    }

    /// Why `path` must not be written, or nil.
    static func refusal(_ path: String) -> String? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let dir = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) : "."
        // By name: a companion of a workspace that exists, or a file in a workspace's lock directory.
        for suffix in ["-wal", "-shm", "-journal", "-columns"] where name.hasSuffix(suffix) {
            let base = String(path.dropLast(suffix.count))
            if !base.isEmpty, !base.hasSuffix("/"), isDatabase(base) {
                return "'\(path)' is the \(what(suffix)) of workspace '\(base)'"
            }
        }
        if dir.hasSuffix(".locks") && name.hasSuffix(".lock") {
            return "'\(path)' is a lock file of workspace '\(String(dir.dropLast(".locks".count)))'"
        }
        // By content (whatever the name, or a link to it): a database, a WAL, a column cache.
        let head = firstBytes(path, 16)
        if head.starts(with: Array("SQLite format 3".utf8) + [0]) { return "'\(path)' is a database (a pmo workspace?)" }
        let walMagic: [[UInt8]] = [[0x37, 0x7f, 0x06, 0x82], [0x37, 0x7f, 0x06, 0x83]]
        if head.count >= 4, walMagic.contains(Array(head[0..<4])) {
            return "'\(path)' is the WAL file of a database"
        }
        if head.starts(with: Array("PMOCOL".utf8)) { return "'\(path)' is a column cache of a workspace" }
        return nil
    }

    static func what(_ suffix: String) -> String {
        switch suffix {
        case "-wal": return "WAL file"
        case "-shm": return "shared-memory file"
        case "-journal": return "journal"
        default: return "column cache"
        }
    }

    /// Whether `path` is an SQLite database (by its first 16 bytes).
    static func isDatabase(_ path: String) -> Bool {
        firstBytes(path, 16).starts(with: Array("SQLite format 3".utf8) + [0])
    }

    /// Up to `n` bytes from the start of a regular file (following links: the target is what would
    /// be replaced), without blocking on a FIFO.
    static func firstBytes(_ path: String, _ n: Int) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return [] }
        var buf = [UInt8](repeating: 0, count: n)
        let got = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, n, 0) }
        return got > 0 ? Array(buf[0..<got]) : []
    }
}
