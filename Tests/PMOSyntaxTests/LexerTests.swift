// Lexer tests: tables of input and expected token kinds for every branch, byte spans, errors,
// sub-range lexing for interpolations, invariants over many inputs, and size and nesting limits.
import Testing
import PMOBase
@testable import PMOSyntax

/// One table row: source text and the token kinds before `.endOfInput`.
struct LexRow: Sendable, CustomTestStringConvertible {
    var input: String
    var expected: [TokenKind]
    init(_ input: String, _ expected: [TokenKind]) { self.input = input; self.expected = expected }
    var testDescription: String { input.debugDescription }
}

private func file(_ text: String) -> SourceFile { SourceFile(id: 0, name: "<test>", bytes: Array(text.utf8)) }

private func kinds(_ text: String) -> [TokenKind] {
    var k = Lexer.tokenize(file(text)).map(\.kind)
    if k.last == .endOfInput { k.removeLast() }
    return k
}

private func id(_ s: String) -> TokenKind { .identifier(s) }
private func kw(_ k: Keyword) -> TokenKind { .keyword(k) }
private func sym(_ s: Symbol) -> TokenKind { .symbol(s) }
private func int(_ v: Int64) -> TokenKind { .integer(v) }
private func dec(_ d: Double, _ units: Int64?) -> TokenKind { .decimal(d, exact: units.map { Fixed(units: $0) }) }
private func money(_ units: Int64, _ c: String) -> TokenKind { .money(Fixed(units: units), currency: c) }
private func pct(_ units: Int64) -> TokenKind { .percent(Fixed(units: units)) }
private func err(_ m: String) -> TokenKind { .error(m) }
private func day(_ y: Int, _ m: Int, _ d: Int) -> TokenKind { Day(year: y, month: m, day: d).map { .date($0) } ?? .endOfInput }
private func text(_ s: String) -> StringSegment { .text(s) }
private func interp(_ s: Int, _ e: Int) -> StringSegment { .interpolation(Span(file: 0, start: s, end: e)) }
private let nl = TokenKind.newline

private let wordRows: [LexRow] = [
    LexRow("", []),
    LexRow("projects where status = red", [id("projects"), kw(.where), id("status"), sym(.eq), id("red")]),
    LexRow("WHERE Where wHeRe where", [kw(.where), kw(.where), kw(.where), kw(.where)]),
    LexRow("AND Or NOT is NONE True FALSE Today THIS", [kw(.and), kw(.or), kw(.not), kw(.is), kw(.none),
                                                      kw(.true), kw(.false), kw(.today), kw(.this)]),
    LexRow("Projects sponsor_Name _x1 x2", [id("Projects"), id("sponsor_Name"), id("_x1"), id("x2")]),
    LexRow("owner severity to on", [id("owner"), id("severity"), id("to"), id("on")]),
    LexRow("aggregate distinct schedule", [kw(.aggregate), kw(.distinct), id("schedule")]),
    LexRow("FY2026 fy2027 Fy2028", [.period(.fiscalYear(2026)), .period(.fiscalYear(2027)), .period(.fiscalYear(2028))]),
    LexRow("FY26 FY20261 FYX", [id("FY26"), id("FY20261"), id("FYX")]),
    LexRow("FY0000", [err("FY0000 is not a valid fiscal year")]),
    LexRow("FY2026.start", [.period(.fiscalYear(2026)), sym(.dot), id("start")]),
    LexRow("x.name program.portfolio.name", [id("x"), sym(.dot), id("name"), id("program"), sym(.dot),
                                             id("portfolio"), sym(.dot), id("name")]),
]

private let numberRows: [LexRow] = [
    LexRow("42 0 007", [int(42), int(0), int(7)]),
    LexRow("3.14", [dec(3.14, 31_400)]),
    LexRow("0.95 3.0", [dec(0.95, 9_500), dec(3.0, 30_000)]),
    LexRow("0.12345", [dec(0.12345, 1_234)]),
    LexRow("0.00015", [dec(0.00015, 2)]),
    LexRow("1_000_000 1_0.2_5", [int(1_000_000), dec(10.25, 102_500)]),
    LexRow("1.5M 2.5k 0.5k 3K 2B 1.0M", [int(1_500_000), int(2_500), int(500), int(3_000), int(2_000_000_000), int(1_000_000)]),
    LexRow("1.2345k", [dec(1234.5, 12_345_000)]),
    LexRow("9223372036854775807", [int(Int64.max)]),
    LexRow("9223372036854775808", [err("number is too large: 9223372036854775808")]),
    LexRow("99999999999999999999", [err("number is too large: 99999999999999999999")]),
    LexRow("99999999999B", [err("number is too large: 99999999999B")]),
    LexRow("1.name 1.", [int(1), sym(.dot), id("name"), int(1), sym(.dot)]),
    LexRow("12abc", [err("unknown number suffix 'abc'")]),
    LexRow("1_ 1__0", [err("unknown number suffix '_'"), err("unknown number suffix '__0'")]),
    LexRow("1.5m", [err("unknown number suffix 'm'; write 'M' for million or 'mo' for months")]),
    LexRow("1e5", [err("unknown number suffix 'e5'")]),
    LexRow("x - 11 x-11 2026 - 11", [id("x"), sym(.minus), int(11), id("x"), sym(.minus), int(11),
                                     int(2026), sym(.minus), int(11)]),
    LexRow("20261-11 026-11", [int(20261), sym(.minus), int(11), int(26), sym(.minus), int(11)]),
    LexRow("85% 12.5% 100% 0.01% 150%", [pct(8_500), pct(1_250), pct(10_000), pct(1), pct(15_000)]),
    LexRow("30d 2w 3mo 1y 10bd", [.duration(30, .days), .duration(2, .weeks), .duration(3, .months),
                                  .duration(1, .years), .duration(10, .businessDays)]),
    LexRow("2D 1Y 3MO", [.duration(2, .days), .duration(1, .years), .duration(3, .months)]),
    LexRow("today + 30d", [kw(.today), sym(.plus), .duration(30, .days)]),
    LexRow("1.5d", [err("a duration needs a whole number: 1.5d")]),
    LexRow("99999999999999999999d", [err("number is too large: 99999999999999999999d")]),
]

private let moneyRows: [LexRow] = [
    LexRow("$1.5M $900 $0.25", [money(15_000_000_000, "USD"), money(9_000_000, "USD"), money(2_500, "USD")]),
    LexRow("€250k £900 ¥1000", [money(2_500_000_000, "EUR"), money(9_000_000, "GBP"), money(10_000_000, "JPY")]),
    LexRow("$1_000.50", [money(10_005_000, "USD")]),
    LexRow("$1.23456", [money(12_346, "USD")]),
    LexRow("250k EUR", [money(2_500_000_000, "EUR")]),
    LexRow("250k \t CHF + 1", [money(2_500_000_000, "CHF"), sym(.plus), int(1)]),
    LexRow("12.5 GBP 100USD 7MXN", [money(125_000, "GBP"), money(1_000_000, "USD"), money(70_000, "MXN")]),
    LexRow("5 eur 5 ABC 5 EURO", [int(5), id("eur"), int(5), id("ABC"), int(5), id("EURO")]),
    LexRow("5\nEUR", [int(5), nl, id("EUR")]),
    LexRow("bac > $1M", [id("bac"), sym(.gt), money(10_000_000_000, "USD")]),
    LexRow("$", [err("'$' must be directly followed by an amount, as in $1.5M")]),
    LexRow("$x", [err("'$' must be directly followed by an amount, as in $1.5M"), id("x")]),
    LexRow("€ 5", [err("'€' must be directly followed by an amount, as in €1.5M"), int(5)]),
    LexRow("$5xyz", [err("unknown number suffix 'xyz'")]),
    LexRow("$999999999999999999", [err("number is too large: $999999999999999999")]),
]

private let dateRows: [LexRow] = [
    LexRow("2026-11-22", [day(2026, 11, 22)]),
    LexRow("2024-02-29", [day(2024, 2, 29)]),
    LexRow("2026-02-30", [err("2026-02-30 is not a valid date")]),
    LexRow("2026-13-01 2026-1-01", [err("2026-13-01 is not a valid date"), err("'2026-1' is not a date or period (YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY-Wnn); put spaces around '-' to subtract"), sym(.minus), int(1)]),
    LexRow("2026-11-2", [err("2026-11-2 is not a valid date")]),
    LexRow("2026-11", [.period(.month(year: 2026, month: 11))]),
    LexRow("2026-13 2026-00", [err("2026-13 is not a valid month"), err("2026-00 is not a valid month")]),
    LexRow("2026-Q4 2026-q1", [.period(.quarter(year: 2026, quarter: 4)), .period(.quarter(year: 2026, quarter: 1))]),
    LexRow("2026-Q5 2026-Q0", [err("2026-Q5 is not a valid quarter (Q1 to Q4)"), err("2026-Q0 is not a valid quarter (Q1 to Q4)")]),
    LexRow("2026-W47 2026-W53 2026-W1", [.period(.week(year: 2026, week: 47)), .period(.week(year: 2026, week: 53)),
                                         .period(.week(year: 2026, week: 1))]),
    LexRow("2025-W53", [err("2025-W53 is not a valid week; 2025 has 52 ISO weeks")]),
    LexRow("2026-W00", [err("2026-W00 is not a valid week; 2026 has 53 ISO weeks")]),
    LexRow("2026-Q4.end", [.period(.quarter(year: 2026, quarter: 4)), sym(.dot), id("end")]),
    LexRow("2026-11-22.week", [day(2026, 11, 22), sym(.dot), id("week")]),
    LexRow("2026-Qx", [int(2026), sym(.minus), id("Qx")]),
    LexRow("2026-11-22T10", [err("unknown suffix 'T10' after 2026-11-22")]),
    LexRow("finish between 2026-10-01 and 2026-Q4.end",
           [id("finish"), kw(.between), day(2026, 10, 1), kw(.and), .period(.quarter(year: 2026, quarter: 4)),
            sym(.dot), id("end")]),
]

private let stringRows: [LexRow] = [
    LexRow(#""hello""#, [.string([text("hello")])]),
    LexRow(#""""#, [.string([])]),
    LexRow(#""a\nb\t\"\\\{\}\'\r\0""#, [.string([text("a\nb\t\"\\{}'\r\0")])]),
    LexRow(#""\u{1F600} \u{e9}""#, [.string([text("😀 é")])]),
    LexRow(#""Zürich""#, [.string([text("Zürich")])]),
    LexRow(#""{{x}} }""#, [.string([text("{x} }")])]),
    LexRow(#""{name} is over by {ac - bac}""#, [.string([interp(2, 6), text(" is over by "), interp(20, 28)])]),
    LexRow(#""a{ {x: 1} }b""#, [.string([text("a"), interp(3, 11), text("b")])]),
    LexRow(#""{f("a{b}")}!""#, [.string([interp(2, 11), text("!")])]),
    LexRow(#""{f("}")}""#, [.string([interp(2, 8)])]),
    LexRow(#""{f('}')}""#, [.string([interp(2, 8)])]),
    LexRow(#""{"{"\"}"}"}""#, [.string([interp(2, 11)])]),
    LexRow(#"'raw {x} \n'"#, [.rawString(#"raw {x} \n"#)]),
    LexRow(#"'it\'s \\ C:\temp'"#, [.rawString(#"it's \ C:\temp"#)]),
    LexRow(#"''"#, [.rawString("")]),
    LexRow(#"print "x" 'y'"#, [kw(.print), .string([text("x")]), .rawString("y")]),
    LexRow(#""abc"#, [err("unterminated string")]),
    LexRow("\"abc\nx", [err("unterminated string"), nl, id("x")]),
    LexRow("'abc\r\nx", [err("unterminated string"), nl, id("x")]),
    LexRow(#""abc\"#, [err("unterminated string")]),
    LexRow(#""\q" x"#, [err(#"unknown escape '\q' in string"#), id("x")]),
    LexRow(#""\q \w""#, [err(#"unknown escape '\q' in string"#), err(#"unknown escape '\w' in string"#)]),
    LexRow(#""\ü""#, [err(#"unknown escape '\ü' in string"#)]),
    LexRow(#""\u{D800}" "\u12""#, [err(#"invalid unicode escape '\u{D800}' in string; write it as \u{1F600}"#),
                                 err(#"invalid unicode escape '\u' in string; write it as \u{1F600}"#)]),
    LexRow(#""{x" y"#, [err("unterminated '{' in string; write '{{' for a literal brace")]),
    LexRow("\"{x\"\nz", [err("unterminated '{' in string; write '{{' for a literal brace"), nl, id("z")]),
    LexRow(#""a{}b" c"#, [err("empty '{}' in string; write '{{' and '}}' for literal braces"), id("c")]),
]

private let symbolRows: [LexRow] = [
    LexRow("( ) [ ] { } , . | : ; = != < <= > >= + - * / ??",
           [sym(.lparen), sym(.rparen), sym(.lbracket), sym(.rbracket), sym(.lbrace), sym(.rbrace), sym(.comma),
            sym(.dot), sym(.pipe), sym(.colon), sym(.semicolon), sym(.eq), sym(.ne), sym(.lt), sym(.le), sym(.gt),
            sym(.ge), sym(.plus), sym(.minus), sym(.star), sym(.slash), sym(.coalesce)]),
    LexRow("a==b a<>b a<=b", [id("a"), sym(.eq), id("b"), id("a"), sym(.ne), id("b"), id("a"), sym(.le), id("b")]),
    LexRow("a ?? b", [id("a"), sym(.coalesce), id("b")]),
    LexRow("!x", [err("unknown operator '!'; write 'not' to negate or '!=' for not equal"), id("x")]),
    LexRow("a ? b", [id("a"), err("unknown character '?'; write '??' for a default value"), id("b")]),
    LexRow("a @ b", [id("a"), err("unknown character '@'"), id("b")]),
    LexRow("a % b", [id("a"), err("unknown character '%'; a percentage is written directly after its number, as in 85%"), id("b")]),
    LexRow("`x` ~", [err("unknown character '`'"), id("x"), err("unknown character '`'"), err("unknown character '~'")]),
    LexRow("\u{7}", [err("unknown character U+0007")]),
    LexRow("naïve", [id("na"), err("unknown character 'ï'"), id("ve")]),
    // A text in typographic quotes is one error with its fix; a lone quote is an unknown character.
    LexRow("“x”", [err("typographic quotes around a text\u{1E}use straight quotes: \"x\"")]),
    LexRow("x”", [id("x"), err("unknown character '”'; use straight quotes \" or '")]),
    LexRow("$1,000,000", [err("a comma is not part of an amount\u{1E}write $1000000 without thousands separators (or with a scale: $1M)")]),
    LexRow("[1,000]", [sym(.lbracket), .integer(1), sym(.comma), .integer(0), sym(.rbracket)]),
    LexRow("2026/1/31", [err("a date is written with dashes, not slashes\u{1E}write 2026-01-31")]),
    LexRow("2026/4", [.integer(2026), sym(.slash), .integer(4)]),
]

private let layoutRows: [LexRow] = [
    LexRow("a\nb", [id("a"), nl, id("b")]),
    LexRow("a\n\n\n  \n# note\n\nb\n", [id("a"), nl, id("b"), nl]),
    LexRow("\n\n# only a comment\na", [id("a")]),
    LexRow("a \t\r\nb", [id("a"), nl, id("b")]),
    LexRow("a # comment ( [ \" \nb", [id("a"), nl, id("b")]),
    LexRow("#!/usr/bin/env pmo\nx", [id("x")]),
    LexRow("f(a,\n  b)\nc", [id("f"), sym(.lparen), id("a"), sym(.comma), id("b"), sym(.rparen), nl, id("c")]),
    LexRow("[a,\n b]", [sym(.lbracket), id("a"), sym(.comma), id("b"), sym(.rbracket)]),
    LexRow("[{a: 1,\n b: 2}]", [sym(.lbracket), sym(.lbrace), id("a"), sym(.colon), int(1), sym(.comma),
                                id("b"), sym(.colon), int(2), sym(.rbrace), sym(.rbracket)]),
    LexRow("{\na\n}", [sym(.lbrace), nl, id("a"), nl, sym(.rbrace)]),
    LexRow("(a\n[b\n]\nc)\nd", [sym(.lparen), id("a"), sym(.lbracket), id("b"), sym(.rbracket), id("c"),
                                sym(.rparen), nl, id("d")]),
    LexRow(")\na", [sym(.rparen), nl, id("a")]),
    LexRow("\u{FEFF}x", [id("x")]),
    LexRow("projects where bac > $1M | sort spi | take 5",
           [id("projects"), kw(.where), id("bac"), sym(.gt), money(10_000_000_000, "USD"), sym(.pipe), kw(.sort),
            id("spi"), sym(.pipe), kw(.take), int(5)]),
]

private let allRows = wordRows + numberRows + moneyRows + dateRows + stringRows + symbolRows + layoutRows

@Suite struct LexerTests {
    @Test(arguments: wordRows) func words(_ row: LexRow) { #expect(kinds(row.input) == row.expected) }
    @Test(arguments: numberRows) func numbers(_ row: LexRow) { #expect(kinds(row.input) == row.expected) }
    @Test(arguments: moneyRows) func moneyLiterals(_ row: LexRow) { #expect(kinds(row.input) == row.expected) }
    @Test(arguments: dateRows) func datesAndPeriods(_ row: LexRow) { #expect(kinds(row.input) == row.expected) }
    @Test(arguments: stringRows) func strings(_ row: LexRow) { #expect(kinds(row.input) == row.expected) }
    @Test(arguments: symbolRows) func symbols(_ row: LexRow) { #expect(kinds(row.input) == row.expected) }
    @Test(arguments: layoutRows) func layout(_ row: LexRow) { #expect(kinds(row.input) == row.expected) }

    @Test func everyKeywordInAnyCase() {
        for k in Keyword.allCases {
            #expect(kinds(k.rawValue) == [kw(k)])
            #expect(kinds(k.rawValue.uppercased()) == [kw(k)])
        }
    }

    @Test func symbolsRoundTrip() {
        for s in Symbol.allCases { #expect(kinds(s.rawValue) == [sym(s)]) }
    }

    /// Byte spans (start, end) of every token, `.endOfInput` included.
    @Test(arguments: [
        ("\"Zürich\" x", [(0, 9), (10, 11), (11, 11)]),
        ("250k EUR + 1", [(0, 8), (9, 10), (11, 12), (12, 12)]),
        ("€5 £1k", [(0, 4), (5, 9), (9, 9)]),
        ("a\n\nb", [(0, 1), (1, 2), (3, 4), (4, 4)]),
        ("a <= \"é{x}\"", [(0, 1), (2, 4), (5, 12), (12, 12)]),
        ("x \"abc\ny", [(0, 1), (2, 6), (6, 7), (7, 8), (8, 8)]),
        ("a \u{FF}\u{FE}", [(0, 1), (2, 4), (4, 6), (6, 6)]),
        ("2026-Q4.end", [(0, 7), (7, 8), (8, 11), (11, 11)]),
    ] as [(String, [(Int, Int)])])
    func spans(_ input: String, _ expected: [(Int, Int)]) {
        let tokens = Lexer.tokenize(file(input))
        #expect(tokens.map { Int($0.span.start) } == expected.map(\.0))
        #expect(tokens.map { Int($0.span.end) } == expected.map(\.1))
    }

    @Test func interpolationSpanPointsAtExpression() throws {
        let f = file("print \"{ab} né {c + d}\"")
        let tokens = Lexer.tokenize(f)
        guard case .string(let segments) = tokens[1].kind, segments.count == 3,
              case .interpolation(let first) = segments[0], case .interpolation(let second) = segments[2] else {
            Issue.record("expected a string with two interpolations, got \(tokens[1].kind)")
            return
        }
        #expect(f.text(first) == "ab")
        #expect(f.text(second) == "c + d")
        #expect(segments[1] == text(" né "))
        var sub = Lexer(file: f, start: Int(second.start), end: Int(second.end))
        let inner = sub.tokenize()
        #expect(inner.map(\.kind) == [id("c"), sym(.plus), id("d"), .endOfInput])
        #expect(inner.map { Int($0.span.start) } == [17, 19, 21, 22])
        #expect(inner.count == 4 && sub.tokenize() == inner)
    }

    @Test func subRangeIsClampedToTheFile() {
        var lexer = Lexer(file: file("abc"), start: -5, end: 99)
        #expect(lexer.tokenize().map(\.kind) == [id("abc"), .endOfInput])
        var empty = Lexer(file: file("abc"), start: 2, end: 1)
        #expect(empty.tokenize().map(\.kind) == [.endOfInput])
    }

    @Test(arguments: [
        ([0x61, 0x20, 0xFF] as [UInt8], [id("a"), err("invalid UTF-8 byte 0xFF")]),
        ([0xC3, 0x28], [err("invalid UTF-8 byte 0xC3"), sym(.lparen)]),
        ([0x80, 0x80, 0x41], [err("invalid UTF-8 byte 0x80"), id("A")]),
        ([0xED, 0xA0, 0x80], [err("invalid UTF-8 byte 0xED")]),          // surrogate
        ([0xC0, 0xAF], [err("invalid UTF-8 byte 0xC0")]),                 // overlong
        ([0x22, 0x61, 0xFE, 0x62, 0x22, 0x20, 0x63], [err("invalid UTF-8 byte 0xFE"), id("c")]),
        ([0x27, 0xF5, 0x27], [err("invalid UTF-8 byte 0xF5")]),
        ([0x23, 0xFF, 0x0A, 0x78], [id("x")]),                            // comments are not checked
        ([0xE2, 0x82], [err("invalid UTF-8 byte 0xE2")]),                 // truncated
        ([0x22, 0x5C, 0xFF, 0x22], [err("invalid UTF-8 byte 0xFF")]),     // after a backslash
    ] as [([UInt8], [TokenKind])])
    func invalidUTF8(_ bytes: [UInt8], _ expected: [TokenKind]) {
        let tokens = Lexer.tokenize(SourceFile(id: 0, name: "<bytes>", bytes: bytes))
        #expect(tokens.map(\.kind) == expected + [.endOfInput])
        checkInvariants(tokens, count: bytes.count)
    }

    @Test(arguments: allRows) func invariants(_ row: LexRow) {
        checkInvariants(Lexer.tokenize(file(row.input)), count: row.input.utf8.count)
    }

    /// Pseudo-random soup of the interesting bytes never traps and keeps the invariants.
    @Test func randomInputKeepsInvariants() {
        let alphabet = Array("aZ_09.5-%$€£\"'{}\\()[]#\n \t!?<>=kMBdmoQW".utf8) + [0xFF, 0xC3, 0x80]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<400 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(seed % 60) {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(alphabet[Int((seed >> 33) % UInt64(alphabet.count))])
            }
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            checkInvariants(Lexer.tokenize(SourceFile(id: 3, name: "<random>", bytes: bytes)), count: bytes.count, file: 3)
        }
    }

    @Test func deepNestingDoesNotRecurse() {
        let tokens = Lexer.tokenize(file(String(repeating: "(", count: 10_000) + "\nx"))
        #expect(tokens.count == 10_002)
        #expect(tokens[10_000].kind == id("x"))
        let strings = Lexer.tokenize(file("\"" + String(repeating: "{\"", count: 5_000)))
        #expect(strings.map(\.kind) == [err("unterminated '{' in string; write '{{' for a literal brace"), .endOfInput])
    }

    /// About 10 MB on one line: about 2 million tokens of every common kind, a 2 MB string and a long comment.
    /// Lexing it takes about half a second in a debug build; the bound leaves room for a busy machine
    /// while still catching anything quadratic.
    @Test func largeSingleLineInputIsFast() {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(11_000_000)
        let statement = Array("projects where bac > $1M and name = 'a' | ".utf8)
        let expression = Array("x + 1.5M * \"text {y} \" - 2026-Q4.end / 85% ?? 250k EUR | ".utf8)
        for _ in 0..<100_000 { bytes.append(contentsOf: statement) }
        for _ in 0..<60_000 { bytes.append(contentsOf: expression) }
        bytes.append(0x22)
        for _ in 0..<1_000_000 { bytes.append(0xC3); bytes.append(0xA9) } // é
        bytes.append(0x22)
        bytes.append(contentsOf: Array(" # ".utf8))
        bytes.append(contentsOf: [UInt8](repeating: 0x61, count: 1_000_000))
        let f = SourceFile(id: 0, name: "<large>", bytes: bytes)
        var tokens: [Token] = []
        let elapsed = ContinuousClock().measure { tokens = Lexer.tokenize(f) }
        #expect(bytes.count > 10_000_000)
        #expect(tokens.count == 100_000 * 10 + 60_000 * 14 + 2)
        #expect(tokens.filter { if case .error = $0.kind { return true } else { return false } }.isEmpty)
        #expect(tokens.last?.kind == .endOfInput)
        // Linear time, not speed: a quadratic lexer takes hours on 10 MB; a loaded debug build seconds.
        #expect(elapsed < .seconds(30))
    }
}

/// Exactly one `.endOfInput`, last, at the end; spans in order, non-overlapping, in bounds and in the file.
private func checkInvariants(_ tokens: [Token], count: Int, file: Int32 = 0,
                             sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(tokens.filter { $0.kind == .endOfInput }.count == 1, sourceLocation: sourceLocation)
    #expect(tokens.last?.kind == .endOfInput, sourceLocation: sourceLocation)
    #expect(tokens.last.map { Int($0.span.start) == count && Int($0.span.end) == count } == true,
            sourceLocation: sourceLocation)
    var previousEnd = 0
    var previousNewline = true
    for t in tokens {
        let s = Int(t.span.start), e = Int(t.span.end)
        #expect(t.span.file == file && s >= previousEnd && s <= e && e <= count,
                "span \(s)..<\(e) of \(t.kind)", sourceLocation: sourceLocation)
        #expect(!(previousNewline && t.kind == .newline), "newlines are collapsed", sourceLocation: sourceLocation)
        previousEnd = e
        previousNewline = t.kind == .newline
    }
}
