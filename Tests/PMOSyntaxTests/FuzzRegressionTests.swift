// Inputs the lexer and parser fuzzers found (Fuzz/FailCases/FuzzLexer, FuzzParser), each replayed
// by a named test, and every kept fail case replayed through the fuzzers' invariants: token spans
// in order and in bounds, one end of input, diagnostics inside the source, and printing a script
// that parses is a fixed point. See Fuzz/README.md and RELIABILITY.md.
import Foundation
import Testing
@testable import PMOSyntax

@Suite struct FuzzRegressionTests {
    static let failCases = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/FailCases")

    static func bytes(_ target: String, _ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: failCases.appendingPathComponent(target).appendingPathComponent(name)))
    }

    static func tokens(_ bytes: [UInt8]) -> (SourceFile, [Token]) {
        let f = SourceFile(id: 0, name: "<fuzz>", bytes: bytes)
        return (f, Lexer.tokenize(f))
    }

    // MARK: - Named cases

    /// `"{` at the end of input: one error token on the `{`, then the end of input.
    @Test func unterminatedInterpolationAtEnd() throws {
        let (_, t) = FuzzRegressionTests.tokens(try FuzzRegressionTests.bytes("FuzzLexer", "unterminated-interpolation-at-end"))
        #expect(t.map(\.kind) == [.error("unterminated '{' in string; write '{{' for a literal brace"), .endOfInput])
        #expect(t.map(\.span.start) == [1, 2])
        #expect(t.map(\.span.end) == [2, 2])
    }

    /// A string with a byte that is not UTF-8: the error token covers that byte only, the rest of the
    /// string belongs to no token, and lexing goes on after the closing quote and on the next line.
    @Test func invalidUTF8InStringThenNextLine() throws {
        let (_, t) = FuzzRegressionTests.tokens(try FuzzRegressionTests.bytes("FuzzLexer", "invalid-utf8-in-string-then-next-line"))
        guard case .error = t.first?.kind else {
            Issue.record("expected an error token first: \(t.map(\.kind))")
            return
        }
        #expect(t[0].span.start == 7 && t[0].span.end == 8)
        #expect(t.dropFirst().map(\.kind) == [.newline, .keyword(.print), .integer(1), .newline, .endOfInput])
        let (_, diagnostics) = Parser.parse(SourceFile(id: 0, name: "<fuzz>", bytes: try FuzzRegressionTests.bytes("FuzzLexer", "invalid-utf8-in-string-then-next-line")))
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.span.start == 7)
    }

    /// Bad bytes in a string and NULs inside its interpolation: errors only, all on that line, and
    /// the comment on the following lines is skipped as usual.
    @Test func invalidUTF8AndNULInInterpolation() throws {
        let input = try FuzzRegressionTests.bytes("FuzzLexer", "invalid-utf8-and-nul-in-interpolation")
        let (f, t) = FuzzRegressionTests.tokens(input)
        FuzzRegressionTests.checkTokens(t, f)
        let line2 = f.lineStarts[1], line3 = f.lineStarts[2]
        for token in t {
            if case .error = token.kind {
                #expect(Int(token.span.start) >= line2 && Int(token.span.end) < line3, "error outside line 2: \(token)")
            }
        }
        #expect(t.last?.kind == .endOfInput)
    }

    /// 500 NUL bytes then `3.14` (a slow unit of FuzzParser): one diagnostic per stray byte, each
    /// rendering the whole line, made 32 KB of them take a minute. Lexical errors now stop at 100.
    @Test func manyUnknownCharacters() throws {
        let bytes = try FuzzRegressionTests.bytes("FuzzParser", "many-unknown-characters")
        let (_, diagnostics) = Parser.parse(SourceFile(id: 0, name: "<fuzz>", bytes: bytes))
        #expect(diagnostics.count == Parser.maxFailures + 1)
        #expect(diagnostics.dropLast().allSatisfy { $0.message == "unknown character U+0000" })
        #expect(diagnostics.last?.message == "too many lexical errors; only the first 100 are shown")
        #expect(diagnostics.last?.span.start == 100)

        let big = SourceFile(id: 0, name: "<fuzz>", bytes: [UInt8](repeating: 0, count: 32_000))
        let (_, many) = Parser.parse(big)
        #expect(many.count == Parser.maxFailures + 1)
        let sources = SourceMap()
        _ = sources.add(name: "<fuzz>", bytes: big.bytes)
        #expect(DiagnosticRenderer(sources: sources).render(many).utf8.count < 200_000)
    }

    // MARK: - Every kept fail case

    static func allCases() -> [String] {
        var out: [String] = []
        for target in ["FuzzLexer", "FuzzParser"] {
            let dir = failCases.appendingPathComponent(target)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            out += names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted().map { "\(target)/\($0)" }
        }
        return out
    }

    @Test(arguments: allCases())
    func failCaseKeepsTheInvariants(_ path: String) throws {
        let bytes = Array(try Data(contentsOf: FuzzRegressionTests.failCases.appendingPathComponent(path)))
        let sources = SourceMap()
        let f = sources.add(name: "<fuzz>", bytes: bytes)
        FuzzRegressionTests.checkTokens(Lexer.tokenize(f), f)
        let (script, diagnostics) = Parser.parse(f)
        for d in diagnostics {
            #expect(d.span.file == f.id && d.span.start >= 0 && d.span.start <= d.span.end && Int(d.span.end) <= bytes.count,
                    "\(d.message) at \(d.span)")
        }
        _ = DiagnosticRenderer(sources: sources).render(diagnostics)
        guard diagnostics.isEmpty else { return }
        let printed = Printer.print(script)
        let (again, errors) = Parser.parse(sources.add(name: "<printed>", text: printed), maxDepth: 10_000)
        #expect(errors.isEmpty, "the printed form does not parse: \(printed)")
        #expect(Printer.print(again) == printed)
    }

    /// Spans in the file, in order, not overlapping, non-empty; exactly one end of input, last, at the end.
    static func checkTokens(_ tokens: [Token], _ file: SourceFile) {
        let n = Int32(file.bytes.count)
        #expect(tokens.last?.kind == .endOfInput && tokens.last?.span.start == n && tokens.last?.span.end == n)
        #expect(tokens.filter { $0.kind == .endOfInput }.count == 1)
        var previousEnd: Int32 = 0
        for t in tokens {
            #expect(t.span.file == file.id && t.span.start >= previousEnd && t.span.start <= t.span.end && t.span.end <= n, "\(t)")
            if t.kind != .endOfInput { #expect(t.span.start < t.span.end, "empty token \(t)") }
            previousEnd = t.span.end
        }
    }
}
