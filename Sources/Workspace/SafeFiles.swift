// Opening files the way a database does: only regular files (never a FIFO that would hang the
// open, a device, or a symbolic link planted where pmo's own file should be), and temporary files
// that cannot be predicted, are created exclusively beside their target, are locked while in use
// and are removed when a killed run left them behind.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public enum SafeFiles {
    /// Opens `path` when it is a regular file (not through a symbolic link, without blocking on a
    /// FIFO); -1 otherwise, with `errno` set (ELOOP for a link, EINVAL for anything else).
    public static func openRegular(_ path: String, _ flags: Int32, mode: mode_t = 0o644) -> Int32 {
        let fd = open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, mode)
        guard fd >= 0 else { return -1 }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            errno = EINVAL
            return -1
        }
        // Back to blocking reads and writes (O_NONBLOCK only kept the open itself from waiting).
        let fl = fcntl(fd, F_GETFL)
        if fl >= 0 { _ = fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) }
        return fd
    }

    /// What is at `path` without following a link: "a directory", "a symbolic link"..., nil for a
    /// regular file or nothing at all.
    public static func oddity(_ path: String) -> String? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a directory"
        case S_IFLNK: return "a symbolic link"
        case S_IFIFO: return "a FIFO"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }

    /// 16 random hexadecimal digits.
    public static func randomSuffix() -> String {
        let v = UInt64.random(in: 0...UInt64.max)
        let hex = String(v, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Temporary files beside a target: `TARGET.tmp-<16 random hex digits>`.
enum TemporaryFiles {
    static let marker = ".tmp-"

    /// Creates one exclusively (never through a link), locked for as long as it is open.
    static func create(beside target: String) throws(WorkspaceError) -> (fd: Int32, path: String) {
        for _ in 0..<8 {
            let path = target + marker + SafeFiles.randomSuffix()
            let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if fd < 0 && errno == EEXIST { continue }
            guard fd >= 0 else { break }
            _ = flock(fd, LOCK_EX | LOCK_NB)
            return (fd, path)
        }
        throw WorkspaceError(.cannotWrite, "cannot create a temporary file beside '\(target)': \(InputFiles.errnoText())")
    }

    /// Removes the temporary files of `target` that nobody holds any more (left by a killed run).
    static func removeStale(beside target: String) {
        let slash = target.lastIndex(of: "/")
        let dir = slash.map { $0 == target.startIndex ? "/" : String(target[..<$0]) } ?? "."
        let prefix = (slash.map { String(target[target.index(after: $0)...]) } ?? target) + marker
        guard let d = opendir(dir) else { return }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafePointer(to: e.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasPrefix(prefix) { names.append(name) }
            if names.count >= 1000 { break }
        }
        closedir(d)
        for name in names {
            let path = dir + "/" + name
            let fd = SafeFiles.openRegular(path, O_RDONLY)
            guard fd >= 0 else { continue }
            // A file still locked is being written by a live run; one nobody locks was left behind.
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                var held = stat(), there = stat()
                if fstat(fd, &held) == 0, lstat(path, &there) == 0, held.st_ino == there.st_ino, held.st_dev == there.st_dev {
                    unlink(path)
                }
            }
            close(fd)
        }
    }
}
