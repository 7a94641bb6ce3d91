// Three-valued logic, complete (issue 16): every cell of AND, OR and NOT over true, false and none,
// short-circuiting (the right side is not evaluated when the left decides, and is when it does not),
// and what a filter keeps when its condition is none (nothing, whether or not it is negated).
import Testing
@testable import PMORuntime

@Suite struct ThreeValuedLogicTests {
    /// A condition that is true, false or none, written so no constant folding can see through it.
    static let values: [(name: String, expr: String)] = [
        ("true", "(count(projects) > 0)"), ("false", "(count(projects) < 0)"), ("none", "(project \"PRJ-2\".contingency > $0)"),
    ]

    /// Kleene's tables, cell by cell: [left][right].
    static let and: [String: [String: String]] = [
        "true": ["true": "true", "false": "false", "none": "none"],
        "false": ["true": "false", "false": "false", "none": "false"],
        "none": ["true": "none", "false": "false", "none": "none"],
    ]
    static let or: [String: [String: String]] = [
        "true": ["true": "true", "false": "true", "none": "true"],
        "false": ["true": "true", "false": "false", "none": "none"],
        "none": ["true": "true", "false": "none", "none": "none"],
    ]

    @Test func theThreeValuesAreWhatTheyClaim() {
        for v in Self.values { #expect(Fixture.scalar(v.expr) == v.name, "\(v.expr)") }
    }

    @Test func everyCellOfAndOrNot() {
        for l in Self.values {
            #expect(Fixture.scalar("not \(l.expr)") == ["true": "false", "false": "true", "none": "none"][l.name], "not \(l.name)")
            #expect(Fixture.scalar("\(l.expr) is none") == (l.name == "none" ? "true" : "false"), "\(l.name) is none")
            for r in Self.values {
                #expect(Fixture.scalar("\(l.expr) and \(r.expr)") == Self.and[l.name]?[r.name], "\(l.name) and \(r.name)")
                #expect(Fixture.scalar("\(l.expr) or \(r.expr)") == Self.or[l.name]?[r.name], "\(l.name) or \(r.name)")
                // De Morgan holds in Kleene logic too.
                #expect(Fixture.scalar("not (\(l.expr) and \(r.expr))") == Fixture.scalar("not \(l.expr) or not \(r.expr)"), "De Morgan \(l.name), \(r.name)")
            }
        }
    }

    /// `boom(1) > 0` fails at run time (an overflow): it shows whether the right side was evaluated.
    static let boom = "def boom(n) = n * 9223372036854775807 * 2\n"

    @Test func theRightSideRunsOnlyWhenTheLeftDoesNotDecide() {
        #expect(Fixture.scalar(Self.boom + "boom(1) > 0").hasPrefix("RUNTIME:"), "the probe must fail when evaluated")
        for (left, decides) in [("false", "false"), ("none", nil), ("true", nil)] as [(String, String?)] {
            let l = Self.values.first { $0.name == left }?.expr ?? ""
            let got = Fixture.scalar(Self.boom + "\(l) and boom(1) > 0")
            if let decides { #expect(got == decides, "\(left) and <error>") } else { #expect(got.hasPrefix("RUNTIME:"), "\(left) and <error>: \(got)") }
        }
        for (left, decides) in [("true", "true"), ("none", nil), ("false", nil)] as [(String, String?)] {
            let l = Self.values.first { $0.name == left }?.expr ?? ""
            let got = Fixture.scalar(Self.boom + "\(l) or boom(1) > 0")
            if let decides { #expect(got == decides, "\(left) or <error>") } else { #expect(got.hasPrefix("RUNTIME:"), "\(left) or <error>: \(got)") }
        }
        #expect(Fixture.scalar(Self.boom + "if \(Self.values[1].expr) then boom(1) else 0") == "0", "if evaluates only its chosen branch")
        #expect(Fixture.scalar(Self.boom + "3 ?? boom(1)") == "3", "?? evaluates its right side only for none")
    }

    /// A filter keeps a row only where its condition is true: none is kept neither by the condition nor by its negation.
    @Test func aFilterKeepsOnlyTrue() {
        let yes = Fixture.scalar("count(projects where contingency > $0)")
        let no = Fixture.scalar("count(projects where not (contingency > $0))")
        let unknown = Fixture.scalar("count(projects where (contingency > $0) is none)")
        #expect([yes, no, unknown] == ["1", "0", "3"])
        #expect(Fixture.scalar("count(projects)") == "4")
        #expect(Fixture.scalar("count(projects where contingency > $0 or contingency is none)") == "4")
        #expect(Fixture.scalar("count(projects where contingency > $0 and contingency is none)") == "0")
    }
}
