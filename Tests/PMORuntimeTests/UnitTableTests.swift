// The unit table (UnitTable.swift, shown in grammar.md "Units") is the one structure the checker
// (TypeRules) and the evaluator (Arithmetic) consult: every operator over every pair of units is
// accepted with the same result unit or refused with the same reason, by both, and end to end.
import Testing
import PMOBase
import PMOSyntax
@testable import PMORuntime

@Suite struct UnitTableTests {
    /// One sample of each unit: its static type, a value (non-zero, so division is defined) and its text.
    static let samples: [Unit: (VType, Value, String)] = [
        .integer: (.int, .int(3), "3"), .number: (.real, .real(2.5), "2.5"),
        .percentage: (.percent, .percent(Fixed(units: 2500)), "25%"), .hours: (.hours, .hours(Fixed(units: 400_000)), "40h"),
        .money: (.money("USD"), .money(Fixed(units: 1_000_000), currency: "USD"), "$100"),
        .date: (.date, .date(Day(year: 2026, month: 11, day: 20)!), "2026-11-20"),
        .duration: (.duration, .duration(Duration(days: 30)), "30d"),
        .period: (.period, .period(Period.month(year: 2026, month: 11)!), "2026-11"),
        .text: (.string, .string("a"), "\"a\""), .bool: (.bool, .bool(true), "true"),
        .list: (.list(.int), .list([.int(1), .int(2)]), "[1, 2]"),
        .other: (.entity(.project), .entity(.project, 0), "project \"PRJ-1\""),
    ]

    /// Every operator over every pair of units, three ways: the checker (TypeRules) gives the table's
    /// answer; the evaluator (Arithmetic) gives a value of the table's result unit or refuses with the
    /// table's reason; and the language, end to end, answers or reports the same check error.
    @Test(arguments: UnitTable.operators)
    func everyOperatorOverEveryPairOfUnits(_ op: BinaryOp) throws {
        var accepted = 0, refused = 0
        for a in Unit.allCases {
            for b in Unit.allCases {
                let (ta, va, xa) = try #require(Self.samples[a]), (tb, vb, xb) = try #require(Self.samples[b])
                let what = "\(xa) \(op.rawValue) \(xb)"
                let outcome = UnitTable.outcome(op, a, b)
                let checker = TypeRules.arithmetic(op, ta, tb)
                let run = Fixture.run(what)
                switch outcome {
                case .result(let u):
                    accepted += 1
                    guard case .success(let t) = checker else { Issue.record("\(what): the table accepts, the checker refuses"); continue }
                    #expect(Unit(t) == u, "\(what): checker says \(t), table says \(u)")
                    do {
                        let v = try Arithmetic.apply(op, va, vb, at: .unknown)
                        #expect(Unit(v) == u, "\(what): the table says \(u), the evaluator gives \(v)")
                    } catch { Issue.record("\(what) is accepted as \(u) but the evaluator fails: \(error)") }
                    #expect(run.diagnostics.isEmpty && run.runtimeError == nil, "\(what): \(run.rendered) \(run.runtimeError?.message ?? "")")
                case .refused(let message, _):
                    refused += 1
                    guard case .failure(let e) = checker else { Issue.record("\(what): the table refuses, the checker accepts"); continue }
                    // The checker names the operands by their types (`money (USD)`), the evaluator by their units.
                    #expect(UnitTable.outcome(op, a, b, names: ("\(ta)", "\(tb)")) == .refused(e.message, hint: e.hint))
                    #expect(throws: RuntimeError.self, "\(what): refused by the table but evaluated") { try Arithmetic.apply(op, va, vb, at: .unknown) }
                    do { _ = try Arithmetic.apply(op, va, vb, at: .unknown) } catch let r as RuntimeError { #expect(r.message == message, "\(what)") }
                    #expect(run.rendered.contains("test.pmo:1:") && run.rendered.contains("error: \(e.message)"), "\(what): \(run.rendered)")
                }
            }
        }
        #expect(accepted >= 12 && refused >= 50, "accepted \(accepted), refused \(refused)")
    }

    /// grammar.md's "Units" table is the table itself.
    @Test func grammarShowsTheTable() throws {
        let root = String(#filePath).split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/")
        let grammar = try String(contentsOfFile: root + "/grammar.md", encoding: .utf8)
        #expect(grammar.contains(UnitTable.markdown), "grammar.md's Units table differs from UnitTable.markdown:\n\(UnitTable.markdown)")
    }

    /// Two currencies are refused by the checker and the evaluator alike.
    @Test func moneyOfTwoCurrencies() {
        let usd = Value.money(Fixed(units: 10_000), currency: "USD"), eur = Value.money(Fixed(units: 10_000), currency: "EUR")
        for op in [BinaryOp.add, .sub, .div] {
            guard case .failure = TypeRules.arithmetic(op, .money("USD"), .money("EUR")) else { Issue.record("\(op) accepted"); continue }
            #expect(throws: RuntimeError.self) { try Arithmetic.apply(op, usd, eur, at: .unknown) }
        }
    }

    @Test(arguments: [BinaryOp.eq, .lt])
    func everyAcceptedComparisonIsDecided(_ op: BinaryOp) {
        for (ta, a, _) in Self.samples.values where ta != .list(.int) {
            for (tb, b, _) in Self.samples.values where tb != .list(.int) {
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

/// Every built-in function over an argument of every unit (issue 12, item 4): the right answer, or a
/// check error with its location; never a run-time failure and never a silent none.
@Suite struct FunctionArgumentTests {
    /// One expression of each kind of value the language has.
    static let samples: [String] = [
        "3", "2.5", "25%", "40h", "$100", "2026-11-20", "30d", "-30d", "2026-11", "\"abc\"", "true",
        "project \"PRJ-1\".phase", "project \"PRJ-1\"", "projects", "[1, 2]", "(projects | select bac)", "none",
    ]
    /// A good argument for each position, to pair with every sample in the other position.
    static let good: [String: [String]] = [
        "exists": ["projects"], "weeks": ["2026-11-01", "2026-11-30"], "months": ["2026-01-01", "2026-11-30"],
        "quarters": ["2026-01-01", "2026-11-30"], "round": ["2.345", "1"], "abs": ["-3"], "length": ["\"abc\""],
        "lower": ["\"ABC\""], "upper": ["\"abc\""], "days": ["30d"], "trend": ["3", "4"],
        "upstream": ["project \"PRJ-1\"", "2"], "downstream": ["project \"PRJ-1\"", "2"],
        "depends_on": ["project \"PRJ-1\"", "project \"PRJ-2\""],
        "count": ["projects"], "sum": ["projects.bac"], "avg": ["projects.bac"], "min": ["projects.bac", "$1"],
        "max": ["projects.bac", "$1"], "median": ["projects.bac"], "list": ["projects.bac"],
    ]

    static func calls() -> [String] {
        var out: [String] = []
        for (f, g) in good.sorted(by: { $0.key < $1.key }) {
            let arity = Compiler.builtinArity[f] ?? 1...2
            for s in samples {
                if arity.contains(1) { out.append("\(f)(\(s))") }
                if arity.contains(2) && g.count == 2 { out.append("\(f)(\(g[0]), \(s))"); out.append("\(f)(\(s), \(g[1]))") }
            }
        }
        return out
    }

    @Test func everyFunctionOverEveryUnitAnswersOrIsRefused() {
        #expect(Set(Compiler.allFunctionNames).isSubset(of: Set(Self.good.keys)), "a built-in is missing from this table")
        var refused = 0, answered = 0
        for text in Self.calls() {
            let r = Fixture.run(text)
            if !r.diagnostics.isEmpty {
                refused += 1
                #expect(r.rendered.contains("test.pmo:1:"), "\(text): an error without its location: \(r.rendered)")
                continue
            }
            if let e = r.runtimeError { Issue.record("\(text) passes the checker but fails at run time: \(e.message)"); continue }
            guard case .scalar(let v)? = r.outputs.last else { answered += 1; continue }
            answered += 1
            // none is an answer only from a none argument (missing data) or a set with no values.
            if v.isNone && !text.contains("none") { Issue.record("\(text) is silently none") }
        }
        #expect(refused > 50 && answered > 50, "refused \(refused), answered \(answered)")
    }

    /// Answers and errors that were wrong before (issue 12 follow-up).
    @Test(arguments: [
        ("abs(-30d)", "30d"), ("abs(30d)", "30d"), ("round(12.345%)", "12%"), ("round(12.345%, 1)", "12.3%"), ("round(10%)", "10%"),
        ("max(1, \"a\")", "ERROR"), ("min($1, 2026-01-01)", "ERROR"), ("max(1, 2.5)", "2.50"), ("min($5, $3)", "$3.00"),
        ("trend(\"x\")", "ERROR"), ("days(2026-11)", "30"),
    ])
    func fixedAnswers(_ text: String, _ want: String) {
        let got = Fixture.scalar(text)
        if want == "ERROR" { #expect(got.hasPrefix("ERROR: test.pmo:1:"), "\(text): \(got)") } else { #expect(got == want, "\(text)") }
    }

    /// A path through a list of entities: `projects.manager` is a list of people, and a field of it is
    /// the list of their values.
    @Test(arguments: [
        ("count(projects.manager)", "4"),
        ("count(projects.sponsor)", "2"),
        ("programs where id = \"PRG-1\" | select n = list(projects.manager.name)", "Ada Lovelace, Ada Lovelace"),
        ("count(projects.manager.managed_projects)", "4"),
        ("count(projects.sponsor.owned_risks)", "1"),
        ("length(projects.manager.department)", "4"),
    ])
    func pathsThroughAListOfEntities(_ text: String, _ want: String) {
        let r = Fixture.run(text)
        let got: String
        switch r.outputs.last {
        case .scalar(let v)?: got = Display.text(v, store: Fixture.shared)
        case .table(let t)?: got = t.rows.first.map { Display.text($0[0], store: Fixture.shared) } ?? "no rows"
        default: got = "ERROR " + r.rendered
        }
        #expect(got == want, "\(text)")
    }

    @Test func anUnknownFieldOfAListOfEntitiesIsAnErrorWithASuggestion() {
        let r = Fixture.run("count(projects.manager.nmae)")
        #expect(r.rendered.contains("test.pmo:1:24: error: unknown field 'nmae' on person"), "\(r.rendered)")
        #expect(r.rendered.contains("did you mean 'name'?"), "\(r.rendered)")
    }
}
