// Parse diagnostic tests: rendered messages with position, caret and notes; recovery that reports each
// error once; nesting limits; lexical errors; and the REPL's incomplete-input test.
import Testing
import Foundation
import PMOBase
@testable import PMOSyntax
import TestSupport

/// The rendered diagnostics of parsing `text` as the script `report.pmo`.
private func rendered(_ text: String) -> String {
    let sources = SourceMap()
    let file = sources.add(name: "report.pmo", text: text)
    let (_, diagnostics) = Parser.parse(file)
    return DiagnosticRenderer(sources: sources).render(diagnostics)
}

private func messages(_ text: String, maxDepth: Int = 200) -> [String] {
    Parser.parse(SourceFile(id: 0, name: "<test>", bytes: Array(text.utf8)), maxDepth: maxDepth).1.map(\.message)
}

private func incomplete(_ text: String) -> Bool {
    Parser.isIncomplete(SourceFile(id: 0, name: "<stdin>", bytes: Array(text.utf8)))
}

struct ParseDiagnosticTests {
    // MARK: - Rendered output

    @Test func missingExpressionAfterStageKeyword() {
        #expect(rendered("projects where") == """
            report.pmo:1:15: error: expected an expression after 'where' but found end of input
             1 | projects where
               |               ^

            """)
    }

    @Test func unclosedParenNamesItsOpener() {
        #expect(rendered("let x = 1\nprint (a + b\n") == """
            report.pmo:2:13: error: expected ')' to close '(' but found end of input
             2 | print (a + b
               |             ^
            report.pmo:2:7: note: '(' opened here
             2 | print (a + b
               |       ^

            """)
    }

    @Test func unclosedBracketOnOneLine() {
        #expect(rendered("print [1, 2 3]") == """
            report.pmo:1:13: error: expected ']' to close '[' but found a number
             1 | print [1, 2 3]
               |             ^
            report.pmo:1:7: note: '[' opened here
             1 | print [1, 2 3]
               |       ^

            """)
    }

    @Test func statementKeywordInsideOpenBracketBlamesTheBracket() {
        #expect(rendered("let a = f(1,\nprint a") == """
            report.pmo:2:1: error: expected ')' to close '(' but found 'print'
             2 | print a
               | ^^^^^
            report.pmo:1:10: note: '(' opened here
             1 | let a = f(1,
               |          ^

            """)
    }

    @Test func extraTokenAfterStatement() {
        #expect(rendered("print x y") == """
            report.pmo:1:9: error: expected end of line but found 'y'
             1 | print x y
               |         ^

            """)
    }

    @Test func isNeedsNoneAndSaysHowToCompare() {
        #expect(rendered("projects where status is red") == """
            report.pmo:1:26: error: expected 'none' after 'is' but found 'red'
             1 | projects where status is red
               |                          ^^^
               = help: 'is' only tests for none; compare values with '=' or '!='

            """)
    }

    /// A line that starts with a stage keyword continues the pipeline above it (language.md "Layout").
    @Test func stageAtStartOfLineContinuesThePipeline() {
        #expect(rendered("projects where a\nsort spi") == "")
    }

    @Test func errorInsideInterpolationPointsIntoTheString() {
        #expect(rendered("print \"total: {ac +}\"") == """
            report.pmo:1:20: error: expected an expression after '+' but found '}'
             1 | print "total: {ac +}"
               |                    ^

            """)
    }

    @Test func missingElseHasHelp() {
        #expect(messages("let x = if a then b") == ["expected 'else' after 'if ... then ...' but found end of input"])
        #expect(messages("let x = if a b else c") == ["expected 'then' after the condition of 'if' but found 'b'"])
    }

    @Test func otherMessages() {
        #expect(messages("a = b = c") == ["comparisons cannot be chained"])
        #expect(messages("x between 1 or 2") == ["expected 'and' to finish 'between 1 and ...' but found 'or'"])
        #expect(messages("a starts b") == ["expected 'with' after 'starts' but found 'b'"])
        #expect(messages("projects |") == ["expected a pipeline stage such as 'where', 'sort' or 'select' after '|' but found end of input"])
        #expect(messages("projects | foo") == ["expected a pipeline stage such as 'where', 'sort' or 'select' after '|' but found 'foo'"])
        #expect(messages("p | group program") == ["expected 'by' after 'group' but found 'program'"])
        #expect(messages("p | expand 1 in x") == ["expected a name after 'expand' but found a number"])
        #expect(messages("let = 1") == ["expected a name after 'let' but found '='"])
        #expect(messages("let x 1") == ["expected '=' after 'let x' but found a number"])
        #expect(messages("def f = 1") == ["expected '(' and parameters, or '.' and a field name, after 'def f' but found '='"])
        #expect(messages("def f(a b) = 1") == ["expected ')' to close '(' but found 'b'"])
        #expect(messages("export p into \"x.csv\"") == ["expected 'to' and a file name after the exported value but found 'into'"])
        #expect(messages("use x") == ["expected a file name string after 'use' but found 'x'"])
        #expect(messages("use \"{x}.pmo\"") == ["the file name after 'use' cannot contain '{...}'"])
        #expect(messages("as 2026-01-01") == ["expected 'of' after 'as' but found a date"])
        #expect(messages("print \"{x y}\"") == ["expected '}' to end the interpolation but found 'y'"])
        #expect(messages("{a 1}") == ["expected ':' after the field name 'a' but found a number"])
        #expect(messages("f(,)") == ["expected an expression after '(' but found ','"])
        #expect(messages(")") == ["expected an expression but found ')'"])
        #expect(messages("explain cpi project \"P\"") == ["expected 'of' after 'explain cpi' but found 'project'"])
    }

    // MARK: - Recovery

    @Test func severalErrorsAreEachReportedOnce() {
        let script = """
            let a = (1 +
            let b = 2
            print b b
            projects where status = red | sort desc
            print "ok"
            x between 1 or 2
            print "end"
            """
        let (parsed, diagnostics) = Parser.parse(SourceFile(id: 0, name: "t", bytes: Array(script.utf8)))
        // The `(` left open on line 1 makes no line breaks until it closes; the `let` at the start of
        // line 2 shows it was never closed, and ends the broken statement.
        #expect(diagnostics.map(\.message) == [
            "expected ')' to close '(' but found 'let'",
            "expected end of line but found 'b'",
            "expected an expression after 'sort' but found 'desc'",
            "expected 'and' to finish 'between 1 and ...' but found 'or'",
        ])
        #expect(parsed.statements.map { Printer.print($0) } == ["let b = 2", "print \"ok\"", "print \"end\""])
    }

    @Test func recoveryKeepsTheGoodStatements() {
        let (script, diagnostics) = Parser.parse(SourceFile(id: 0, name: "t", bytes: Array("let a = 1\nprint )\nlet b = 2; print ]; let c = 3".utf8)))
        #expect(diagnostics.count == 2)
        #expect(script.statements.count == 3)
    }

    @Test func recoverySkipsContinuationLines() {
        #expect(messages("def f(p) = if p then @\n  else 2\n  | take 1\nprint 1") == ["unknown character '@'"])
        #expect(messages("let r = {a: 1,\n b: ?,\n c: 3}\nprint r") == ["unknown character '?'; write '??' for a default value"])
    }

    @Test func governanceAndSchedulingStatementsParseWithTheirClauses() {
        let script = """
            rule sponsor_required "Projects over $1M have a named sponsor"
              severity high
              for projects where bac > $1M and phase != closed
              require sponsor is not none
            print 1
            test "a test" {
              given projects [{id: "P1"}]
            }
            check
            schedule "0 7 * * MON"
            """
        #expect(messages(script) == [])
    }

    // MARK: - Limits and lexical errors

    @Test func tenThousandOpenParensGiveOneDiagnostic() {
        let parens = String(repeating: "(", count: 10_000)
        #expect(messages(parens) == ["expression is nested too deeply (more than 200 levels)"])
        #expect(messages(parens + "1" + String(repeating: ")", count: 10_000) + "\nprint 2") ==
                ["expression is nested too deeply (more than 200 levels)"])
        #expect(messages(String(repeating: "[", count: 10_000)) == ["expression is nested too deeply (more than 200 levels)"])
        #expect(messages(String(repeating: "f(", count: 10_000)) == ["expression is nested too deeply (more than 200 levels)"])
        #expect(messages(String(repeating: "{a: ", count: 10_000)) == ["expression is nested too deeply (more than 200 levels)"])
        #expect(messages(String(repeating: "if a then ", count: 10_000)) == ["expression is nested too deeply (more than 200 levels)"])
        #expect(messages(String(repeating: "-(", count: 10_000)) == ["expression is nested too deeply (more than 200 levels)"])
    }

    /// The deepest input allowed must parse on a thread with a modest stack, in debug builds too
    /// (about 8 KB a level there; a quarter of that optimized).
    @Test func deepestAllowedNestingFitsInAFourMegabyteStack() {
        let inputs = [
            String(repeating: "(", count: 199) + "1" + String(repeating: ")", count: 199),
            String(repeating: "f(", count: 199) + "1" + String(repeating: ")", count: 199),
            String(repeating: "a + (", count: 99) + "1" + String(repeating: ")", count: 99),
            String(repeating: "not [", count: 99) + "1" + String(repeating: "]", count: 99),
            "print " + String(repeating: "\"{", count: 199) + "x" + String(repeating: "}\"", count: 199),
            String(repeating: "if a then ", count: 199) + "1" + String(repeating: " else 2", count: 199),
        ]
        let results = Locked<[[String]]>([])
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            for text in inputs { results.append(messages(text)) }
            done.signal()
        }
        thread.stackSize = 4 << 20
        thread.start()
        #expect(done.wait(within: 60), "parsing deep inputs did not finish within 60 s")
        #expect(results.value == Array(repeating: [], count: inputs.count))
    }

    @Test func nestedInterpolationsCountTowardTheLimit() {
        let deep = String(repeating: "\"{", count: 50) + "x" + String(repeating: "}\"", count: 50)
        #expect(messages("print " + deep) == [])
        #expect(messages("print " + deep, maxDepth: 10) == ["expression is nested too deeply (more than 10 levels)"])
    }

    @Test func unclosedStringIsOneError() {
        #expect(rendered("print \"abc\nprint 1") == """
            report.pmo:1:7: error: unterminated string
             1 | print "abc
               |       ^^^^

            """)
    }

    @Test func lexicalErrorsAreReportedOnceEach() {
        #expect(messages("projects where x = @ and y = 1 %") ==
                ["unknown character '@'", "unknown character '%'; a percentage is written directly after its number, as in 85%"])
        #expect(messages("print @\nprint 2\nprint ~") == ["unknown character '@'", "unknown character '~'"])
        #expect(messages("print \"{a @ b}\"") == ["unknown character '@'"])
    }

    @Test func parseExpressionReportsTrailingText() {
        let (expr, diagnostics) = Parser.parseExpression(SourceFile(id: 0, name: "e", bytes: Array("a b".utf8)))
        #expect(expr == nil)
        #expect(diagnostics.map(\.message) == ["expected end of input but found 'b'"])
    }

    // MARK: - Incomplete input (REPL continuation)

    static let incompleteInputs = [
        "projects |", "projects |\n", "projects where", "1 +", "1 +\n", "f(a,", "[1, 2", "(1 + 2", "{a: 1,\n",
        "if a then b", "if a then b\n", "if a", "x between 1", "x between 1\n", "let x =", "def f(", "p | select a,",
        "print \"{count(big)} \" +", "a and", "not", "x is", "p | order", "p | sort a,",
    ]

    static let completeInputs = [
        "", "\n", "# just a comment", "projects", "projects where x", "1 + )", "print \"abc", "1 + @", "let x = 1\n",
        "projects |\nlet x", "a b", "print (1 +\n2)", "if a then b else c", "x between 1 and 2", "p | distinct",
        String(repeating: "(", count: 10_000),
    ]

    @Test(arguments: incompleteInputs)
    func unfinishedInputIsIncomplete(_ text: String) {
        #expect(incomplete(text))
    }

    @Test(arguments: completeInputs)
    func finishedOrBrokenInputIsNotIncomplete(_ text: String) {
        #expect(!incomplete(text))
    }
}

/// A value shared with another thread.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func append<E>(_ element: E) where Value == [E] { lock.withLock { stored.append(element) } }
}

struct ParserSpeedTests {
    /// Recovery inside a huge unclosed bracket looks at every token; it must stay linear.
    @Test func recoveryInsideAHugeLineIsFast() {
        let text = "(" + String(repeating: "let ", count: 50_000)
        let start = ContinuousClock.now
        let (_, diagnostics) = Parser.parse(SourceFile(id: 0, name: "t", bytes: Array(text.utf8)))
        #expect(diagnostics.count == 1)
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func parsingStopsAfterAHundredBrokenStatements() {
        let text = String(repeating: "print (\n", count: 20_000)
        let start = ContinuousClock.now
        let messages = Parser.parse(SourceFile(id: 0, name: "t", bytes: Array(text.utf8))).1.map(\.message)
        #expect(messages.count == 101)
        #expect(messages.last == "too many syntax errors; stopping after 100")
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func aLongScriptParsesQuickly() {
        let line = "projects where status = red and bac > $1M | sort spi desc | take 20 | select id, name, spi, cpi\n"
        let text = String(repeating: line, count: 5_000)
        let start = ContinuousClock.now
        let (script, diagnostics) = Parser.parse(SourceFile(id: 0, name: "t", bytes: Array(text.utf8)))
        #expect(diagnostics.isEmpty && script.statements.count == 5_000)
        #expect(ContinuousClock.now - start < .seconds(10))
    }
}
