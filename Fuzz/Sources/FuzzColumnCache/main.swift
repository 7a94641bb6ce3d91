// Fuzzes the column cache reader. A valid cache of a small workspace is built once; each input is
// either a list of patches applied to it (first byte even: records of a 3-byte offset, a length
// byte and that many bytes) or, first byte odd, the whole cache file itself. Loading the workspace
// must then ignore the cache or read from it: the probe (every field, relationship and computed field
// of every set) runs without a trap or error; every column of every set has one value per row; and
// every value equals the workspace's read without the cache (damage the checksums or the value
// checks find is read from SQLite instead: never a wrong answer).
#if canImport(Glibc)
import Glibc
#endif
import FuzzCommon
import PMOBase
import Portfolio
import PMORuntime
import Workspace

let directory: String = {
    let dir = FuzzFiles.privateDirectory("cache")
    atexit { removeAll() }
    return dir
}()

let workspacePath = directory + "/work.pmodb"
let cachePath = workspacePath + "-columns"

/// Replaces `path` by a new file, not rewriting it in place: a store of an earlier input may still map the old one.
func replace(_ path: String, _ bytes: [UInt8]) {
    FuzzFiles.write(path + ".tmp", bytes)
    rename(path + ".tmp", path)
}

func removeAll() {
    for suffix in ["", "-wal", "-shm", "-journal", "-columns", "-columns.tmp"] { unlink(workspacePath + suffix) }
    FuzzFiles.removeFixture(in: directory)
    rmdir(directory)
}

/// The fixture imported into a workspace, and the bytes of its column cache.
let validCache: [UInt8] = {
    FuzzFiles.writeFixture(into: directory)
    do {
        let ws = try Workspace.create(path: workspacePath)
        try ws.importFiles(ImportRequest(paths: [directory + "/csv"]))
        _ = try ws.loadStore(cache: .always)
        try ws.close()
    } catch {
        FuzzFailure.fail("cannot build the fuzz workspace: \(error)")
    }
    return FuzzFiles.read(cachePath)
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

/// Every value of every set as CSV text, and the settings.
func snapshot(_ store: PortfolioStore) -> [String] {
    var out: [String] = []
    for k in EntityKind.allCases {
        var w = CSVWriter()
        TableCSV.write(store, k, into: &w)
        out.append(String(decoding: w.bytes, as: UTF8.self))
    }
    out.append("\(store.currency) \(store.fiscalYearStartMonth) \(String(describing: store.statusDate)) \(store.thresholds.green) \(store.thresholds.amber)")
    return out
}

/// The workspace read without its cache.
let reference: [String] = {
    _ = validCache
    do {
        return snapshot(try Workspace.open(path: workspacePath, readOnly: true).loadStore(cache: .never))
    } catch {
        FuzzFailure.fail("cannot read the fuzz workspace: \(error)")
    }
}()

func load() -> PortfolioStore {
    do {
        return try Workspace.open(path: workspacePath, readOnly: true).loadStore(cache: .auto)
    } catch {
        FuzzFailure.fail("the workspace does not load beside a fuzzed cache: \(error)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzColumnCache(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = validCache
    replace(cachePath, cacheBytes(Array(UnsafeBufferPointer(start: data, count: size))))
    // The probe first, on a fresh store: columns are read as its statements need them, so damage is
    // found in the middle of a statement, which must finish without a trap on the columns read as
    // none; the run then stops with the cache's damage (a message without a place in the script).
    PortfolioProbe.run(on: load(), accepting: { _ in false })
    // Then every column of every set of another fresh store: one value per row, damage named.
    let store = load()
    for k in EntityKind.allCases {
        let t = store.table(k)
        for c in t.columns {
            let n: Int
            switch c.field.type {
            case .int, .money, .percent, .hours, .duration: n = c.ints.count
            case .real: n = c.reals.count
            case .date, .reference, .id, .string: n = c.codes.count
            case .bool, .enumeration: n = c.smalls.count
            case .stringList: n = c.lists.count
            }
            if n != t.count { FuzzFailure.fail("\(k.setName).\(c.field.name): \(n) values for \(t.count) rows") }
        }
    }
    // A cache never gives another answer than the workspace: damage the checksums or the value checks
    // find is read from SQLite instead.
    if let failure = store.loadFailure { FuzzFailure.fail("a load failure beside a fuzzed cache: \(failure)") }
    if snapshot(store) != reference { FuzzFailure.fail("the store read beside a fuzzed cache differs from the workspace's") }
    return 0
}
