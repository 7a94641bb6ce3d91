// The language's semantics: none and three-valued logic, units, aggregates, sorting, grouping, dates.
import Testing
import PMOBase
@testable import PMORuntime

@Suite struct SemanticsTests {
    @Test(arguments: [
        // none propagates through arithmetic; division by zero is none
        ("none + 1", "none"), ("1 / 0", "none"), ("$5 / 0", "none"), ("$5 / $0", "none"), ("5 / 0%", "none"),
        // three-valued logic
        ("none = 1", "none"), ("none != 1", "none"), ("(none = 1) and false", "false"), ("(none = 1) or true", "true"),
        ("(none = 1) and true", "none"), ("not (none = 1)", "none"), ("none is none", "true"), ("1 is not none", "true"),
        ("none ?? 3", "3"), ("2 ?? 3", "2"),
        // units
        ("$1.5M + $500k", "$2,000,000.00"), ("$1M / $4M", "0.25"), ("$100 * 15%", "$15.00"), ("10% + 20% + 70%", "100%"),
        ("10% + 20% + 70% = 100%", "true"), ("2026-11-22 - 2026-11-01", "21d"), ("2026-01-31 + 1mo", "2026-02-28"),
        ("2026-11-20 + 10bd", "2026-12-04"), ("250k EUR + €250k", "€500,000.00"), ("7 / 2", "3.50"), ("-(3)", "-3"),
        // dates and periods
        ("2026-Q4.start", "2026-10-01"), ("2026-Q4.end", "2026-12-31"), ("2026-W47.start", "2026-11-16"),
        ("2026-11.end", "2026-11-30"), ("2026-11-22.quarter", "2026-Q4"), ("2026-11-22.week", "2026-W47"),
        ("2026-11-25 between 2026-11-01 and 2026-11.end", "true"), ("count(weeks(2026-Q4))", "14"),
        ("FY2026.end", "2026-12-31"), ("today", "2026-11-20"),
        // text
        ("\"Apollo\" contains \"POL\"", "true"), ("\"Apollo\" starts with \"ap\"", "true"), ("\"Apollo\" ends with \"LO\"", "true"),
        ("\"PRJ-42\" matches \"^PRJ-[0-9]+$\"", "true"), ("\"a{{b}}\"", "a{b}"), ("\"{1 + 1} items\"", "2 items"),
        // aggregates over collections
        ("sum(projects.bac)", "$8,300,000.00"), ("avg([1, 2, 3, 4])", "2.50"), ("median([1, 2, 3, 4])", "2.50"),
        ("median([3, 1, 2])", "2.00"), ("sum((projects where bac > $100M).bac)", "$0.00"), ("avg(list(projects.contingency))", "$100,000.00"),
        ("max([1, 5, 3])", "5"), ("min(2, 7)", "2"), ("count(projects.sponsor)", "2"),
        ("count(milestones where overdue)", "2"), ("exists(issues where state = open)", "true"),
        // entities and relationships
        ("project \"PRJ-1\".name", "Apollo"), ("project \"Apollo\".program.name", "ERP"),
        ("project \"PRJ-1\".program.portfolio.name", "Enterprise"), ("count(program \"PRG-1\".projects)", "2"),
        ("if 1 > 2 then \"a\" else if 2 > 1 then \"b\" else \"c\"", "b"),
        ("round($10.555, 2)", "$10.56"), ("length(\"Zürich\")", "6"),
    ])
    func scalar(_ c: (String, String)) {
        #expect(Fixture.scalar(c.0) == c.1, "\(c.0)")
    }

    @Test func earnedValue() {
        #expect(Fixture.scalar("project \"PRJ-1\".cpi") == "0.85")
        #expect(Fixture.scalar("project \"PRJ-1\".spi") == "0.85")
        #expect(Fixture.scalar("project \"PRJ-2\".cpi") == "none")        // AC = 0
        #expect(Fixture.scalar("project \"PRJ-3\".spi") == "none")        // PV = 0
        #expect(Fixture.scalar("project \"PRJ-1\".status") == "red")      // from the latest report
        #expect(Fixture.scalar("project \"PRJ-4\".status") == "none")     // neither report nor imported value
        #expect(Fixture.scalar("program \"PRG-1\".cpi") == "1.06")        // (850k + 210k) / (1M + 0)
    }

    @Test func asOfChangesTheLatestReport() {
        let r = Fixture.run("as of 2026-11-01\nproject \"PRJ-1\".status\nproject \"PRJ-1\".cpi")
        guard r.outputs.count == 2, case .scalar(let s) = r.outputs[0], case .scalar(let c) = r.outputs[1] else {
            Issue.record("outputs: \(r.outputs) \(r.rendered)"); return
        }
        #expect(Display.text(s, store: nil) == "amber")
        #expect(Display.text(c, store: nil) == "0.94")
    }

    @Test func whereKeepsOnlyTrueRows() {
        // PRJ-4 has no bac: its comparison is unknown, so it is in neither answer.
        #expect(Fixture.column("projects where bac > $1M") == ["PRJ-1", "PRJ-3"])
        #expect(Fixture.column("projects where not (bac > $1M)") == ["PRJ-2"])
        #expect(Fixture.column("projects where bac is none") == ["PRJ-4"])
    }

    @Test func sortingIsStableWithNoneLast() {
        #expect(Fixture.column("projects | sort bac") == ["PRJ-2", "PRJ-1", "PRJ-3", "PRJ-4"])
        #expect(Fixture.column("projects | sort bac desc") == ["PRJ-3", "PRJ-1", "PRJ-2", "PRJ-4"])
        #expect(Fixture.column("projects | sort program.name") == ["PRJ-3", "PRJ-4", "PRJ-1", "PRJ-2"])
        #expect(Fixture.column("projects | order by phase desc, id | limit 2") == ["PRJ-1", "PRJ-2"])
    }

    @Test func groupByPutsNoneKeysTogether() {
        #expect(Fixture.column("projects | group by sponsor.name | select who = sponsor.name, n = count()", 1) == ["2", "1", "1"])
        #expect(Fixture.column("projects | group by phase") == ["execution", "planning", "initiation"])
        #expect(Fixture.column("projects | distinct program.name") == ["ERP", "Commerce"])
        #expect(Fixture.column("projects | aggregate n = count(), total = sum(bac)", 1) == ["$8,300,000.00"])
        #expect(Fixture.column("projects where bac > $100M | aggregate n = count(), total = sum(bac), mean = avg(bac)", 2) == ["none"])
    }

    @Test func aggregatesOverARelationshipAgreeWithTheGeneralPath() {
        let q = "projects where id = \"PRJ-1\" | select s = sum(timesheets.cost), n = count(timesheets.hours), a = avg(timesheets.hours), m = max(timesheets.cost), g = sum(list(timesheets.cost))"
        #expect(Fixture.column(q, 0) == ["$5,120.00"])
        #expect(Fixture.column(q, 1) == ["3"])
        #expect(Fixture.column(q, 2) == ["17.33h"])
        #expect(Fixture.column(q, 3) == ["$2,400.00"])
        #expect(Fixture.column(q, 4) == ["$5,120.00"])
        #expect(Fixture.column("projects where id = \"PRJ-4\" | select s = sum(timesheets.cost), m = max(timesheets.cost)", 1) == ["none"])
    }

    @Test func capacityIsExact() {
        // 10% + 20% + 70% of 40 h/week is exactly the capacity: not over-allocated.
        #expect(Fixture.column("resources where overallocated(2026-12)") == ["RES-1"])
        #expect(Fixture.scalar("resource \"RES-2\".utilization(2026-12)") == "100%")
        #expect(Fixture.scalar("resource \"RES-3\".utilization(2026-12)") == "none")
        #expect(Fixture.column("resources | expand w in weeks(2026-W47, 2026-W48) | select name, w | take 3", 1) == ["2026-W47", "2026-W48", "2026-W47"])
    }

    @Test func letIsEvaluatedOnceAndPersists() {
        let r = Fixture.run("let big = projects where bac > $1M\nprint \"{count(big)} big\"\ncount(big)")
        #expect(r.diagnostics.isEmpty, "\(r.rendered)")
        guard case .text(let t)? = r.outputs.first else { Issue.record("\(r.outputs)"); return }
        #expect(t == "2 big")
    }

    @Test func userFunctionsAndComputedFields() {
        let r = Fixture.run("""
        def overrun(p) = p.ac - p.bac
        def fact(n) = if n <= 1 then 1 else n * fact(n - 1)
        def project.burn = ac / weeks(start, today)
        fact(10)
        projects where burn > $10k | select id, over = overrun(this)
        """)
        #expect(r.diagnostics.isEmpty, "\(r.rendered)")
        guard r.outputs.count == 2, case .scalar(let f) = r.outputs[0], case .table(let t) = r.outputs[1] else {
            Issue.record("\(r.outputs) \(r.runtimeError?.message ?? "")"); return
        }
        #expect(f == .int(3_628_800))
        #expect(t.rows.map { Display.text($0[0], store: nil) } == ["PRJ-1"])
    }

    @Test func runawayRecursionStops() {
        let r = Fixture.run("def f(n) = f(n + 1)\nf(1)")
        #expect(r.runtimeError?.message.contains("levels deep") == true)
    }

    @Test func stepBudgetStopsRunawayWork() {
        let s = Session(store: Fixture.shared, sources: .init(), options: EngineOptions(asOf: Day(raw: 20_000), maxSteps: 3), readFile: { _ in nil })
        let r = Fixture.run("timesheets | where hours > 0 | sort hours", session: s)
        #expect(r.runtimeError?.message.contains("step budget") == true)
    }

    @Test func failedAssertionIsARuntimeError() {
        let r = Fixture.run("assert count(projects) = 0, \"no projects expected\"")
        #expect(r.runtimeError?.message == "assertion failed: no projects expected")
    }
}
