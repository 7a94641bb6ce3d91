// Fuzzes the MS Project XML (MSPDI) import into a workspace. The input is imported as the tasks of
// project PRJ-1 of a small workspace; the import must either succeed (and the workspace then loads
// and reads in full) or fail with a bad-data or usage error and leave every row and setting exactly
// as it was. Nothing may trap.
#if canImport(Glibc)
import Glibc
#endif
import FuzzCommon
import PMOBase
import Portfolio
import Workspace

let directory: String = {
    let dir = FuzzFiles.privateDirectory("mspdi")
    atexit { removeAll() }
    return dir
}()

let workPath = directory + "/work.pmodb"
let pristinePath = directory + "/pristine.pmodb"
let inputPath = directory + "/input.xml"

func removeWorkspace(_ path: String) {
    for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
}

func removeAll() {
    removeWorkspace(workPath)
    removeWorkspace(pristinePath)
    unlink(inputPath)
    FuzzFiles.removeFixture(in: directory)
    rmdir(directory)
}

/// Every row of every set and the settings, as text: two equal snapshots mean equal data.
func snapshot(_ ws: Workspace) -> [UInt8] {
    let store: PortfolioStore
    do { store = try ws.loadStore() } catch { FuzzFailure.fail("the workspace does not load: \(error)") }
    var out: [UInt8] = []
    for k in EntityKind.allCases {
        out += Array(k.setName.utf8) + [10]
        out += EntityExport.bytes(store, k, .csv)
    }
    out += Array("\(store.currency) \(store.fiscalYearStartMonth) \(store.statusDate?.description ?? "-")".utf8)
    return out
}

/// The fixture imported into a new workspace, closed, and kept as the pristine copy; its snapshot.
let pristineSnapshot: [UInt8] = {
    FuzzFiles.writeFixture(into: directory)
    removeWorkspace(pristinePath)
    var snap: [UInt8] = []
    do {
        let ws = try Workspace.create(path: pristinePath)
        try ws.importFiles(ImportRequest(paths: [directory + "/csv"]))
        snap = snapshot(ws)
    } catch {
        FuzzFailure.fail("cannot build the fuzz workspace: \(error)")
    }
    return snap
}()

let pristineBytes: [UInt8] = { _ = pristineSnapshot; return FuzzFiles.read(pristinePath) }()

/// The workspace the inputs are imported into; reset to the pristine copy after a successful import.
var workspace: Workspace?

func openWork() -> Workspace {
    if let ws = workspace { return ws }
    removeWorkspace(workPath)
    FuzzFiles.write(workPath, pristineBytes)
    do {
        let ws = try Workspace.open(path: workPath, readOnly: false)
        workspace = ws
        return ws
    } catch {
        FuzzFailure.fail("cannot open the fuzz workspace: \(error)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMSPDI(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let ws = openWork()
    FuzzFiles.write(inputPath, bytes)
    do {
        try ws.importFiles(ImportRequest(paths: [inputPath], project: "PRJ-1"))
        // It went in: the workspace must load and read in full; then start again from the pristine copy.
        let store: PortfolioStore
        do { store = try ws.loadStore() } catch { FuzzFailure.fail("the workspace does not load after an import: \(error)") }
        PortfolioProbe.run(on: store)
        workspace = nil
    } catch {
        switch error.kind {
        case .badData, .usage: break
        default: FuzzFailure.fail("the import failed with \(error.kind), not as bad data: \(error)")
        }
        if error.message.isEmpty { FuzzFailure.fail("an import error without a message") }
        guard snapshot(ws) == pristineSnapshot else {
            FuzzFailure.fail("a failed import changed the workspace: \(error)")
        }
    }
    return 0
}
