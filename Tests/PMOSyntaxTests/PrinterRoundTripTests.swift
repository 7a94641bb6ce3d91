// Printer tests: parse → print gives the canonical text, printing is idempotent, and the fully
// parenthesized debug form shows how precedence grouped each expression.
import Testing
import Foundation
import PMOBase
@testable import PMOSyntax

/// One row: input text and its canonical form (`nil`: the input is already canonical).
struct PrintRow: Sendable, CustomTestStringConvertible {
    var input: String
    var canonical: String
    init(_ input: String, _ canonical: String? = nil) { self.input = input; self.canonical = canonical ?? input }
    var testDescription: String { input.debugDescription }
}

private func source(_ text: String) -> SourceFile { SourceFile(id: 0, name: "<test>", bytes: Array(text.utf8)) }

/// The canonical text of a script (statements joined by line breaks, no final one), or the diagnostics.
private func canonical(_ text: String) -> String {
    let (script, diagnostics) = Parser.parse(source(text))
    if !diagnostics.isEmpty { return "errors: " + diagnostics.map(\.message).joined(separator: "; ") }
    return script.statements.map { Printer.print($0) }.joined(separator: "\n")
}

private let literalRows: [PrintRow] = [
    PrintRow("42"), PrintRow("1_000_000", "1000000"), PrintRow("1.5M", "1500000"), PrintRow("250k", "250000"),
    PrintRow("3.14"), PrintRow("3.0"), PrintRow("0.25"), PrintRow("1_000.50", "1000.5"), PrintRow("0.00001"),
    PrintRow("123456.123456789"),
    PrintRow("$1.5M"), PrintRow("$1500000", "$1.5M"), PrintRow("€250k"), PrintRow("$1500"), PrintRow("$1234567.5"), PrintRow("£900"),
    PrintRow("$0.05"), PrintRow("250k EUR", "€250k"), PrintRow("1500 CHF"), PrintRow("100USD", "$100"),
    PrintRow("85%"), PrintRow("12.5%"), PrintRow("0.01%"), PrintRow("100%"),
    PrintRow("2026-11-22"), PrintRow("2026-11"), PrintRow("2026-Q4"), PrintRow("2026-W07"), PrintRow("FY2026"),
    PrintRow("fy2026", "FY2026"),
    PrintRow("30d"), PrintRow("2w"), PrintRow("3mo"), PrintRow("1y"), PrintRow("10bd"),
    PrintRow("\"hello\""), PrintRow("'single'", "\"single\""), PrintRow("'a \"quoted\" word'", "\"a \\\"quoted\\\" word\""),
    PrintRow("\"tab\\there\""), PrintRow("\"line\\nbreak\""), PrintRow("\"back\\\\slash\""),
    PrintRow("\"{{braces}}\""), PrintRow("\"\\{x\\}\"", "\"{{x}}\""), PrintRow("\"lone } brace\"", "\"lone }} brace\""),
    PrintRow("\"\\u{1F600}\"", "\"😀\""), PrintRow("\"\\u{7}\"", "\"\\u{7}\""),
    PrintRow("TRUE", "true"), PrintRow("false"), PrintRow("None", "none"), PrintRow("today"), PrintRow("this"),
]

private let expressionRows: [PrintRow] = [
    PrintRow("1 + 2 * 3"), PrintRow("(1 + 2) * 3"), PrintRow("1 - (2 - 3)"), PrintRow("(1 - 2) - 3", "1 - 2 - 3"),
    PrintRow("a / b / c"), PrintRow("a / (b / c)"), PrintRow("-a"), PrintRow("-(a + b)"), PrintRow("- - a", "--a"),
    PrintRow("-a.b"), PrintRow("(-a).b"), PrintRow("a ?? b ?? c"), PrintRow("(a ?? b) ?? c"),
    PrintRow("a ?? b + c"), PrintRow("(a ?? b) + c"),
    PrintRow("a or b and c"), PrintRow("(a or b) and c"), PrintRow("not a and b"), PrintRow("not (a and b)"),
    PrintRow("not a = b"), PrintRow("(not a) = b"), PrintRow("not not a"), PrintRow("a = (b = c)"),
    PrintRow("a and b or c and d"), PrintRow("(a or b) = c", "(a or b) = c"),
    PrintRow("x between 1 and 10"), PrintRow("x not between a + 1 and b * 2"), PrintRow("x BETWEEN 1 AND 2 and y", "x between 1 and 2 and y"),
    PrintRow("x between (a and b) and c"), PrintRow("x in [1, 2, 3]"), PrintRow("x not in [a, b]"),
    PrintRow("status in [planning, execution]"), PrintRow("x is none"), PrintRow("x IS NOT NONE", "x is not none"),
    PrintRow("name contains \"x\""), PrintRow("name starts with \"A\""), PrintRow("name ends with \"z\""),
    PrintRow("name matches \"^P[0-9]+$\""), PrintRow("a == b", "a = b"), PrintRow("a <> b", "a != b"),
    PrintRow("a < b"), PrintRow("a <= b"), PrintRow("a > b"), PrintRow("a >= b"),
    PrintRow("(a ?? b) is none", "a ?? b is none"), PrintRow("a ?? (b is none)"), PrintRow("(a = b) is none"),
    PrintRow("program.portfolio.name"), PrintRow("2026-Q4.end"), PrintRow("r.utilization(w)"), PrintRow("x.order"),
    PrintRow("count()"), PrintRow("count(milestones where overdue)"), PrintRow("f(a, b)"),
    PrintRow("f((p | select a, b), c)"), PrintRow("f(c, p | select a, b)"), PrintRow("f(p where a, b)"),
    PrintRow("project \"PRJ-0042\""), PrintRow("project 'PRJ-0042'", "project \"PRJ-0042\""),
    PrintRow("[]"), PrintRow("[1, 2,]", "[1, 2]"), PrintRow("[[1], [2, [3]]]"), PrintRow("{}"),
    PrintRow("{id: \"P1\", bac: $2M}", "{id: \"P1\", bac: $2M}"),
    PrintRow("{\n  id: \"P1\",\n  name: \"Apollo\",\n}", "{id: \"P1\", name: \"Apollo\"}"),
    PrintRow("if a then b else c"), PrintRow("if a then b else if c then d else e"),
    PrintRow("if a then (if b then c else d) else e", "if a then if b then c else d else e"),
    PrintRow("(if a then b else c) + 1"), PrintRow("1 + (if a then b else c)"),
    PrintRow("if (if a then b else c) then d else e"), PrintRow("if a then (p where x) else q"),
    PrintRow("\"{name} is over budget by {ac - bac}\""), PrintRow("\"{count(big)} large projects\""),
    PrintRow("\"{ {a: 1} }\"", "\"{ {a: 1}}\""), PrintRow("\"{name ?? \"unnamed\"}!\""),
    PrintRow("\"{p where x | take 1}\""), PrintRow("\"a{{b}}{c}\""),
    PrintRow("(((1)))", "1"), PrintRow("(a)", "a"),
    PrintRow("today + 30d"), PrintRow("finish - start"), PrintRow("overrun(this)"),
]

private let pipelineRows: [PrintRow] = [
    PrintRow("projects where status = red | sort spi | take 5"),
    PrintRow("projects where status = red sort spi take 5", "projects where status = red | sort spi | take 5"),
    PrintRow("projects | where status = red", "projects where status = red"),
    PrintRow("projects | order by bac desc, name ASC | limit 3", "projects | sort bac desc, name | take 3"),
    PrintRow("projects | select program = program.name, n = count()"),
    PrintRow("projects | select (a = b)"), PrintRow("projects | select (a = b and c)"),
    PrintRow("projects | select x = a = b"), PrintRow("projects | select today = x", "projects | select today = x"),
    PrintRow("projects | extend u = utilization(w)"), PrintRow("projects | group by program.name, phase"),
    PrintRow("projects | aggregate n = count(), budget = sum(bac)"), PrintRow("projects | distinct"),
    PrintRow("projects | distinct program | take 3"), PrintRow("projects | distinct | take 3"),
    PrintRow("resources | expand w in weeks(2026-Q4) | extend u = utilization(w)"),
    PrintRow("status_reports | as of 2026-09-30"), PrintRow("projects as of 2026-09-30", "projects | as of 2026-09-30"),
    PrintRow("(projects where a) where b"), PrintRow("(projects where a) | take 1"),
    PrintRow("projects where (if a then b else c) | take 1", "projects where if a then b else c | take 1"),
    PrintRow("if a then b else c | take 1"), PrintRow("projects |\n  where a\n  | take 2", "projects where a | take 2"),
    PrintRow("projects where\n  status = red and\n  bac > 1", "projects where status = red and bac > 1"),
    PrintRow("projects where x between 1\n  and 2", "projects where x between 1 and 2"),
    PrintRow("projects | sort (p where x)"),
]

private let statementRows: [PrintRow] = [
    PrintRow("let big = projects where bac > $5M", "let big = projects where bac > $5M"),
    PrintRow("LET x = 1", "let x = 1"),
    PrintRow("def overrun(p) = p.ac - p.bac"), PrintRow("def f() = 1"), PrintRow("def g(a, b) = a + b"),
    PrintRow("def project.burn = ac / weeks(start, today)"),
    PrintRow("def band(p) = if p.bac >= $5M then \"large\"\n  else \"small\"", "def band(p) = if p.bac >= $5M then \"large\" else \"small\""),
    PrintRow("print \"{count(big)} large projects\""),
    PrintRow("export big | select id, name, bac to \"big.csv\""), PrintRow("export projects to \"{name}.csv\""),
    PrintRow("export projects | distinct to \"x.csv\""),
    PrintRow("use \"rules/common.pmo\""), PrintRow("use 'rules/common.pmo'", "use \"rules/common.pmo\""),
    PrintRow("as of 2026-09-30"), PrintRow("As Of today - 1d", "as of today - 1d"),
    PrintRow("assert count(projects where id is none) = 0, \"every project has an id\""), PrintRow("assert x"),
    PrintRow("explain cpi of project \"PRJ-0001\""), PrintRow("EXPLAIN utilization(2026-12) OF resource 'RES-007'", "explain utilization(2026-12) of resource \"RES-007\""),
    PrintRow("explain spi() of p", "explain spi of p"),
    PrintRow("let a = 1; let b = 2", "let a = 1\nlet b = 2"),
    PrintRow("\n\n# comment\nlet a = 1 # trailing\n\n;;\nprint a\n", "let a = 1\nprint a"),
]

struct PrinterRoundTripTests {
    @Test(arguments: literalRows + expressionRows + pipelineRows + statementRows)
    func printsCanonicalForm(_ row: PrintRow) {
        #expect(canonical(row.input) == row.canonical)
    }

    @Test(arguments: literalRows + expressionRows + pipelineRows + statementRows)
    func printingIsIdempotent(_ row: PrintRow) {
        let once = canonical(row.input)
        #expect(canonical(once) == once)
    }

    @Test(arguments: literalRows + expressionRows + pipelineRows + statementRows)
    func reparsedTreeIsTheSame(_ row: PrintRow) {
        let (first, d1) = Parser.parse(source(row.input))
        let (second, d2) = Parser.parse(source(Printer.print(first)))
        #expect(d1.isEmpty && d2.isEmpty)
        #expect(first.statements.map(SpanEraser.stmt) == second.statements.map(SpanEraser.stmt))
    }

    /// Rows `(input, fully parenthesized)`: how the parser grouped the operators.
    static let precedenceRows: [(String, String)] = [
        ("1 + 2 * 3", "1 + (2 * 3)"),
        ("1 * 2 + 3", "(1 * 2) + 3"),
        ("1 - 2 - 3", "(1 - 2) - 3"),
        ("a ?? b ?? c", "a ?? (b ?? c)"),
        ("a ?? b + c", "a ?? (b + c)"),
        ("a + b ?? c", "(a + b) ?? c"),
        ("-a * b", "(-a) * b"),
        ("-a.b", "-a.b"),
        ("(-a).b", "(-a).b"),
        ("a or b and c", "a or (b and c)"),
        ("a and b or c", "(a and b) or c"),
        ("not a and b", "(not a) and b"),
        ("not a = b", "not (a = b)"),
        ("not not a", "not (not a)"),
        ("a = b and c = d", "(a = b) and (c = d)"),
        ("a + 1 = b * 2", "(a + 1) = (b * 2)"),
        ("a ?? 0 > 5", "(a ?? 0) > 5"),
        ("x between 1 and 2 and y", "(x between 1 and 2) and y"),
        ("x between a + 1 and b ?? 2", "x between (a + 1) and (b ?? 2)"),
        ("x in [1, 2] or y", "(x in [1, 2]) or y"),
        ("x is not none and y is none", "(x is not none) and (y is none)"),
        ("a contains b or c starts with d", "(a contains b) or (c starts with d)"),
        ("not x in [1]", "not (x in [1])"),
        ("x not in [1] and y", "(x not in [1]) and y"),
        ("if a then b else c + 1", "if a then b else (c + 1)"),
        ("1 + if a then b else c", "1 + (if a then b else c)"),
        ("today + 30d > finish", "(today + 30d) > finish"),
        ("sum(ev) / sum(ac)", "sum(ev) / sum(ac)"),
        ("f(a + b, c * d)", "f((a + b), (c * d))"),
    ]

    @Test(arguments: precedenceRows)
    func precedenceGroupsAsSpecified(_ row: (String, String)) {
        let (expr, diagnostics) = Parser.parseExpression(source(row.0))
        #expect(diagnostics.isEmpty)
        #expect(expr.map(Printer.printParenthesized) == row.1)
    }

    @Test func scriptPrintsOneStatementPerLine() {
        let (script, _) = Parser.parse(source("let a = 1\nprint a"))
        #expect(Printer.print(script) == "let a = 1\nprint a\n")
    }

    @Test func printerSpellsLiteralsItWasNotGivenByTheParser() {
        let s = Span.unknown
        #expect(Printer.print(Expr(.literal(.money(Fixed(units: 12_345), currency: "SEK")), s)) == "1.2345 SEK")
        #expect(Printer.print(Expr(.literal(.money(Fixed(units: -50_000), currency: "USD")), s)) == "-$5")
        #expect(Printer.print(Expr(.literal(.decimal(1e-7, exact: nil)), s)) == "0.0000001")
        #expect(Printer.print(Expr(.literal(.decimal(2.5e20, exact: nil)), s)) == "250000000000000000000.0")
        #expect(Printer.print(Expr(.literal(.period(.week(year: 2026, week: 3))), s)) == "2026-W03")
        #expect(Printer.print(Expr(.literal(.string("a\u{1}b")), s)) == "\"a\\u{1}b\"")
    }
}

/// Generated inputs: random token soup must never crash the parser, and whatever parses without
/// errors must print to text that parses back to the same tree.
struct GeneratedRoundTripTests {
    static let vocabulary = [
        "projects", "a", "b", "p.x", "1", "2.5", "$3M", "1500 CHF", "85%", "2026-Q4", "2026-01-02", "30d", "\"s\"",
        "\"{a}\"", "'r'", "(", ")", "[", "]", "{", "}", "{k: 1}", ",", ".", "|", "+", "-", "*", "/", "??", "=", "!=",
        "<", ">=", "and", "or", "not", "in", "is", "none", "is not none", "between", "contains", "starts with", "matches",
        "if", "then", "else", "where", "sort", "desc", "take", "select", "x =", "group by", "aggregate n = count()",
        "distinct", "expand w in", "as of", "let x =", "print", "\n", ";", "today", "this", "f(", "g()", "export",
        "to", "\"out.csv\"", "use", "assert", "def f(p) =", "def project.y =", "true",
    ]

    /// SplitMix64: a small deterministic generator, so a failure reproduces.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    @Test func randomInputsParseOrFailCleanlyAndRoundTrip() {
        var rng = Generator(state: 2026)
        var parsedWithoutErrors = 0
        for _ in 0..<20_000 {
            let count = 1 + rng.below(12)
            let text = (0..<count).map { _ in GeneratedRoundTripTests.vocabulary[rng.below(GeneratedRoundTripTests.vocabulary.count)] }
                .joined(separator: " ")
            let (script, diagnostics) = Parser.parse(source(text))
            _ = Parser.isIncomplete(source(text))
            guard diagnostics.isEmpty else { continue }
            parsedWithoutErrors += 1
            let printed = Printer.print(script)
            let (again, errors) = Parser.parse(source(printed))
            #expect(errors.isEmpty, "\(text.debugDescription) printed as \(printed.debugDescription)")
            #expect(again.statements.map(SpanEraser.stmt) == script.statements.map(SpanEraser.stmt),
                    "\(text.debugDescription) printed as \(printed.debugDescription)")
            #expect(Printer.print(again) == printed)
        }
        #expect(parsedWithoutErrors > 500)
    }
}

struct OperatorTableTests {
    @Test func everyBinaryOperatorHasExactlyOneRow() {
        for op in BinaryOp.allCases {
            #expect(OperatorTable.rows.filter { $0.op == op }.count == 1, "\(op)")
        }
        #expect(Set(OperatorTable.rows.map(\.token)).count == OperatorTable.rows.count)
    }
}

/// grammar.md as tests: its `pmo` code blocks parse, and its table of canonical forms holds.
struct GrammarDocumentTests {
    static func grammarText() -> String? {
        let root = String(#filePath).split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/")
        return FileManager.default.contents(atPath: root + "/grammar.md").map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func codeBlocksParse() throws {
        let text = try #require(GrammarDocumentTests.grammarText())
        var blocks: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```pmo") { current = [] } else if line.hasPrefix("```"), let c = current {
                blocks.append(c.joined(separator: "\n"))
                current = nil
            } else { current?.append(line) }
        }
        #expect(!blocks.isEmpty)
        for block in blocks {
            #expect(Parser.parse(source(block)).1.map(\.message) == [], "\(block)")
        }
    }

    @Test func canonicalFormTableHolds() throws {
        let text = try #require(GrammarDocumentTests.grammarText())
        guard let table = text.range(of: "Canonical forms:") else { Issue.record("no table"); return }
        var rows = 0
        for line in text[table.upperBound...].split(separator: "\n").prefix(while: { !$0.hasPrefix("#") }) {
            let cells = line.replacingOccurrences(of: "\\|", with: "\u{0}").split(separator: "|")
                .map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{0}", with: "|") }
            guard cells.count == 2, cells[0].hasPrefix("`"), cells[0].hasSuffix("`") else { continue }
            let input = String(cells[0].dropFirst().dropLast())
            let expected = cells[1].hasPrefix("error: ") ? "errors: " + cells[1].dropFirst(7) : String(cells[1].dropFirst().dropLast())
            #expect(canonical(input) == expected)
            rows += 1
        }
        #expect(rows >= 4)
    }
}
