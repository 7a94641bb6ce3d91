// Governance rules at run time: the three outcomes (and errors), what an unknown was missing,
// waivers active and expired, `why`, the rule test runner, bad input, and the Rules section of
// language.md on the demo portfolio.
import Foundation
import Testing
import PMOBase
import PMOSyntax
import Portfolio
@testable import PMORuntime

/// The demo portfolio (examples/demo), loaded once.
enum Demo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let store: PortfolioStore? = try? PortfolioLoader.load(directory: root.appendingPathComponent("examples/demo").path)

    static func run(_ text: String) -> Fixture.Run {
        guard let store else { return Fixture.Run(diagnostics: [.error("the demo did not load", at: .unknown)]) }
        let sources = SourceMap()
        let session = Session(store: store, sources: sources, options: EngineOptions(asOf: store.statusDate ?? Day(raw: 0)),
                              readFile: { _ in nil })
        return Fixture.run(text, session: session)
    }
}

/// The findings of the last `check` of a run.
private func findings(_ r: Fixture.Run) -> [Finding] {
    for o in r.outputs.reversed() { if case .findings(let f) = o { return f } }
    return []
}

/// `rule:status` → entity ids, for compact expectations.
private func ids(_ f: [Finding], _ rule: String, _ status: String) -> [String] {
    f.filter { $0.rule == rule && $0.status == status }.map(\.entityID)
}

/// The texts the run emitted (`why`, test reports), joined.
private func texts(_ r: Fixture.Run) -> String {
    r.outputs.compactMap { if case .text(let s) = $0 { return s } else { return nil } }.joined(separator: "\n")
}

private func messages(_ r: Fixture.Run) -> [String] { r.diagnostics.map(\.message) }

let briefRules = """
rule sponsor_required "Projects over $1M have a named sponsor"
  severity high
  for projects where bac > $1M and phase != closed
  require sponsor is not none
  message "{name} has a budget of {bac} but no sponsor"

rule status_fresh "Active projects report status at least every 14 days"
  severity medium
  for projects where phase in [planning, execution]
  require latest_status.as_of >= today - 14d
"""

@Suite struct RuleTests {
    // MARK: - language.md on the demo

    @Test func theBriefsRulesFindTheDemosPlantedProblems() {
        let r = Demo.run(briefRules + "\ncheck\n")
        #expect(messages(r) == [])
        let f = findings(r)
        #expect(ids(f, "sponsor_required", "violation") == ["PRJ-0008", "PRJ-0028", "PRJ-0033"])
        #expect(ids(f, "status_fresh", "violation") == ["PRJ-0016", "PRJ-0037"])
        #expect(ids(f, "status_fresh", "unknown") == ["PRJ-0004"])
        let unknown = f.first { $0.rule == "status_fresh" && $0.outcome == .unknown }
        #expect(unknown?.missing == "latest_status")
        #expect(unknown?.message == "unknown: latest_status is none")
        let v = f.first { $0.entityID == "PRJ-0008" }
        #expect(v?.message == "Universal Customer Master has a budget of $3,200,000.00 but no sponsor")
        #expect(v?.severity == .high && v?.entityName == "Universal Customer Master")
        // Traps: under $1M, and closed.
        #expect(!f.contains { $0.rule == "sponsor_required" && ($0.entityID == "PRJ-0011" || $0.entityID == "PRJ-0036") })
        #expect(!f.contains { $0.entityID == "PRJ-0022" && $0.outcome != .pass })
    }

    @Test func theBriefsCheckWaiverAndTestWorkAsWritten() {
        let text = briefRules + """

        check sponsor_required
        waive sponsor_required for project "PRJ-0042" until 2026-12-31 by "CFO" because "sponsor being hired"
        test "a $2M project without a sponsor is a violation" {
          given projects [{id: "P1", name: "Apollo", bac: $2M, phase: execution, sponsor: none}]
          expect violation sponsor_required on "P1"
        }
        """
        let r = Demo.run(text)
        // PRJ-0042 is not in the demo: a warning, and the waiver applies to nothing.
        #expect(r.diagnostics.map(\.severity) == [.warning])
        #expect(messages(r) == ["no project has the id or name \"PRJ-0042\"; this waiver applies to nothing"])
        #expect(r.runtimeError == nil)
        #expect(Set(findings(r).map(\.rule)) == ["sponsor_required"])
        #expect(texts(r) == "test \"a $2M project without a sponsor is a violation\": passed")
    }

    // MARK: - Outcomes

    @Test func eachEntityPassesViolatesOrIsUnknown() {
        let r = Fixture.run("""
        rule big "Projects have a budget over $1M"
          for projects
          require bac > $1M
          message "{name}: {bac}"
          owner manager
          remedy "raise {code}"
        check
        """)
        #expect(messages(r) == [])
        let f = findings(r)
        #expect(f.map { "\($0.entityID) \($0.status)" } == ["PRJ-1 pass", "PRJ-2 violation", "PRJ-3 pass", "PRJ-4 unknown"])
        let v = f[1]
        #expect(v.message == "Borealis: $800,000.00")
        #expect(v.owner == "Ada Lovelace")
        #expect(v.remedy == "raise BO")
        #expect(v.severity == .medium) // the default
        #expect(f[3].missing == "bac")
        #expect(FindingSummary(f).text == "1 violation (1 medium), 1 unknown, 2 passed, 0 waived")
    }

    @Test func unknownNamesTheInnermostMissingValue() {
        let r = Fixture.run("""
        rule fresh for projects require latest_status.as_of >= today - 14d
        rule sponsor_named for projects require sponsor.name != "nobody" or bac > $10M
        rule ratio for projects where phase = execution require ev / ac > 0.5
        check
        """)
        #expect(messages(r) == [])
        let f = findings(r)
        #expect(f.first { $0.rule == "fresh" && $0.entityID == "PRJ-4" }?.missing == "latest_status")
        #expect(f.first { $0.rule == "sponsor_named" && $0.entityID == "PRJ-1" }?.missing == "sponsor")
        // PRJ-2 reports ac = 0: the division is none although both sides have values.
        #expect(f.first { $0.rule == "ratio" && $0.entityID == "PRJ-2" }?.missing == "ev / ac")
    }

    @Test func aRuntimeErrorForOneEntityIsAnErrorFindingAndTheOthersAreChecked() {
        let r = Fixture.run("""
        rule overflow for projects require priority * 9223372036854775807 > 0
        check
        """)
        #expect(r.runtimeError == nil)
        let f = findings(r)
        #expect(f.count == 4)
        #expect(f.filter { $0.outcome == .error }.count == 4)
        #expect(f.first?.message.hasPrefix("error: ") == true)
        #expect(FindingSummary(f).text == "0 violations, 0 unknown, 0 passed, 0 waived, 4 errors")
    }

    @Test func findingsComeInSeverityRuleAndEntityOrder() {
        let r = Fixture.run("""
        rule b_low "t" severity low for projects require false
        rule a_crit "t" severity critical for projects where id in ["PRJ-2", "PRJ-1"] require false
        rule a_low "t" severity low for projects where id = "PRJ-3" require false
        check
        """)
        #expect(findings(r).map { "\($0.rule) \($0.entityID)" } == [
            "a_crit PRJ-1", "a_crit PRJ-2", "a_low PRJ-3", "b_low PRJ-1", "b_low PRJ-2", "b_low PRJ-3", "b_low PRJ-4",
        ])
        let t = Finding.table(findings(r))
        #expect(t.columns.map(\.name) == ["severity", "rule", "entity", "name", "status", "message", "owner"])
        #expect(t.rows.count == 7)
    }

    @Test func rulesUseFunctionsComputedFieldsAndSubPipelines() {
        let r = Fixture.run("""
        def late(m) = m.due < today and m.completed is none
        def project.late_count = count(milestones where late(this))
        let threshold = 1
        rule few_late "At most one late milestone"
          severity high
          for projects where exists(milestones)
          require late_count <= threshold
          message "{name} has {late_count} late milestones"
        check few_late
        """)
        #expect(messages(r) == [])
        #expect(findings(r).map { "\($0.entityID) \($0.status)" } == ["PRJ-1 violation", "PRJ-2 pass"])
        #expect(findings(r).first?.message == "Apollo has 2 late milestones")
    }

    @Test func rulesOfSetsWithoutIdsNameTheirEntityByItsKey() {
        let r = Demo.run("""
        rule gate_decision_recorded for gates where planned < today require held is not none and decision != pending
        check
        why gate_decision_recorded on "PRJ-0030 G3"
        """)
        #expect(messages(r) == [])
        let v = findings(r).filter { $0.outcome == .violation }
        #expect(v.map(\.entityID) == ["PRJ-0030 G3"])
        #expect(v.first?.entityName == "E-commerce Replatforming (Salesforce Commerce Cloud)")
        #expect(texts(r).contains("outcome: violation"))
    }

    // MARK: - Waivers

    @Test func waiversActiveAndExpired() {
        let r = Fixture.run("""
        rule sponsor "Projects have a sponsor" severity high for projects require sponsor is not none message "{name} has no sponsor"
        waive sponsor for project "PRJ-1" until 2026-12-31 by "CFO" because "being hired"
        waive sponsor for project "Draco" until 2026-11-19 by "PMO" because "old"
        check
        """)
        #expect(messages(r) == [])
        let f = findings(r)
        let apollo = f.first { $0.entityID == "PRJ-1" }
        #expect(apollo?.status == "waived")
        #expect(apollo?.isWaived == true && apollo?.needsAction == false)
        #expect(apollo?.detail == "Apollo has no sponsor (waived by CFO until 2026-12-31: being hired)")
        let draco = f.first { $0.entityID == "PRJ-4" }
        #expect(draco?.status == "violation")
        #expect(draco?.waiverExpired == true)
        #expect(draco?.detail == "Draco has no sponsor (waiver expired on 2026-11-19)")
        #expect(FindingSummary(f).text == "1 violation (1 high), 0 unknown, 2 passed, 1 waived")
        // The waived finding is in the table, never dropped.
        #expect(Finding.table(f).rows.count == 2)
    }

    @Test func aWaiverExpiresWhenTheAsOfDatePassesIt() {
        let r = Fixture.run("""
        rule sponsor for projects where id = "PRJ-1" require sponsor is not none
        waive sponsor for project "PRJ-1" until 2026-12-31 by "CFO" because "being hired"
        check
        as of 2027-01-01
        check
        """)
        let all = r.outputs.compactMap { o -> [Finding]? in if case .findings(let f) = o { return f } else { return nil } }
        #expect(all.map { $0.first?.status } == ["waived", "violation"])
        #expect(all.last?.first?.detail.hasSuffix("(waiver expired on 2026-12-31)") == true)
    }

    @Test func badWaiversAreDiagnosed() {
        let base = "rule sponsor for projects require sponsor is not none\n"
        let unknownRule = Fixture.run(base + "waive sponsr for project \"PRJ-1\" until 2026-12-31 by \"x\" because \"y\"")
        #expect(messages(unknownRule) == ["unknown rule 'sponsr'"])
        #expect(unknownRule.diagnostics.first?.help == "did you mean 'sponsor'?")
        let wrongKind = Fixture.run(base + "waive sponsor for milestone \"MS-1\" until 2026-12-31 by \"x\" because \"y\"")
        #expect(messages(wrongKind) == ["rule 'sponsor' checks projects, not milestones"])
        let unknownEntity = Fixture.run(base + "waive sponsor for project \"PRJ-11\" until 2026-12-31 by \"x\" because \"y\"")
        #expect(unknownEntity.diagnostics.map(\.severity) == [.warning])
        #expect(unknownEntity.diagnostics.first?.help == "did you mean \"PRJ-1\"?")
        let badDate = Fixture.run(base + "waive sponsor for project \"PRJ-1\" until \"soon\" by \"x\" because \"y\"")
        #expect(messages(badDate) == ["'until' needs the date the waiver expires, such as 2026-12-31, but found text"])
        let unknownType = Fixture.run(base + "waive sponsor for projet \"PRJ-1\" until 2026-12-31 by \"x\" because \"y\"")
        #expect(messages(unknownType) == ["unknown entity type 'projet'"])
    }

    // MARK: - Bad rules

    @Test func badRulesAreDiagnosedWithTheirPlace() {
        #expect(messages(Fixture.run("rule r for projectz require true")) == ["unknown name 'projectz'"])
        #expect(messages(Fixture.run("rule r for projects require sponser is none")) == ["unknown field 'sponser' on project"])
        #expect(messages(Fixture.run("rule r for projects require bac")) == ["'require' needs a condition (true or false) but found money (USD)"])
        #expect(messages(Fixture.run("rule r for count(projects) require true")) == [
            "a rule's 'for' needs a set of entities, such as projects where phase = execution, but found integer",
        ])
        #expect(messages(Fixture.run("rule r for projects require true message bac")) == [
            "'message' needs text, such as \"{name} has no sponsor\", but found money (USD)",
        ])
        #expect(messages(Fixture.run("rule r for projects require true\nrule r for risks require true")) == [
            "rule 'r' is declared twice in this file",
        ])
        #expect(messages(Fixture.run("check")) == ["there are no rules to check"])
        let unknown = Fixture.run("rule sponsor for projects require true\ncheck sponsr")
        #expect(messages(unknown) == ["unknown rule 'sponsr'"])
        #expect(unknown.diagnostics.first?.help == "did you mean 'sponsor'?")
        // A broken rule reports once: statements naming it report nothing more.
        #expect(messages(Fixture.run("rule r for projects require sponser is none\ncheck r\nwhy r on \"PRJ-1\"")).count == 1)
        let why = Fixture.run("rule r for projects require true\nwhy r on \"PRJ-9\"")
        #expect(messages(why) == ["no project has the id or name \"PRJ-9\""])
    }

    @Test func aRuleDeclaredAgainInAnotherInputReplacesIt() {
        let sources = SourceMap()
        let session = Session(store: Fixture.shared, sources: sources, options: EngineOptions(asOf: Day(year: 2026, month: 11, day: 20) ?? Day(raw: 0)),
                              readFile: { _ in nil })
        _ = Fixture.run("rule r for projects require bac > $1M", session: session)
        let r = Fixture.run("rule r for projects require bac > $100M\ncheck", session: session)
        #expect(messages(r) == [])
        #expect(findings(r).filter { $0.outcome == .violation }.count == 3)
        #expect(session.rules.map(\.id) == ["r"])
    }

    // MARK: - why

    @Test func whyShowsEachSubExpressionWithItsValue() {
        let r = Demo.run(briefRules + "\nwhy sponsor_required on \"PRJ-0008\"\nwhy status_fresh on \"PRJ-0004\"\nwhy sponsor_required on \"PRJ-0011\"\n")
        #expect(messages(r) == [])
        let lines = texts(r).split(separator: "\n").map(String.init)
        #expect(lines == [
            "why sponsor_required on project \"PRJ-0008\" (Universal Customer Master)",
            "rule sponsor_required \"Projects over $1M have a named sponsor\", severity high",
            "for projects where bac > $1M and phase != closed: PRJ-0008 is in this set",
            "require sponsor is not none = false",
            "└─ sponsor = none",
            "outcome: violation: Universal Customer Master has a budget of $3,200,000.00 but no sponsor",
            "why status_fresh on project \"PRJ-0004\" (SAP Change Management & Training)",
            "rule status_fresh \"Active projects report status at least every 14 days\", severity medium",
            "for projects where phase in [planning, execution]: PRJ-0004 is in this set",
            "require latest_status.as_of >= today - 14d = none",
            "├─ latest_status.as_of = none",
            "│  └─ latest_status = none",
            "└─ today - 14d = 2026-11-06",
            "   └─ today = 2026-11-20",
            "outcome: unknown: latest_status is none, so the rule cannot tell",
            "why sponsor_required on project \"PRJ-0011\" (Executive KPI Dashboards)",
            "rule sponsor_required \"Projects over $1M have a named sponsor\", severity high",
            "for projects where bac > $1M and phase != closed: PRJ-0011 is not in this set, so the rule does not check it",
            "where bac > $1M and phase != closed = false",
            "├─ bac > $1M = false",
            "│  └─ bac = $380,000.00",
            "└─ phase != closed = true",
            "   └─ phase = execution",
            "outcome: not checked",
        ])
    }

    @Test func whyShowsTheWaiverOwnerAndRemedy() {
        let r = Fixture.run("""
        rule sponsor for projects require sponsor is not none owner manager remedy "name one"
        waive sponsor for project "PRJ-1" until 2026-12-31 by "CFO" because "being hired"
        why sponsor on "Apollo"
        """)
        let text = texts(r)
        #expect(text.contains("waiver: by CFO until 2026-12-31 because being hired"))
        #expect(text.contains("owner: Ada Lovelace"))
        #expect(text.contains("remedy: name one"))
    }

    // MARK: - Rule tests

    @Test func aPassingAndAFailingTest() {
        let r = Fixture.run(briefRules + """

        test "apollo violates" {
          given projects [{id: "P1", name: "Apollo", bac: $2M, phase: execution, sponsor: none}]
          expect violation sponsor_required on "P1"
        }
        test "wrong expectations" {
          given projects [
            {id: "P1", name: "Apollo", bac: $2M, sponsor: none},
            {id: "P2", bac: $500k},
          ]
          given status_reports [{project: "P1", as_of: today - 3d}]
          expect pass sponsor_required on "P1"
          expect violation sponsor_required on "P2"
          expect unknown status_fresh on "P1"
          expect unknown status_fresh on "P2"
          assert count(projects) = 3, "three projects"
        }
        """)
        #expect(messages(r) == [])
        let lines = texts(r).split(separator: "\n").map(String.init)
        #expect(lines == [
            "test \"apollo violates\": passed",
            "test \"wrong expectations\": FAILED (test.pmo:15:6)",
            "  test.pmo:21:3: expect pass sponsor_required on \"P1\"",
            "    expected: pass",
            "    actual:   violation: Apollo has a budget of $2,000,000.00 but no sponsor",
            "  test.pmo:22:3: expect violation sponsor_required on \"P2\"",
            "    expected: violation",
            "    actual:   not checked (the rule's 'for' leaves this entity out)",
            "  test.pmo:23:3: expect unknown status_fresh on \"P1\"",
            "    expected: unknown",
            "    actual:   pass",
            "  test.pmo:25:3: assert count(projects) = 3, \"three projects\"",
            "    expected: true",
            "    actual:   false: count(projects) is 2",
        ])
    }

    @Test func fixturesFillWhatTheyLeaveOut() {
        let r = Fixture.run("""
        rule has_program for projects require program is not none and portfolio is not none and manager is not none
        rule dated for projects require start < today and finish > today and baseline_finish = finish
        rule milestone_project for milestones require project.id = "P1" and due > today
        rule watermelon for projects where status = green require computed_status != red
        test "defaults" {
          given projects [{id: "P1", status: green, pv: $100k, ev: $80k, ac: $100k}]
          given milestones [{name: "Go-live"}]
          expect pass has_program on "P1"
          expect pass dated on "P1"
          expect pass milestone_project on "milestone-1"
          expect violation watermelon on "P1"
          assert count(people) = 1 and count(programs) = 1 and count(portfolios) = 1 and count(status_reports) = 1
          assert project "P1".phase = execution and project "P1".sponsor is not none
        }
        """)
        #expect(messages(r) == [])
        #expect(texts(r) == "test \"defaults\": passed")
    }

    @Test func referencesCreateTheEntitiesTheyName() {
        let r = Fixture.run("""
        rule owned for risks require owner is not none
        test "owners" {
          given risks [{id: "R1", project: "P7", owner: "Dana"}, {id: "R2", project: "P7", owner: none}]
          expect pass owned on "R1"
          expect violation owned on "R2"
          assert person "Dana".name = "Dana" and project "P7".id = "P7"
        }
        """)
        #expect(texts(r) == "test \"owners\": passed")
    }

    @Test func badTestsAreDiagnosedWhereTheyAreDeclared() {
        let rule = "rule r for projects require bac > $1M\n"
        #expect(messages(Fixture.run(rule + "test \"t\" { expect pass rr on \"P1\" }")) == ["unknown rule 'rr'"])
        #expect(messages(Fixture.run(rule + "test \"t\" { given projets [{id: \"P1\"}] }")) == ["unknown entity set 'projets'"])
        let field = Fixture.run(rule + "test \"t\" { given projects [{id: \"P1\", sponser: none}] }")
        #expect(messages(field) == ["unknown field 'sponser' on project"])
        #expect(field.diagnostics.first?.help == "did you mean 'sponsor'?")
        let value = Fixture.run(rule + "test \"t\" { given projects [{id: \"P1\", phase: executon}] }")
        #expect(messages(value) == ["unknown value 'executon' for phase"])
        #expect(value.diagnostics.first?.help == "did you mean 'execution'?")
        #expect(messages(Fixture.run(rule + "test \"t\" { given projects [{id: \"P1\", bac: \"lots\"}] }"))
                == ["bac needs an amount of money but found text"])
        #expect(messages(Fixture.run(rule + "test \"t\" { given projects 3 }")) == ["'given' needs a list of records, such as [{id: \"P1\", bac: $2M}]"])
        // A rule declared inside the test may be expected.
        let inner = Fixture.run("test \"t\" {\n  given projects [{id: \"P1\"}]\n  rule mine for projects require true\n  expect pass mine on \"P1\"\n}")
        #expect(messages(inner) == [])
        #expect(texts(inner) == "test \"t\": passed")
    }

    @Test func testFailuresFromTheFixtureAndTheBody() {
        let r = Fixture.run("""
        rule r for projects require bac > $1M
        test "missing entity" {
          given projects [{id: "P1"}]
          expect pass r on "P2"
        }
        test "duplicate ids" {
          given projects [{id: "P1"}, {id: "P1"}]
          expect pass r on "P1"
        }
        test "foreign money" {
          given projects [{id: "P1", bac: €2M}]
        }
        """)
        let text = texts(r)
        #expect(text.contains("error: the test's fixture has no project \"P2\""))
        #expect(text.contains("error in the fixture: two projects have the id \"P1\""))
        #expect(text.contains("error in the fixture: bac is in EUR but the portfolio's money is in USD"))
        #expect(r.runtimeError == nil)
    }

    @Test func testsRunOnlyWhenAsked() {
        let sources = SourceMap()
        let session = Session(store: Fixture.shared, sources: sources, options: EngineOptions(asOf: Day(year: 2026, month: 11, day: 20) ?? Day(raw: 0)),
                              readFile: { _ in nil })
        session.runsTests = false
        let r = Fixture.run("rule r for projects require true\ntest \"t\" { given projects [{id: \"P1\"}]\n expect violation r on \"P1\" }", session: session)
        #expect(r.outputs.isEmpty)
        #expect(session.testResults.isEmpty)
        session.runsTests = true
        _ = Fixture.run("test \"u\" { given projects [{id: \"P1\"}]\n expect violation r on \"P1\" }", session: session)
        #expect(session.testResults.map(\.passed) == [false])
    }

    // MARK: - Fixture builder

    @Test func fixtureBuilderDefaults() throws {
        let asOf = try #require(Day(year: 2026, month: 11, day: 20))
        let store = try FixtureBuilder.build([
            FixtureRecord(kind: .project, cells: ["id": .text("P1"), "bac": .units(20_000_000_000)]),
            FixtureRecord(kind: .allocation, cells: ["resource": .text("R1")]),
        ], asOf: asOf, currency: "USD")
        #expect(store.table(.project).count == 1)
        #expect(store.table(.resource).count == 1)
        #expect(store.table(.allocation).column("project")?.codes == [0])
        #expect(store.table(.person).count == 1)
        #expect(store.statusDate == asOf)
        #expect(throws: FixtureError.self) {
            try FixtureBuilder.build([FixtureRecord(kind: .dependency, cells: [:])], asOf: asOf, currency: "USD")
        }
    }
}
