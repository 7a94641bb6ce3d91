// The examples of language.md's "Dependencies and schedule", as written, on the demo portfolio.
import Testing

@Suite struct DependencyBriefTests {
    static func run(_ q: String) -> ScriptResult {
        let r = ScriptRunner.run(name: "<brief>", text: q)
        #expect(r.errors.isEmpty, "\(q): \(r.errors)")
        #expect(r.runtimeError == nil, "\(q): \(r.runtimeError ?? "")")
        return r
    }

    @Test func downstreamOfAProjectIsASetForPipelines() {
        // PRJ-0001 → PRJ-0002 (SS), PRJ-0005 (FS), PRJ-0006 (FS); of those only PRJ-0006 is red.
        let r = DependencyBriefTests.run(#"downstream(project "PRJ-0001") | where status = red          # everything that waits on it, transitively"#)
        #expect(r.lines.count == 3 && r.lines[1].hasPrefix("PRJ-0006 Receivables Platform Replacement"), "\(r.lines)")
        #expect(r.lines.last == "(1 row)")
        let all = DependencyBriefTests.run(#"downstream(project "PRJ-0001") | select id"#)
        #expect(all.lines == ["id", "PRJ-0002", "PRJ-0005", "PRJ-0006", "(3 rows)"])
    }

    @Test func upstreamWithADepth() {
        let r = DependencyBriefTests.run(#"upstream(project "PRJ-0014", 1)                              # its direct predecessors only"#)
        #expect(r.lines.count == 3 && r.lines[1].hasPrefix("PRJ-0028 Identity & Access Management Modernization"), "\(r.lines)")
        // Two levels: payroll waits on HCM, which waits on identity.
        let two = DependencyBriefTests.run(#"upstream(project "PRJ-0013") | select id"#)
        #expect(two.lines == ["id", "PRJ-0014", "PRJ-0028", "(2 rows)"])
        let one = DependencyBriefTests.run(#"upstream(project "PRJ-0013", 1) | select id"#)
        #expect(one.lines == ["id", "PRJ-0014", "(1 row)"])
    }

    @Test func crossProjectImpact() {
        let r = DependencyBriefTests.run("projects where exists(upstream(this) where finish > baseline_finish)")
        // Every project listed waits on one that plans to finish after its baseline.
        let check = DependencyBriefTests.run("""
            projects where exists(upstream(this) where finish > baseline_finish) | select id, n = count(upstream(this) where finish > baseline_finish) | where n = 0
            """)
        #expect(r.lines.count > 2, "\(r.lines)")
        #expect(check.lines.last == "(0 rows)", "\(check.lines)")
    }

    @Test func dependencyCyclesShowsThePath() {
        let r = DependencyBriefTests.run("dependency_cycles                                            # each cycle as a path of ids")
        #expect(r.lines.contains("project 2 PRJ-0033 → PRJ-0037 → PRJ-0033 PRJ-0033, PRJ-0037, PRJ-0033"), "\(r.lines)")
        #expect(r.lines.last == "(1 row)")
    }

    @Test func criticalTasksOfAProject() {
        let r = DependencyBriefTests.run(#"tasks where project.id = "PRJ-0001" and critical | sort early_start"#)
        #expect(r.lines.count > 2, "\(r.lines)")
        let fields = DependencyBriefTests.run(#"tasks where project.id = "PRJ-0001" | select id, early_start, early_finish, late_start, late_finish, total_float, free_float, critical"#)
        #expect(fields.lines.count > 3, "\(fields.lines)")
    }

    @Test func cpmFinishAgainstTheBaseline() {
        let r = DependencyBriefTests.run("projects | select id, cpm_finish, baseline_finish, late_by = cpm_finish - baseline_finish")
        #expect(r.lines.last == "(37 rows)", "\(r.lines)")
        #expect(r.lines.first == "id cpm_finish baseline_finish late_by")
    }

    @Test func dependsOnAndTheCriticalPathField() {
        let r = DependencyBriefTests.run(#"""
            print depends_on(project "PRJ-0006", project "PRJ-0001")
            print depends_on(project "PRJ-0001", project "PRJ-0006")
            count(project "PRJ-0021".critical_path) >= 1
            """#)
        #expect(r.lines.prefix(2) == ["true", "false"], "\(r.lines)")
    }

    @Test func badArgumentsAreCheckErrors() {
        let r = ScriptRunner.run(name: "<brief>", text: #"upstream(milestones)"#)
        #expect(r.errors.first?.contains("'upstream' needs a project or a task") == true, "\(r.errors)")
        let d = ScriptRunner.run(name: "<brief>", text: #"downstream(project "PRJ-0001", 0)"#)
        #expect(d.runtimeError?.contains("the depth of 'downstream' must be 1 or more") == true, "\(String(describing: d.runtimeError))")
    }
}
