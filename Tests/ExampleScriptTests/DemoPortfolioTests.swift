// The demo portfolio is data: examples/demo/*.csv are its source, edited directly (tools/gen_demo.py,
// which generated them once, is gone: it no longer matched the files). What examples/demo/README.md
// promises about them is checked here, so an edit that breaks a deliberate problem or trap fails.
import Testing

@Suite struct DemoPortfolioTests {
    /// (what the README says, a statement, its one output line)
    static let promises: [(String, String, String)] = [
        // Contents: the row counts of the table.
        ("31 people", "count(people)", "31"), ("3 portfolios", "count(portfolios)", "3"), ("9 programs", "count(programs)", "9"),
        ("37 projects", "count(projects)", "37"), ("152 milestones", "count(milestones)", "152"), ("226 tasks", "count(tasks)", "226"),
        ("28 dependencies", "count(dependencies)", "28"), ("42 resources", "count(resources)", "42"),
        ("103 allocations", "count(allocations)", "103"), ("2037 timesheet lines", "count(timesheets)", "2037"),
        ("70 risks", "count(risks)", "70"), ("54 issues", "count(issues)", "54"), ("290 status reports", "count(status_reports)", "290"),
        ("135 gates", "count(gates)", "135"), ("17 changes", "count(changes)", "17"), ("20 holidays", "count(holidays)", "20"),
        ("the status date", "today", "2026-11-20"),
        // 1. No sponsor on large, unfinished projects, and its traps.
        ("1: no sponsor over $1M", "count(projects where sponsor is none and bac > $1M and phase != closed)", "3"),
        ("1: trap under $1M", "project \"PRJ-0011\".sponsor is none and project \"PRJ-0011\".bac < $1M", "true"),
        // 2. Red with no open issue.
        ("2: red without an open issue", "count(projects where not exists(issues where state = open) and status = red)", "1"),
        ("2: PRJ-0006", "exists(projects where id = \"PRJ-0006\" and status = red and not exists(issues where state = open))", "true"),
        // 3. Over-allocation and its traps (exact decimals, requested allocations).
        ("3: over-allocated in December", "count(resources where utilization(2026-12) > 100%)", "2"),
        ("3: Chloe Martin", "resource \"RES-007\".utilization(2026-12) = 110%", "true"),
        ("3: Alicia Ramos", "resource \"RES-029\".utilization(2026-12) = 120%", "true"),
        ("3: trap, exactly 100%", "resource \"RES-020\".utilization(2026-12) = 100%", "true"),
        ("3: trap, requested only", "resource \"RES-038\".utilization(2026-12) = 70%", "true"),
        // 4. Stale status.
        ("4: stale in execution", "count(projects where status_age > 14d and phase = execution)", "1"),
        ("4: PRJ-0016 is 21 days old", "project \"PRJ-0016\".status_age = 21d", "true"),
        ("4: no report at all", "project \"PRJ-0004\".status_age is none", "true"),
        // 5. Overdue milestones and the traps on the status date.
        ("5: nine overdue", "count(milestones where overdue)", "9"),
        ("5: due on the status date is not overdue", "milestone \"MS-0065\".overdue or milestone \"MS-0074\".overdue", "false"),
        // 6. Undefined indices.
        ("6: no actual cost reported", "project \"PRJ-0020\".cpi is none and project \"PRJ-0020\".actual_cost > $0", "true"),
        ("6: no baseline", "project \"PRJ-0024\".spi is none", "true"),
        // 7. Watermelon.
        ("7: reported green, computed red", "project \"PRJ-0010\".status = green and project \"PRJ-0010\".computed_status = red", "true"),
        // 8. Unowned high risks and the trap under 12.
        ("8: unowned high risks", "count(risks where score >= 12 and owner is none)", "2"),
        ("8: trap, score 10", "risk \"RSK-0063\".score = 10 and risk \"RSK-0063\".owner is none", "true"),
        // 9. Date and money filters.
        ("9: finishing in Q4 from October", "count(projects where finish between 2026-10-01 and 2026-Q4.end)", "5"),
        ("9: red over $1M", "count(projects where status = red and bac > $1M)", "5"),
        // Also present.
        ("PF-3 over its budget cap", "count(portfolios where sum(projects.bac) > budget_cap)", "1"),
        ("a descoping saving", "count(changes where cost_impact < $0)", "1"),
        ("an inactive resource", "count(resources where not active)", "1"),
    ]

    @Test(arguments: 0..<promises.count)
    func promise(_ i: Int) {
        let (what, statement, expected) = Self.promises[i]
        let r = ScriptRunner.run(name: "<demo>", text: statement)
        #expect(r.errors.isEmpty && r.runtimeError == nil, "\(what): \(r.errors) \(r.runtimeError ?? "")")
        #expect(r.lines == [expected], "\(what): \(statement)")
    }
}
