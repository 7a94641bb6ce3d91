// Fuzzes the CSV loader: the input replaces one file of a small portfolio folder. The first byte
// chooses which: byte % 17 indexes `EntityKind.allCases` (people, portfolios, programs, projects,
// milestones, tasks, dependencies, resources, allocations, timesheets, risks, issues, status_reports,
// gates, changes, holidays), and 16 is settings.csv (the cases in FailCases/FuzzCSV were found with
// 16 files, before holidays: their replay test keeps that order); the rest of the input is the file. `PortfolioLoader.load(directory:)` must load or throw a
// `LoadError` with a message and a place; it must never trap. A portfolio that loads is then read
// in full by the probe script (every field and computed field), which must not trap either.
#if canImport(Glibc)
import Glibc
#endif
import FuzzCommon
import PMOBase
import Portfolio

/// The folder the fixture lives in for this process (under /dev/shm when it exists: no disk writes).
let directory: String = {
    let dir = FuzzFiles.privateDirectory("csv")
    for (kind, text) in FuzzFixture.files { FuzzFiles.write(dir + "/" + kind.setName + ".csv", Array(text.utf8)) }
    FuzzFiles.write(dir + "/settings.csv", Array(FuzzFixture.settingsCSV.utf8))
    atexit { cleanUp() }
    return dir
}()

let names = EntityKind.allCases.map { $0.setName + ".csv" } + ["settings.csv"]
/// The fixture's content of each file; nil where the fixture has no such file (the set is empty).
let originals: [[UInt8]?] = EntityKind.allCases.map { k in
    FuzzFixture.files.first { $0.0 == k }.map { Array($0.1.utf8) }
} + [Array(FuzzFixture.settingsCSV.utf8)]

func cleanUp() {
    for n in names { unlink(directory + "/" + n) }
    rmdir(directory)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    _ = directory
    let which = Int(data[0]) % names.count
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let path = directory + "/" + names[which]
    FuzzFiles.write(path, bytes)
    defer {
        if let original = originals[which] { FuzzFiles.write(path, original) } else { unlink(path) }
    }
    do {
        let store = try PortfolioLoader.load(directory: directory)
        PortfolioProbe.run(on: store)
    } catch {
        if error.message.isEmpty { FuzzFailure.fail("a LoadError without a message: \(error)") }
        if error.line < 0 || error.column < 0 { FuzzFailure.fail("a LoadError at a negative place: \(error)") }
        if error.file == path {
            // Lines end at LF, CRLF or a lone CR (CSVReader, RFC 4180).
            var lines = 1
            for (i, b) in bytes.enumerated() where b == 10 || (b == 13 && (i + 1 == bytes.count || bytes[i + 1] != 10)) { lines += 1 }
            if error.line > lines { FuzzFailure.fail("a LoadError at line \(error.line) of a file with \(lines) lines: \(error)") }
        }
        _ = error.description
    }
    return 0
}
