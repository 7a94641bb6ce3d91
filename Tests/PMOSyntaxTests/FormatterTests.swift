// `pmo fmt` (Formatter.swift) over every example script, and the layout rule that a line beginning with
// a stage keyword continues the pipeline above it (language.md "Layout").
import Foundation
import Testing
@testable import PMOSyntax

@Suite struct FormatterTests {
    /// Every examples/**/*.pmo.
    static func allExamples() -> [String] {
        let root = String(#filePath).split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/")
        let base = root + "/examples"
        guard let e = FileManager.default.enumerator(atPath: base) else { return [] }
        return e.compactMap { $0 as? String }.filter { $0.hasSuffix(".pmo") }.sorted().map { base + "/" + $0 }
    }

    static func commentLines(_ s: String) -> [String] {
        s.split(separator: "\n").compactMap { line in line.firstIndex(of: "#").map { String(line[$0...]) } }
    }

    @Test func formatsEveryExampleIdempotentlyKeepingCommentsAndMeaning() throws {
        let files = FormatterTests.allExamples()
        #expect(files.count >= 20)
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else { Issue.record("cannot read \(path)"); continue }
            let original = String(decoding: data, as: UTF8.self)
            let (once, d1) = Formatter.format(SourceFile(id: 0, name: path, bytes: Array(data)))
            guard let once else { Issue.record("\(path) does not format: \(d1)"); continue }
            let (twice, _) = Formatter.format(SourceFile(id: 0, name: path, bytes: Array(once.utf8)))
            #expect(twice == once, "\(path): formatting twice changes it")
            #expect(FormatterTests.commentLines(once) == FormatterTests.commentLines(original), "\(path): comments changed")
            let (a, _) = Parser.parse(SourceFile(id: 0, name: path, bytes: Array(data)))
            let (b, e) = Parser.parse(SourceFile(id: 0, name: path, bytes: Array(once.utf8)))
            #expect(e.isEmpty, "\(path): \(e)")
            #expect(Printer.print(a) == Printer.print(b), "\(path): formatting changed the meaning")
        }
    }

    @Test(arguments: [
        ("# head\n\n\nPROJECTS  ORDER BY bac   # why\n\n# tail\n", "# head\n\nPROJECTS | sort bac  # why\n\n# tail\n"),
        ("let x = 1;let y = 2\n", "let x = 1\nlet y = 2\n"),
        ("projects where status = red\n  # kept verbatim\n  | take 3\n", "projects where status = red\n  # kept verbatim\n  | take 3\n"),
    ])
    func formatsText(_ input: String, _ want: String) {
        let (got, d) = Formatter.format(SourceFile(id: 0, name: "t.pmo", bytes: Array(input.utf8)))
        #expect(got == want, "\(d)")
    }

    /// A line that begins with a stage keyword continues the pipeline above it; `as of` in the first
    /// column is the statement, indented it is a stage.
    @Test(arguments: [
        ("projects WHERE status = red AND bac >= 1M USD\n  SORT bac DESC, id\n  TAKE 7\n", "projects where status = red and bac >= $1000000 | sort bac desc, id | take 7"),
        ("projects\nwhere a\nselect b\n", "projects where a | select b"),
        ("let x = projects\n  extend o = 1\n", "let x = projects | extend o = 1"),
        ("count(projects)\nas of 2026-09-30\n", "count(projects)\nas of 2026-09-30"),
        ("projects\n  as of 2026-09-30\n", "projects | as of 2026-09-30"),
    ])
    func stageKeywordContinues(_ input: String, _ want: String) {
        let (script, d) = Parser.parse(SourceFile(id: 0, name: "t.pmo", bytes: Array(input.utf8)))
        #expect(d.isEmpty)
        #expect(script.statements.map(Printer.print).joined(separator: "\n") == want)
    }
}
