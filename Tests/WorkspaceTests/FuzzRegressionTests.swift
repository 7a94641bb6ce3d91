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
