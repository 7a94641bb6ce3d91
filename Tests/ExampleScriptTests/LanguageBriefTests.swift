// Every example of the language brief (outside Rules and Scheduling) checks and runs on the demo portfolio.
import Testing

@Suite struct LanguageBriefTests {
    /// The examples of language.md, as written there.
    static let queries: [String] = [
        "projects where status = red | sort spi | take 5",
        "projects where status = red and bac > $1M | sort spi | take 20 | select id, name, spi, cpi",
        "projects where count(milestones where overdue) >= 2",
        "projects where not exists(issues where state = open) and status = red",
        "projects where sponsor is none and bac > $1M",
        "projects where finish between 2026-10-01 and 2026-Q4.end",
        "milestones where due < today and completed is none | sort due",
        "risks where score >= 12 and owner is none",
        "resources where utilization(2026-12) > 100%",
        "projects | group by program.name | select program = program.name, n = count(), bac = sum(bac), cpi = sum(ev) / sum(ac) | sort cpi",
        "projects where phase = execution | aggregate n = count(), budget = sum(bac), spi = sum(ev) / sum(pv)",
        "timesheets where week >= 2026-Q3.start | group by project | select project.name, cost = sum(cost) | sort cost desc | take 10",
        "timesheets | group by week.month | select month = week.month, hours = sum(hours), cost = sum(cost)",
        "resources | expand w in weeks(2026-Q4) | where overallocated(w) | select name, week = w, load = utilization(w) | sort load desc | take 10",
        "count(projects where status = red)",
        "resources | expand w in weeks(2026-Q4) | extend u = utilization(w)",
        "projects where status = red sort spi take 5",
    ]

    static let statements = """
    let big = projects where bac > $5M            # a named value, evaluated once
    def overrun(p) = p.ac - p.bac                  # a function
    def band(p) = if p.bac >= $5M then "large" else if p.bac >= $1M then "medium" else "small"
    def project.burn = ac / weeks(start, today)    # a computed field, usable everywhere after
    print "{count(big)} large projects"
    export big | select id, name, bac to "big.csv"  # format from the extension: csv, json, md, html
    use "examples/lib/common.pmo"
    as of 2026-09-30                               # the script's as-of date from here on
    assert count(projects where id is none) = 0, "every project has an id"
    projects | select id, burn, band = band(this), over = overrun(this) | take 3
    """

    @Test(arguments: queries)
    func query(_ q: String) {
        let r = ScriptRunner.run(name: "<brief>", text: q)
        #expect(r.errors.isEmpty, "\(q): \(r.errors)")
        #expect(r.runtimeError == nil, "\(q): \(r.runtimeError ?? "")")
        #expect(!r.lines.isEmpty)
        if let expected = LanguageBriefAnswers.exact[q] {
            #expect(r.lines == expected, "\(q)")
        } else if let long = LanguageBriefAnswers.long.first(where: { $0.query == q }) {
            #expect(Array(r.lines.prefix(long.first.count)) == long.first, "\(q)")
            #expect(Array(r.lines.suffix(long.last.count)) == long.last, "\(q)")
        } else {
            Issue.record("no expected answer for the brief's query: \(q)")
        }
    }

    /// Every query of the brief has its answer, and every answer its query.
    @Test func everyQueryHasItsAnswer() {
        let answered = Set(LanguageBriefAnswers.exact.keys).union(LanguageBriefAnswers.long.map(\.query))
        #expect(answered == Set(Self.queries))
    }

    @Test func countStageGivesTheNumberOfRows() {
        let r = ScriptRunner.run(name: "<brief>", text: "projects | count\nprojects where status = red | count")
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.lines == ["count", "37", "(1 row)", "count", "6", "(1 row)"])
    }

    @Test func keywordsAreCaseInsensitive() {
        let a = ScriptRunner.run(name: "<brief>", text: "projects WHERE status = red SORT spi TAKE 5")
        let b = ScriptRunner.run(name: "<brief>", text: "projects where status = red | sort spi | take 5")
        #expect(a.errors.isEmpty && a.lines == b.lines)
    }

    @Test func stagesWithAndWithoutPipesAgree() {
        let a = ScriptRunner.run(name: "<brief>", text: "projects where status = red sort spi take 5 select id")
        let b = ScriptRunner.run(name: "<brief>", text: "projects where status = red | sort spi | take 5 | select id")
        #expect(a.errors.isEmpty && a.lines == b.lines && a.lines.count == 7)
    }

    @Test func statements() {
        let r = ScriptRunner.run(name: "brief.pmo", text: Self.statements)
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.runtimeError == nil, "\(r.runtimeError ?? "")")
        #expect(r.lines.first == "4 large projects")
        #expect(r.lines.contains("id burn band over"))
    }
}
