// Inputs the engine and CSV fuzzers found (Fuzz/FailCases/FuzzEngine, FuzzCSV), each replayed by a
// named test against the same small portfolio the fuzzers use (Fixture.files here is FuzzFixture
// there). See Fuzz/README.md and RELIABILITY.md.
import Foundation
import Testing
import PMOBase
import PMOSyntax
import Portfolio
@testable import PMORuntime

@Suite struct EngineFuzzRegressionTests {
    static let failCases = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/FailCases")

    static func bytes(_ target: String, _ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: failCases.appendingPathComponent(target).appendingPathComponent(name)))
    }

    /// The sets in the order FuzzCSV's first byte selected them when these cases were found
    /// (`byte % 16`), settings.csv last; holidays.csv came later and is not among them.
    static let csvNames = EntityKind.allCases.filter { $0 != .holiday }.map { $0.setName + ".csv" } + ["settings.csv"]

    /// Loads the fixture folder with one file replaced as FuzzCSV does: the first byte chooses it.
    static func loadCSVCase(_ input: [UInt8]) throws -> Result<PortfolioStore, LoadError> {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-fuzzcsv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, text) in Fixture.files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        let name = csvNames[Int(input[0]) % csvNames.count]
        try Data(input.dropFirst()).write(to: dir.appendingPathComponent(name))
        do { return .success(try PortfolioLoader.load(directory: dir.path)) } catch { return .failure(error) }
    }

    /// A programs.csv whose lines end in lone carriage returns (73 of them, and 5 line feeds): the
    /// loader counts a lone CR as a line end, as RFC 4180 readers do, so the error is on line 78. The
    /// fuzzer's own line count had forgotten lone CRs.
    @Test func loneCarriageReturnsEndLines() throws {
        let input = try EngineFuzzRegressionTests.bytes("FuzzCSV", "lone-carriage-returns-end-lines")
        #expect(EngineFuzzRegressionTests.csvNames[Int(input[0]) % 16] == "programs.csv")
        guard case .failure(let e) = try EngineFuzzRegressionTests.loadCSVCase(input) else {
            Issue.record("the file loaded")
            return
        }
        #expect(e.file.hasSuffix("/programs.csv"))
        // Since issue 14 the file's first problem is its byte 0xF8, which is not UTF-8 (line 2 after a lone CR).
        #expect(e.line == 2 && e.column == 1)
        #expect(e.message.hasPrefix("the file is not valid UTF-8: byte 0xF8 here is not text"))
        // The same bytes said to be latin1 (so every byte is text) stop at the quote on line 78, column 40.
        let text = try TextDecoding.utf8(Array(input.dropFirst()), encoding: .latin1)
        guard case .failure(let q) = try EngineFuzzRegressionTests.loadCSVCase([input[0]] + text) else {
            Issue.record("the file loaded")
            return
        }
        #expect(q.line == 78 && q.column == 40, "\(q)")
        #expect(q.message == "unexpected character after a closing quote (a quote inside a quoted field is written \"\")")
    }

    /// Every kept CSV fail case loads or fails with a place inside its file.
    @Test(arguments: (try? FileManager.default.contentsOfDirectory(atPath: failCases.appendingPathComponent("FuzzCSV").path))?.sorted() ?? [])
    func csvFailCaseLoadsOrFailsWithAPlace(_ name: String) throws {
        let input = try EngineFuzzRegressionTests.bytes("FuzzCSV", name)
        guard !input.isEmpty else { return }
        if case .failure(let e) = try EngineFuzzRegressionTests.loadCSVCase(input) {
            #expect(!e.message.isEmpty && e.line >= 0 && e.column >= 0)
        }
    }
}
