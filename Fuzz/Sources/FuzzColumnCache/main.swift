// Fuzzes the column cache reader. A valid cache of a small workspace is built once; each input is
// either a list of patches applied to it (first byte even: records of a 3-byte offset, a length
// byte and that many bytes) or, first byte odd, the whole cache file itself. Loading the workspace
// must then ignore the cache or read from it; reading every column of every set must not trap and
// gives one value per row; a damaged column is reported as the cache's damage (a session then stops
// before running anything), and a cache read without damage runs the probe without a trap.
#if canImport(Glibc)
import Glibc
#endif
import FuzzCommon
import PMOBase
import Portfolio
import Workspace

let directory: String = {
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    let dir = "\(base)/pmo-fuzz-cache-\(getpid())"
    mkdir(dir, 0o700)
    atexit { removeAll() }
    return dir
}()

let workspacePath = directory + "/work.pmodb"
let cachePath = workspacePath + "-columns"

func write(_ path: String, _ bytes: [UInt8]) {
    let tmp = path + ".tmp"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { FuzzFailure.fail("cannot write \(tmp)") }
    var off = 0
    while off < bytes.count {
        let n = bytes[off...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { FuzzFailure.fail("cannot write \(tmp)") }
        off += n
    }
    close(fd)
    // Replaced, not rewritten in place: a store of an earlier input may still map the old file.
    rename(tmp, path)
}

func read(_ path: String) -> [UInt8] {
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

func removeAll() {
    for suffix in ["", "-wal", "-shm", "-journal", "-columns", "-columns.tmp"] { unlink(workspacePath + suffix) }
    for (kind, _) in FuzzFixture.files { unlink(directory + "/csv/" + kind.setName + ".csv") }
    unlink(directory + "/csv/settings.csv")
    rmdir(directory + "/csv")
    rmdir(directory)
}

/// The fixture imported into a workspace, and the bytes of its column cache.
let validCache: [UInt8] = {
    _ = directory
    mkdir(directory + "/csv", 0o700)
    for (kind, text) in FuzzFixture.files { write(directory + "/csv/" + kind.setName + ".csv", Array(text.utf8)) }
    write(directory + "/csv/settings.csv", Array(FuzzFixture.settingsCSV.utf8))
    do {
        let ws = try Workspace.create(path: workspacePath)
        try ws.importFiles(ImportRequest(paths: [directory + "/csv"]))
        _ = try ws.loadStore(cache: .always)
        try ws.close()
    } catch {
        FuzzFailure.fail("cannot build the fuzz workspace: \(error)")
    }
    return read(cachePath)
}()

/// The cache file an input stands for.
func cacheBytes(_ input: [UInt8]) -> [UInt8] {
    guard let mode = input.first else { return validCache }
    if mode & 1 == 1 { return Array(input.dropFirst()) }
    var out = validCache
    var i = 1
    while i + 4 <= input.count, !out.isEmpty {
        let offset = (Int(input[i]) | Int(input[i + 1]) << 8 | Int(input[i + 2]) << 16) % out.count
        let length = Int(input[i + 3])
        i += 4
        for j in 0..<length where i + j < input.count && offset + j < out.count { out[offset + j] = input[i + j] }
        i += length
    }
    return out
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzColumnCache(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = validCache
    write(cachePath, cacheBytes(Array(UnsafeBufferPointer(start: data, count: size))))
    let store: PortfolioStore
    do {
        store = try Workspace.open(path: workspacePath, readOnly: true).loadStore(cache: .auto)
    } catch {
        FuzzFailure.fail("the workspace does not load beside a fuzzed cache: \(error)")
    }
    // Every column of every set, then the probe: a damaged column is none in every row.
    for k in EntityKind.allCases {
        let t = store.table(k)
        for c in t.columns {
            switch c.field.type {
            case .int, .money, .percent, .hours, .duration:
                if c.ints.count != t.count { FuzzFailure.fail("\(k.setName).\(c.field.name): \(c.ints.count) values for \(t.count) rows") }
            case .real:
                if c.reals.count != t.count { FuzzFailure.fail("\(k.setName).\(c.field.name): wrong length") }
            case .date, .reference, .id, .string:
                if c.codes.count != t.count { FuzzFailure.fail("\(k.setName).\(c.field.name): wrong length") }
            case .bool, .enumeration:
                if c.smalls.count != t.count { FuzzFailure.fail("\(k.setName).\(c.field.name): wrong length") }
            case .stringList:
                if c.lists.count != t.count { FuzzFailure.fail("\(k.setName).\(c.field.name): wrong length") }
            }
        }
    }
    if let failure = store.loadFailure {
        // Every column was read above: a session would stop before its first statement with this.
        if !failure.contains("column cache") { FuzzFailure.fail("a load failure that does not name the cache: \(failure)") }
        return 0
    }
    PortfolioProbe.run(on: store)
    return 0
}
