// No trap from input: every operator over the boundary values of every unit either answers or
// reports an error (issue 14: `-(65536d * -32768)` trapped on Duration negation at Int32.min).
import Testing
import PMOBase
@testable import PMORuntime

@Suite struct BoundaryArithmeticTests {
    /// Boundary literals of every unit the language has: integers, reals, money, percentages,
    /// hours (a resource's weekly capacity), durations in each unit, dates and periods.
    static let literals: [String] = [
        "0", "1", "-1", "2147483647", "2147483648", "-2147483648", "9223372036854775807", "(-9223372036854775807 - 1)",
        "0.5", "-0.0001", "922337203685477.5807", "1e300",
        "$0", "$1", "$922337203685477", "(-$922337203685477)", "$0.0001", "922337203685477 EUR",
        "0%", "100%", "-100%", "92233720368547%", "0.01%",
        "resource \"RES-1\".capacity", "(resource \"RES-1\".capacity * 230584300921369)",
        "0d", "1d", "65536d", "2147483647d", "(65536d * -32768)", "(0d - 2147483647d)",
        "32768mo", "2147483647mo", "178956970y", "2147483647bd", "306783378w", "1w",
        "0001-01-01", "9999-12-31", "2026-11-20", "2026-W47", "2026-Q4", "FY2026",
    ]
    static let binary = ["+", "-", "*", "/", "<", "<=", "=", "!=", ">", ">="]

    /// A run either gives an output, a diagnostic or a runtime error: never a trap, never nothing.
    static func answers(_ text: String) -> Bool {
        let r = Fixture.run(text)
        return !r.outputs.isEmpty || !r.diagnostics.isEmpty || r.runtimeError != nil
    }

    @Test(arguments: binary) func everyBinaryOperatorOverEveryBoundaryPair(_ op: String) {
        for a in Self.literals {
            for b in Self.literals {
                let text = "\(a) \(op) \(b)"
                #expect(Self.answers(text), "\(text)")
            }
        }
    }

    @Test func negationAndNestingOfEveryBoundaryValue() {
        for a in Self.literals {
            for text in ["-(\(a))", "-(-(\(a)))", "0d - (\(a))", "(\(a)) * -1", "(\(a)) / -1", "abs(\(a))"] {
                #expect(Self.answers(text), "\(text)")
            }
        }
    }

    @Test(arguments: [
        ("-(65536d * -32768)", "arithmetic overflow in '-'"),
        ("0d - (65536d * -32768)", "arithmetic overflow in '-'"),
        ("65536d * -32768 - 1d", "arithmetic overflow in '-'"),
        ("2147483647d + 1d", "arithmetic overflow in '+'"),
        ("2147483647mo * 2", "arithmetic overflow in '*'"),
        ("1d * 2147483648", "arithmetic overflow in '*'"),
    ])
    func durationOverflowIsARuntimeError(_ c: (String, String)) {
        let r = Fixture.run(c.0)
        #expect(r.runtimeError?.message.contains(c.1) == true, "\(c.0): \(r.rendered) \(r.runtimeError?.message ?? "")")
    }

    @Test func durationsInRangeStillWork() {
        #expect(Fixture.scalar("-(65536d * -32767)") == Fixture.scalar("2147418112d"))
        #expect(Fixture.scalar("0d - 2147483647d") == Fixture.scalar("-2147483647d"))
        #expect(Fixture.scalar("9999-12-31 - 0001-01-01") == Fixture.scalar("3652058d"))
    }
}
