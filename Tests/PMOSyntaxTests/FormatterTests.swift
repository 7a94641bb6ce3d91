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
        // Goldens (issue 12): stages written one per line stay one per line; money keeps its short form.
        ("projects WHERE status = red AND bac >= 1M USD\n  SORT bac DESC, id\n  TAKE 7\n",
         "projects where status = red and bac >= $1M\n  sort bac desc, id\n  take 7\n"),
        ("let big = projects where bac > $1M\n    | extend h = bac - ac   # headroom\n",
         "let big = projects where bac > $1M\n  extend h = bac - ac  # headroom\n"),
        ("projects\nwhere a\nselect b\n", "projects\n  where a\n  select b\n"),
        ("projects where a |\n  sort b | take 3\n", "projects where a\n  sort b | take 3\n"),
        ("print projects\n  | count\n", "print projects\n  aggregate count = count()\n"),
        ("export projects where bac > 2.5M EUR\n  select id to \"a.csv\"\n", "export projects where bac > €2.5M\n  select id to \"a.csv\"\n"),
        ("$1000000 + $1500000 + $250000 + $2000000000 + $1000 + $999 + $1234567.5 + -$3000000 + 1200k CHF\n",
         "$1M + $1.5M + $250k + $2B + $1000 + $999 + $1234567.5 + -$3M + 1.2M CHF\n"),
        ("projects | take 3\n", "projects | take 3\n"),
    ])
    func formatsText(_ input: String, _ want: String) {
        let (got, d) = Formatter.format(SourceFile(id: 0, name: "t.pmo", bytes: Array(input.utf8)))
        #expect(got == want, "\(d)")
        // Idempotent, and the same meaning as the input.
        let (again, _) = Formatter.format(SourceFile(id: 0, name: "t.pmo", bytes: Array((got ?? "").utf8)))
        #expect(again == got)
        let (a, _) = Parser.parse(SourceFile(id: 0, name: "t.pmo", bytes: Array(input.utf8)))
        let (b, _) = Parser.parse(SourceFile(id: 0, name: "t.pmo", bytes: Array((got ?? "").utf8)))
        #expect(Printer.print(a) == Printer.print(b))
    }

    /// A line that begins with a stage keyword continues the pipeline above it; `as of` in the first
    /// column is the statement, indented it is a stage.
    @Test(arguments: [
        ("projects WHERE status = red AND bac >= 1M USD\n  SORT bac DESC, id\n  TAKE 7\n", "projects where status = red and bac >= $1M | sort bac desc, id | take 7"),
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
