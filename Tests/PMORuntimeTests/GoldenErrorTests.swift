// Golden files for rendered check errors: each Golden/NAME.pmo renders exactly as Golden/NAME.txt.
import Foundation
import Testing
import PMOSyntax
@testable import PMORuntime

@Suite struct GoldenErrorTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let cases: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
        .filter { $0.hasSuffix(".pmo") }.map { String($0.dropLast(4)) }.sorted()

    @Test func thereAreGoldenFiles() { #expect(Self.cases.count >= 10) }

    /// Renders the errors of `NAME.pmo` and compares them with `NAME.txt`; `PMO_RECORD=1` rewrites the file.
    @Test(arguments: cases)
    func golden(_ name: String) throws {
        let source = try String(contentsOf: Self.dir.appendingPathComponent(name + ".pmo"), encoding: .utf8)
        let r = Fixture.run(source, fileName: name + ".pmo")
        #expect(!r.diagnostics.isEmpty, "\(name) should not check")
        let golden = Self.dir.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["PMO_RECORD"] == "1" || !FileManager.default.fileExists(atPath: golden.path) {
            try r.rendered.write(to: golden, atomically: true, encoding: .utf8)
            Issue.record("recorded \(name).txt; review it and run again")
            return
        }
        let want = try String(contentsOf: golden, encoding: .utf8)
        #expect(r.rendered == want, "\(name):\n\(r.rendered)")
    }
}
