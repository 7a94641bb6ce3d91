// The unit table (TypeRules, grammar.md "Units") and the evaluator (Arithmetic, Comparison) agree:
// every operator over every pair of units is either refused by the checker or evaluates to a value
// of the type the checker promised. A combination the checker accepts can never fail at run time.
import Testing
import PMOBase
import PMOSyntax
@testable import PMORuntime

@Suite struct UnitTableTests {
    /// One sample value of each unit the checker knows (non-zero, so division is defined).
    static let samples: [(VType, Value)] = [
        (.int, .int(3)), (.real, .real(2.5)), (.percent, .percent(Fixed(units: 2500))),
        (.hours, .hours(Fixed(units: 400_000))), (.money("USD"), .money(Fixed(units: 1_000_000), currency: "USD")),
        (.money("EUR"), .money(Fixed(units: 1_000_000), currency: "EUR")),
        (.date, .date(Day(year: 2026, month: 11, day: 20)!)), (.duration, .duration(Duration(days: 30))),
        (.period, .period(Period.month(year: 2026, month: 11)!)), (.string, .string("a")), (.bool, .bool(true)),
        (.list(.period), .list([.int(1), .int(2)])),
    ]

    /// Whether a runtime value is of the static type `t`.
    static func matches(_ v: Value, _ t: VType) -> Bool {
        switch (v, t) {
        case (.none, _): return true
        case (.int, .int), (.real, .real), (.percent, .percent), (.hours, .hours), (.date, .date),
             (.duration, .duration), (.period, .period), (.string, .string), (.bool, .bool): return true
        case (.money(_, let c), .money(let d)): return c == d
        default: return false
        }
    }

    @Test(arguments: [BinaryOp.add, .sub, .mul, .div])
    func everyAcceptedArithmeticEvaluatesToItsType(_ op: BinaryOp) throws {
        var accepted = 0
        for (ta, a) in Self.samples where ta != .list(.period) {
            for (tb, b) in Self.samples {
                guard case .success(let t) = TypeRules.arithmetic(op, ta, tb) else { continue }
                accepted += 1
                let v: Value
                do { v = try Arithmetic.apply(op, a, b, at: .unknown) } catch {
                    Issue.record("\(ta) \(op.rawValue) \(tb) is accepted as \(t) but fails at run time: \(error)")
                    continue
                }
                #expect(Self.matches(v, t), "\(ta) \(op.rawValue) \(tb): checker says \(t), evaluator gives \(v)")
            }
        }
        #expect(accepted > 10)
    }

    @Test(arguments: [BinaryOp.eq, .lt])
    func everyAcceptedComparisonIsDecided(_ op: BinaryOp) {
        for (ta, a) in Self.samples where ta != .list(.period) {
            for (tb, b) in Self.samples where tb != .list(.period) {
                guard TypeRules.comparable(op, ta, tb) == nil else { continue }
                #expect(Comparison.order(a, b) != nil || ta == tb, "\(ta) \(op.rawValue) \(tb) is accepted but cannot be decided")
            }
        }
    }

    /// The table's rows as the user writes them (grammar.md "Units"), through the whole pipeline.
    @Test(arguments: [
        ("40h * $100", "$4,000.00"), ("$100 * 40h", "$4,000.00"), ("$4000 / 40h", "$100.00"), ("40h + 7.5h", "47.5h"),
        ("40h / 8h", "5.00"), ("2026-11-22 - 2026-11-01", "21d"), ("days(2026-11-22 - 2026-11-01)", "21"),
    ])
    func rowsOfTheTableEvaluate(_ text: String, _ want: String) {
        #expect(Fixture.scalar(text) == want, "\(text)")
    }

    @Test func capacityTimesRateIsMoney() {
        #expect(Fixture.column("resources where id = \"RES-1\" | select r = capacity * rate") == ["$4,000.00"])
    }
}
