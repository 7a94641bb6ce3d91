// The evaluation limits with tiny values: the step budget, the size cap on intermediate results
// (rows of a stage, periods of a list, bytes of a text), the parser's nesting depth and the call
// depth. Each limit stops the run with a clear error instead of running away; just under a limit
// the same script runs normally. Defaults are documented in RELIABILITY.md.
import Testing
import PMOBase
import PMOSyntax
@testable import PMORuntime

@Suite struct LimitTests {
    static let asOf = Day(year: 2026, month: 11, day: 20) ?? Day(raw: 0)

    /// A fresh session over the fixture with the given limits.
    func session(maxSteps: Int = 500_000_000, maxRows: Int = 50_000_000, maxDepth: Int = 200) -> Session {
        Session(store: Fixture.shared, sources: SourceMap(),
                options: EngineOptions(asOf: LimitTests.asOf, maxSteps: maxSteps, maxRows: maxRows, maxDepth: maxDepth),
                readFile: { _ in nil })
    }

    @Test func defaultsAreDocumentedValues() {
        let o = EngineOptions(asOf: LimitTests.asOf)
        #expect(o.maxSteps == 500_000_000)
        #expect(o.maxRows == 50_000_000)
        #expect(o.maxDepth == 200)
        #expect(Ctx.maxCallDepth == 200)
    }

    // MARK: - Steps

    @Test func stepBudgetStopsACrossProduct() {
        // 4 projects × 4 projects × 4 projects = 64 rows, more than 20 steps.
        let text = "projects | expand a in all projects | expand b in all projects | select name"
        let r = Fixture.run(text, session: session(maxSteps: 20))
        #expect(r.runtimeError?.message == "step budget exhausted after 20 steps; the script does too much work (raise it with --max-steps)")
        #expect(Fixture.run(text, session: session(maxSteps: 1_000)).runtimeError == nil)
    }

    @Test func stepBudgetStopsDeepButBoundedRecursion() {
        let text = "def count_down(n) = if n <= 0 then 0 else count_down(n - 1)\ncount_down(150)"
        let r = Fixture.run(text, session: session(maxSteps: 50))
        #expect(r.runtimeError?.message.hasPrefix("step budget exhausted after 50 steps") == true)
        #expect(Fixture.run(text, session: session()).runtimeError == nil)
    }

    @Test func callDepthStopsRunawayRecursion() {
        let r = Fixture.run("def down(n) = if n <= 0 then 0 else down(n - 1)\ndown(100000)", session: session())
        #expect(r.runtimeError?.message == "functions call each other more than 200 levels deep (runaway recursion?)")
    }

    // MARK: - Size of intermediate results

    @Test func rowCapStopsExpand() {
        // 4 projects × 14 ISO weeks (2026-W40 to 2026-W53) = 56 rows.
        let text = "projects | expand w in weeks(2026-Q4) | select name, w"
        let r = Fixture.run(text, session: session(maxRows: 55))
        #expect(r.runtimeError?.message == "'expand' would produce more than 55 rows; the result is too large")
        #expect(r.runtimeError?.help == "narrow the input with 'where' or 'take' first, or raise the limit with --max-rows")
        guard case .table(let t)? = Fixture.run(text, session: session(maxRows: 56)).outputs.last else {
            Issue.record("no table under a cap of 56 rows")
            return
        }
        #expect(t.rows.count == 56)
    }

    @Test func rowCapStopsACrossProductBeforeItIsBuilt() {
        let r = Fixture.run("projects | expand a in all projects | expand b in all projects | expand c in all projects",
                            session: session(maxRows: 100))
        #expect(r.runtimeError?.message == "'expand' would produce more than 100 rows; the result is too large")
    }

    /// Issue 19: the expand cap bounded rows, not memory (3 GB, or an abort under a 2.5 GB address
    /// limit): every row copies every column. A wide relation stops before its rows reach the cap.
    @Test func expandIsBoundedByMemoryAsWellAsRows() {
        let wide = "projects | select id, name, code, program, portfolio, manager, sponsor, state, phase, status, priority, "
            + "start, finish, baseline_finish, bac, contingency, business_case, tags, spi, cpi | expand w in weeks(2026-Q4)"
        let r = Fixture.run(wide, session: session(maxRows: 56))
        #expect(r.runtimeError?.message.hasSuffix("rows of 21 values, more than the 14336 bytes an intermediate result may take") == true,
                "\(r.runtimeError?.message ?? "no error")")
        #expect(Fixture.run(wide, session: session(maxRows: 10_000)).runtimeError == nil)
    }

    /// Issue 19: every value was within its own cap, but a result's rows could together hold any
    /// amount: each of 2,037 rows holding a 64 KiB text (or 5,000 rows a 30 MB one), each row a list
    /// of 5,219 weeks, each group a list of its rows. The texts, lists and tables a stage's rows hold
    /// are counted as they are made, against the same budget as `expand` (1 GiB; 256 bytes per row of
    /// `--max-rows`).
    @Test func resultsAreBoundedByWhatTheirRowsHold() {
        let doubling = "def twice(s, n) = if n = 0 then s else twice(s + s, n - 1)\n"
        let hostile: [(String, String)] = [
            (doubling + "timesheets | select t = twice(\"ab\", 15)", "'select' would hold more than the 25600000 bytes"),
            (doubling + "timesheets | extend t = \"{twice(\"ab\", 15)}!\" | take 1", "'extend' would hold more than the 25600000 bytes"),
            ("timesheets | extend w = weeks(2000-01-01, 2100-01-01)", "'extend' would hold more than the 25600000 bytes"),
            ("timesheets | select ts = (all timesheets | select hours, cost, week, project.name)", "'select' would hold more than the 25600000 bytes"),
            ("timesheets | group by project | select l = list(week)", "'select' per group would hold more than the 25600"),
        ]
        func demo(_ maxRows: Int) -> Session? {
            Demo.store.map { Session(store: $0, sources: SourceMap(), options: EngineOptions(asOf: LimitTests.asOf, maxRows: maxRows),
                                     readFile: { _ in nil }) }
        }
        for (i, (text, message)) in hostile.enumerated() {
            let r = Fixture.run(text, session: demo(i == 4 ? 100 : 100_000))
            #expect(r.diagnostics.isEmpty, "\(r.rendered)")
            #expect(r.runtimeError?.message.hasPrefix(message) == true, "\(text): \(r.runtimeError?.message ?? "no error")")
            #expect(r.runtimeError?.message.hasSuffix("an intermediate result may take (texts, lists and tables in its rows)") == true)
        }
        // The default budget (1 GiB) lets the same rows through.
        let fine = Fixture.run(doubling + "timesheets | select t = twice(\"ab\", 12)", session: demo(50_000_000))
        #expect(fine.runtimeError == nil && fine.diagnostics.isEmpty, "\(fine.runtimeError?.message ?? fine.rendered)")
        let lists = Fixture.run("timesheets | group by project | select l = list(week)", session: demo(50_000_000))
        #expect(lists.runtimeError == nil && lists.diagnostics.isEmpty, "\(lists.runtimeError?.message ?? lists.rendered)")
    }

    @Test func rowCapLimitsPeriodLists() {
        let r = Fixture.run("count(weeks(2026-01-01, 2026-12-31))", session: session(maxRows: 10))
        #expect(r.runtimeError?.message == "too many periods between 2026-01-01 and 2026-12-31 (more than 10)")
        #expect(r.runtimeError?.help == "raise the limit with --max-rows")
        #expect(Fixture.run("count(weeks(2026-Q4))", session: session(maxRows: 14)).runtimeError == nil)
    }

    @Test func periodListsHaveAFixedCeilingToo() {
        let r = Fixture.run("count(weeks(0001-01-01, 9999-12-31))", session: session())
        #expect(r.runtimeError?.message == "too many periods between 0001-01-01 and 9999-12-31 (more than 100000)")
        #expect(r.runtimeError?.help == nil)
    }

    @Test func textCapStopsInterpolationDoubling() {
        let text = "def twice(s, n) = if n = 0 then s else twice(\"{s}{s}\", n - 1)\nlength(twice(\"ab\", 60))"
        let r = Fixture.run(text, session: session(maxRows: 1_000))
        #expect(r.runtimeError?.message == "text of more than 1000 bytes; the result is too large")
        let small = "def twice(s, n) = if n = 0 then s else twice(\"{s}{s}\", n - 1)\nlength(twice(\"ab\", 9))"
        #expect(Fixture.scalar(small) == "1024")
    }

    @Test func textCapStopsConcatenation() {
        let text = "def grow(s, n) = if n = 0 then s else grow(s + s, n - 1)\nlength(grow(\"abcd\", 60))"
        let r = Fixture.run(text, session: session(maxRows: 100))
        #expect(r.runtimeError?.message == "text of more than 100 bytes; the result is too large")
        #expect(Fixture.run("length(\"ab\" + \"cd\")", session: session(maxRows: 4)).runtimeError == nil)
    }

    // MARK: - Nesting depth

    @Test func nestingDepthIsAnOption() {
        let deep = String(repeating: "(", count: 6) + "1" + String(repeating: ")", count: 6)
        let r = Fixture.run(deep, session: session(maxDepth: 3))
        #expect(r.diagnostics.map(\.message) == ["expression is nested too deeply (more than 3 levels)"])
        #expect(r.outputs.isEmpty)
        #expect(Fixture.run(deep, session: session(maxDepth: 10)).diagnostics.isEmpty)
    }

    @Test func nestingDepthAppliesToUsedFiles() {
        let deep = "let x = " + String(repeating: "(", count: 6) + "1" + String(repeating: ")", count: 6) + "\n"
        let sources = SourceMap()
        let s = Session(store: Fixture.shared, sources: sources,
                        options: EngineOptions(asOf: LimitTests.asOf, maxDepth: 3),
                        readFile: { $0 == "lib.pmo" ? Array(deep.utf8) : nil })
        let (compiled, diagnostics) = s.compile(sources.add(name: "main.pmo", text: "use \"lib.pmo\"\nx\n"))
        #expect(compiled == nil)
        #expect(diagnostics.map(\.message).contains("expression is nested too deeply (more than 3 levels)"), "\(diagnostics)")
        #expect(diagnostics.contains { $0.message.hasPrefix("expression is nested") && sources.file($0.span.file)?.name == "lib.pmo" })
    }
}
