// Files of the fuzzers that work on disk: a private folder per process (under /dev/shm when it
// exists: no disk writes), whole-file writes and reads; a failure is a broken invariant.
#if canImport(Glibc)
import Glibc
#endif

public enum FuzzFiles {
    /// A new folder `pmo-fuzz-NAME-PID` for this process.
    public static func privateDirectory(_ name: String) -> String {
        let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        let dir = "\(base)/pmo-fuzz-\(name)-\(getpid())"
        mkdir(dir, 0o700)
        return dir
    }

    /// Writes `bytes` to `path` (created or truncated).
    public static func write(_ path: String, _ bytes: [UInt8]) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { FuzzFailure.fail("cannot write \(path)") }
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { FuzzFailure.fail("cannot write \(path)") }
            off += n
        }
        close(fd)
    }

    /// The bytes of `path`.
    public static func read(_ path: String) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { FuzzFailure.fail("cannot read \(path)") }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return out
    }

    /// The fixture's CSV files and settings written into `dir/csv`.
    public static func writeFixture(into dir: String) {
        mkdir(dir + "/csv", 0o700)
        for (kind, text) in FuzzFixture.files { write(dir + "/csv/" + kind.setName + ".csv", Array(text.utf8)) }
        write(dir + "/csv/settings.csv", Array(FuzzFixture.settingsCSV.utf8))
    }

    /// Removes what `writeFixture(into:)` wrote.
    public static func removeFixture(in dir: String) {
        for (kind, _) in FuzzFixture.files { unlink(dir + "/csv/" + kind.setName + ".csv") }
        unlink(dir + "/csv/settings.csv")
        rmdir(dir + "/csv")
    }
}
