// Inputs the import fuzzers found (Fuzz/FailCases/FuzzMSPDI, FuzzCSV), each replayed by a named
// test: the import fails as bad data with a place, and the workspace is left exactly as it was.
// See Fuzz/README.md and RELIABILITY.md.
import Foundation
import Testing
import PMOBase
import Portfolio
@testable import Workspace

@Suite struct WorkspaceFuzzRegressionTests {
    static let failCases = Paths.root.appendingPathComponent("Fuzz/FailCases")

    /// Imports `xml` as the tasks of PRJ-0001 into a demo workspace; returns the error and whether the
    /// workspace is unchanged.
    func importMSPDI(_ dir: TempDir, _ xml: String) throws -> (WorkspaceError?, unchanged: Bool) {
        let ws = try demoWorkspace(dir)
        let before = snapshot(try ws.loadStore())
        let e = failure { () throws(WorkspaceError) in try ws.importFiles(ImportRequest(paths: [xml], project: "PRJ-0001")) }
        return (e, snapshot(try ws.loadStore()) == before)
    }

    /// 50,000 unclosed elements: releasing the half-built tree recursed once per level and overflowed
    /// the stack (a crash in the fuzzer, and `pmo import` died of SIGSEGV on deeper files). Nesting is
    /// now limited to 200 levels, as JSON's is.
    @Test func deeplyNestedElements() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let xml = dir.file("deep.xml")
        try FileManager.default.copyItem(atPath: WorkspaceFuzzRegressionTests.failCases.appendingPathComponent("FuzzMSPDI/deeply-nested-elements").path,
                                         toPath: xml)
        let (e, unchanged) = try importMSPDI(dir, xml)
        #expect(e?.kind == .badData)
        #expect(e?.message == "not well-formed XML: elements nested more than 200 levels deep")
        #expect(e?.location?.line == 1 && e?.location?.column == 607, "\(String(describing: e?.location))")
        #expect(unchanged)
    }

    /// The same with every element closed, 300,000 levels deep (a 2 MB file).
    @Test func deeplyNestedClosedElements() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let n = 300_000
        let text = "<?xml version=\"1.0\"?>\n<Project>" + String(repeating: "<a>", count: n) + String(repeating: "</a>", count: n) + "</Project>\n"
        let xml = try dir.write("deep.xml", text)
        let (e, unchanged) = try importMSPDI(dir, xml)
        #expect(e?.kind == .badData)
        #expect(e?.location?.line == 2)
        #expect(unchanged)
    }

    /// Nesting up to the limit is fine (and such a file simply holds no tasks).
    @Test func nestingAtTheLimitIsAccepted() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let n = XMLReader.maxDepth - 1
        let xml = try dir.write("ok.xml", "<Project>" + String(repeating: "<a>", count: n) + String(repeating: "</a>", count: n) + "</Project>")
        let (e, _) = try importMSPDI(dir, xml)
        #expect(e == nil, "\(String(describing: e))")
    }
}

/// Every kept FuzzColumnCache input (Fuzz/FailCases/FuzzColumnCache, including any added later)
/// replayed as the fuzzer reads it, on a demo workspace's cache: the cache is patched (first byte
/// even: records of a 3-byte offset, a length byte and that many bytes) or replaced (first byte odd),
/// and the workspace must then load without error and answer exactly as it does without its cache.
@Suite struct ColumnCacheFailCaseReplay {
    static let directory = WorkspaceFuzzRegressionTests.failCases.appendingPathComponent("FuzzColumnCache")

    static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// The fuzzer's reading of an input as a cache file (FuzzColumnCache/main.swift, `cacheBytes`).
    static func cacheBytes(_ input: [UInt8], valid: [UInt8]) -> [UInt8] {
        guard let mode = input.first else { return valid }
        if mode & 1 == 1 { return Array(input.dropFirst()) }
        var out = valid
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

    @Test func theFailCasesAreThere() {
        #expect(Self.names.count >= 2, "Fuzz/FailCases/FuzzColumnCache is missing or empty")
    }

    @Test(arguments: names)
    func replay(_ name: String) throws {
        let input = Array(try Data(contentsOf: Self.directory.appendingPathComponent(name)))
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let truth = snapshot(try ws.loadStore(cache: .never))
        _ = try ws.loadStore(cache: .always)
        let cache = ColumnCacheFormat.path(of: ws.path)
        let valid = Array(try Data(contentsOf: URL(fileURLWithPath: cache)))
        try Data(Self.cacheBytes(input, valid: valid)).write(to: URL(fileURLWithPath: cache))
        let store = try ws.loadStore()
        #expect(store.loadFailure == nil, "\(name)")
        #expect(snapshot(store) == truth, "\(name): the cache gave other answers than the workspace")
    }
}
