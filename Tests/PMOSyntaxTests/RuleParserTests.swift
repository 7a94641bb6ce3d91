// Parser tests for the governance statements: rule (with its clauses), waive, check, test, why;
// their diagnostics and recovery, contextual clause words, and the round trip through the printer.
import Testing
import Foundation
import PMOBase
@testable import PMOSyntax

private func source(_ text: String) -> SourceFile { SourceFile(id: 0, name: "<test>", bytes: Array(text.utf8)) }

private func parse(_ text: String) -> (Script, [Diagnostic]) { Parser.parse(source(text)) }

/// The messages of the diagnostics of `text`, with their line:column.
private func errors(_ text: String) -> [String] {
    let file = source(text)
    return Parser.parse(file).1.map { d in
        let loc = file.location(of: Int(d.span.start))
        return "\(loc.line):\(loc.column): \(d.message)"
    }
}

/// The help lines of the diagnostics of `text`.
private func helps(_ text: String) -> [String] { parse(text).1.compactMap(\.help) }

/// The single statement of `text` (nil when it has errors or not exactly one statement).
private func single(_ text: String) -> Stmt? {
    let (script, diagnostics) = parse(text)
    guard diagnostics.isEmpty, script.statements.count == 1 else { return nil }
    return script.statements[0]
}

/// The canonical text of `text` (statements joined by line breaks), or its errors.
private func canonical(_ text: String) -> String {
    let (script, diagnostics) = parse(text)
    if !diagnostics.isEmpty { return "errors: " + diagnostics.map(\.message).joined(separator: "; ") }
    return script.statements.map { Printer.print($0) }.joined(separator: "\n")
}

let sponsorRule = """
rule sponsor_required "Projects over $1M have a named sponsor"
  severity high
  for projects where bac > $1M and phase != closed
  require sponsor is not none
  message "{name} has a budget of {bac} but no sponsor"
"""

let statusRule = """
rule status_fresh "Active projects report status at least every 14 days"
  severity medium
  for projects where phase in [planning, execution]
  require latest_status.as_of >= today - 14d
"""

let briefTest = """
test "a $2M project without a sponsor is a violation" {
  given projects [{id: "P1", name: "Apollo", bac: $2M, phase: execution, sponsor: none}]
  expect violation sponsor_required on "P1"
}
"""

struct RuleParserTests {
    // MARK: - rule

    @Test func theBriefsRulesParse() throws {
        let r = try #require(single(sponsorRule))
        guard case .rule(let decl) = r.kind else { Issue.record("not a rule: \(r.kind)"); return }
        #expect(decl.id.text == "sponsor_required")
        #expect(decl.title == "Projects over $1M have a named sponsor")
        #expect(decl.severity == .high)
        #expect(Printer.print(decl.subject) == "projects where bac > $1M and phase != closed")
        #expect(Printer.print(decl.condition) == "sponsor is not none")
        #expect(decl.message.map { Printer.print($0) } == "\"{name} has a budget of {bac} but no sponsor\"")
        #expect(decl.owner == nil && decl.remedy == nil)

        let s = try #require(single(statusRule))
        guard case .rule(let fresh) = s.kind else { Issue.record("not a rule"); return }
        #expect(fresh.severity == .medium)
        #expect(Printer.print(fresh.condition) == "latest_status.as_of >= today - 14d")
        #expect(fresh.message == nil)
    }

    @Test func bothBriefRulesInOneScriptAreTwoStatements() {
        let (script, diagnostics) = parse(sponsorRule + "\n\n" + statusRule + "\ncheck\n")
        #expect(diagnostics.isEmpty)
        #expect(script.statements.count == 3)
    }

    @Test func clausesMayBeUnindentedOnOneLineAndInAnyOrder() throws {
        let text = """
        rule r "t"
        require sponsor is not none
        severity CRITICAL
        for projects
        owner manager
        remedy "name a sponsor"
        """
        let st = try #require(single(text))
        guard case .rule(let d) = st.kind else { Issue.record("not a rule"); return }
        #expect(d.severity == .critical)
        #expect(d.owner.map { Printer.print($0) } == "manager")
        #expect(d.remedy.map { Printer.print($0) } == "\"name a sponsor\"")
        let oneLine = try #require(single("rule r for projects where bac > 1 require sponsor is not none message \"x\""))
        guard case .rule(let o) = oneLine.kind else { Issue.record("not a rule"); return }
        #expect(Printer.print(o.subject) == "projects where bac > 1")
        #expect(o.title == nil && o.severity == nil)
    }

    @Test func clauseWordsStayOrdinaryNamesElsewhere() {
        let text = """
        risks where owner is none
        issues where severity = high | select message = title, owner, remedy = 1
        let require = 3
        for = 2
        """
        let (script, diagnostics) = parse(text)
        #expect(diagnostics.isEmpty)
        #expect(script.statements.count == 4)
    }

    @Test func aRuleEndsAtTheFirstLineThatIsNotAClause() {
        let (script, diagnostics) = parse(sponsorRule + "\nprojects where sponsor is none\n")
        #expect(diagnostics.isEmpty)
        #expect(script.statements.count == 2)
    }

    @Test func aMissingRequireIsNamed() {
        let text = """
        rule r "t"
          severity high
          for projects
          message "x"
        count(projects)
        """
        #expect(errors(text) == ["1:6: rule 'r' has no 'require' clause"])
        #expect(helps(text).first?.contains("require sponsor is not none") == true)
        #expect(errors("rule r \"t\"\n  require x\nprint 1\n") == ["1:6: rule 'r' has no 'for' clause"])
        // At the end of the input, the rule may go on in the next lines (the prompt waits for them).
        #expect(errors("rule r \"t\"\n  for projects") == ["2:15: expected 'require' and the rest of rule 'r' but found end of input"])
        #expect(Parser.isIncomplete(source("rule r \"t\"")))
        #expect(Parser.isIncomplete(source("rule r \"t\"\n  for projects where bac > $1M")))
        #expect(!Parser.isIncomplete(source("rule r \"t\"\n  for projects\n  require x")))
    }

    @Test func aBadSeverityIsAnErrorWithASuggestion() {
        let text = "rule r \"t\"\n  severity hgh\n  for projects\n  require x\n"
        #expect(errors(text) == ["2:12: unknown severity 'hgh'"])
        #expect(helps(text) == ["did you mean 'high'? severities are info, low, medium, high and critical"])
        #expect(errors("rule r\n  severity 3\n  for projects\n  require x\n")
                == ["2:12: expected a severity (info, low, medium, high or critical) after 'severity' but found a number"])
    }

    @Test func aMisspeltIndentedClauseIsAnError() {
        let text = "rule r \"t\"\n  for projects\n  requre sponsor is not none\nprint 1\n"
        #expect(errors(text) == ["3:3: expected a clause of rule 'r' (severity, for, require, message, owner or remedy) but found 'requre'"])
        #expect(helps(text) == ["did you mean 'require'?"])
        // The rest of the rule is skipped; the next statement still parses.
        #expect(parse(text).0.statements.count == 1)
    }

    @Test func aDuplicateClauseNamesTheFirst() {
        let text = "rule r\n  for projects\n  require a\n  require b\n"
        #expect(errors(text) == ["4:3: rule 'r' has two 'require' clauses"])
        #expect(parse(text).1.first?.notes.count == 1)
    }

    @Test func clauseErrorsReportOnceAndSkipTheRule() {
        let text = """
        rule r "t"
          for projects where
          require x +
          message "m"
        rule ok
          for projects
          require sponsor is not none
        """
        let (script, diagnostics) = parse(text)
        #expect(diagnostics.count == 1)
        #expect(script.statements.count == 1)
        #expect(errors("rule 42\n  for projects\n  require x\n").first == "1:6: expected a name after 'rule' (the rule's id, such as sponsor_required) but found a number")
        #expect(errors("rule r \"{x}\"\n  for p\n  require x\n").first == "1:8: a rule's title is plain text and cannot contain '{...}'")
        #expect(errors("rule r\n  for\n  require x\nprint 1\n").first
                == "2:6: expected a set of entities, such as projects where phase = execution, after 'for' but found end of line")
        #expect(errors("rule r for projects require x 42\n").first
                == "1:31: expected a rule clause (severity, for, require, message, owner or remedy) but found a number")
    }

    // MARK: - waive, check, why

    @Test func waiversParse() throws {
        let st = try #require(single("waive sponsor_required for project \"PRJ-0042\" until 2026-12-31 by \"CFO\" because \"sponsor being hired\""))
        guard case .waive(let w) = st.kind else { Issue.record("not a waiver"); return }
        #expect(w.rule.text == "sponsor_required")
        #expect(w.entity.text == "project")
        #expect(w.key == "PRJ-0042")
        #expect(Printer.print(w.until) == "2026-12-31")
        #expect(Printer.print(w.approver) == "\"CFO\"")
        #expect(Printer.print(w.reason) == "\"sponsor being hired\"")
        // The parts may go on over several lines.
        #expect(single("waive r for project 'P1'\n  until today + 30d\n  by \"PMO\"\n  because \"agreed\"") != nil)
    }

    @Test func waiverErrorsSayWhatIsMissing() {
        #expect(errors("waive r project \"P1\" until 2026-12-31 by \"x\" because \"y\"")
                == ["1:9: expected 'for' and the entity after 'waive r', as in for project \"PRJ-0042\", but found 'project'"])
        #expect(errors("waive r for project \"P1\" by \"x\" because \"y\"")
                == ["1:26: expected 'until' and the date the waiver expires, as in until 2026-12-31, but found 'by'"])
        #expect(errors("waive r for project \"P1\" until 2026-12-31 because \"y\"")
                == ["1:43: expected 'by' and who approved the waiver, as in by \"CFO\", but found 'because'"])
        #expect(errors("waive r for project \"P1\" until 2026-12-31 by \"x\"")
                == ["1:49: expected 'because' and the reason for the waiver, as in because \"sponsor being hired\", but found end of input"])
        #expect(errors("waive r for project P1 until 2026-12-31 by \"x\" because \"y\"").first?
            .hasPrefix("1:21: expected a string after 'project'") == true)
    }

    @Test func checkAndWhy() throws {
        guard case .check(let all)? = single("check")?.kind else { Issue.record("not check"); return }
        #expect(all.isEmpty)
        guard case .check(let some)? = single("CHECK sponsor_required, status_fresh")?.kind else { Issue.record("not check"); return }
        #expect(some.map(\.text) == ["sponsor_required", "status_fresh"])
        guard case .why(let rule, let key, _)? = single("why sponsor_required on \"PRJ-0008\"")?.kind else { Issue.record("not why"); return }
        #expect(rule.text == "sponsor_required" && key == "PRJ-0008")
        #expect(errors("why sponsor_required \"PRJ-0008\"")
                == ["1:22: expected 'on' and an entity id after 'why sponsor_required', as in why sponsor_required on \"PRJ-0042\", but found a string"])
        #expect(errors("check a,") == ["1:9: expected a name after ',' (the id of a rule) but found end of input"])
    }

    // MARK: - test

    @Test func theBriefsTestParses() throws {
        let st = try #require(single(briefTest))
        guard case .test(let t) = st.kind else { Issue.record("not a test"); return }
        #expect(t.name == "a $2M project without a sponsor is a violation")
        #expect(t.body.count == 2)
        guard case .given(let set, let records) = t.body[0].kind else { Issue.record("no given"); return }
        #expect(set.text == "projects")
        guard case .list(let items) = records.kind, items.count == 1, case .record(let fields) = items[0].kind else {
            Issue.record("not a list of records"); return
        }
        #expect(fields.map(\.name.text) == ["id", "name", "bac", "phase", "sponsor"])
        guard case .expect(let outcome, let rule, let key, _) = t.body[1].kind else { Issue.record("no expect"); return }
        #expect(outcome == .violation && rule.text == "sponsor_required" && key == "P1")
    }

    @Test func testBodiesHoldOtherStatementsAndMultiLineFixtures() throws {
        let text = """
        test "several" {
          given projects [
            {id: "P1", bac: $2M},
            {id: "P2", bac: $500k},
          ]
          given milestones [{id: "M1", project: "P1", due: today - 3d}]
          let n = 2
          assert count(projects) = n, "two projects"
          expect pass sponsor_required on "P2"; expect unknown status_fresh on "P1"
        }
        """
        let st = try #require(single(text))
        guard case .test(let t) = st.kind else { Issue.record("not a test"); return }
        #expect(t.body.count == 6)
        #expect(single("test \"one line\" { expect pass r on \"P1\" }") != nil)
        #expect(single("test \"brace on the next line\"\n{\n  expect pass r on \"P1\"\n}") != nil)
    }

    @Test func testBodyErrorsAreReportedLineByLine() {
        let text = """
        test "broken" {
          given projects [{id: "P1"}]
          expect violaton sponsor_required on "P1"
          expect pass sponsor_required "P1"
          assert 1 +
        }
        print 1
        """
        #expect(errors(text) == [
            "3:10: expected violation, pass or unknown after 'expect' but found 'violaton'",
            "4:32: expected 'on' and an entity id after 'expect pass sponsor_required', as in on \"P1\", but found a string",
            "6:1: expected an expression but found '}'",
        ])
        #expect(helps(text).first == "did you mean 'violation'?")
        #expect(parse(text).0.statements.count == 2)
        #expect(errors("test \"t\" {\n  test \"u\" { }\n}").first == "2:3: a test cannot contain another test")
        #expect(errors("test \"t\" {\n  expect pass r on \"P1\"\n") == ["2:24: expected '}' to close '{' but found end of input"])
        #expect(errors("test t { }").first == "1:6: expected a string after 'test' (the test's name, as in test \"a $2M project without a sponsor is a violation\") but found 't'")
    }

    @Test func givenAndExpectOutsideATestSayWhereTheyBelong() {
        #expect(errors("given projects [{id: \"P1\"}]") == ["1:1: 'given' is only meaningful inside a test block"])
        #expect(errors("expect violation r on \"P1\"") == ["1:1: 'expect' is only meaningful inside a test block"])
        // As plain names they still work.
        #expect(errors("let given = 1\ngiven + 1") == [])
    }

    // MARK: - Round trip

    static let roundTrips: [String] = [
        sponsorRule, statusRule, briefTest,
        "rule r\n  for projects | where bac > $1M | sort bac desc\n  require (sponsor is not none) = true\n  owner manager.name\n  remedy \"Ask the {program.name} board\"",
        "waive sponsor_required for project \"PRJ-0042\" until 2026-12-31 by \"CFO\" because \"sponsor being hired\"",
        "waive r for milestone 'M 1' until today + 30d by \"PMO {1}\" because \"x\"",
        "check", "check a, b", "why status_fresh on \"PRJ-0004\"",
        "test \"t\" {\n  given projects [{id: \"P1\", bac: $2M, tags: [\"a\", \"b\"]}]\n  rule inner \"x\"\n    for projects\n    require bac > $1M\n  expect violation inner on \"P1\"\n  expect unknown inner on \"P2\"\n  assert 1 = 1\n}",
    ]

    @Test(arguments: roundTrips)
    func printsAndParsesBack(_ text: String) throws {
        let (script, diagnostics) = parse(text)
        #expect(diagnostics.map(\.message) == [])
        let printed = Printer.print(script)
        let (again, errors) = parse(printed)
        #expect(errors.map(\.message) == [], "\(printed)")
        #expect(again.statements.map(SpanEraser.stmt) == script.statements.map(SpanEraser.stmt), "\(printed)")
        #expect(Printer.print(again) == printed)
    }

    @Test func canonicalFormOfARule() {
        let text = "RULE r 'T'\nREQUIRE x IS NOT NONE\nSEVERITY High\nfor projects WHERE a = 1"
        #expect(canonical(text) == "rule r \"T\"\n  severity high\n  for projects where a = 1\n  require x is not none")
    }

    @Test func incompleteRuleInputWaitsForMore() {
        // At the prompt, an open test body asks for more lines.
        #expect(Parser.isIncomplete(source("test \"t\" {\n  given projects [{id: \"P1\"}]")))
        #expect(!Parser.isIncomplete(source(briefTest)))
    }
}

extension SpanEraser {
    /// Governance statements with spans erased.
    static func governance(_ k: StmtKind) -> StmtKind {
        switch k {
        case .rule(let r):
            return .rule(RuleDecl(id: name(r.id), title: r.title, severity: r.severity, subject: expr(r.subject),
                                  condition: expr(r.condition), message: r.message.map(expr), owner: r.owner.map(expr),
                                  remedy: r.remedy.map(expr)))
        case .waive(let w):
            return .waive(WaiverDecl(rule: name(w.rule), entity: name(w.entity), key: w.key, keySpan: .unknown,
                                     until: expr(w.until), approver: expr(w.approver), reason: expr(w.reason)))
        case .check(let names): return .check(names.map(name))
        case .test(let t): return .test(TestDecl(name: t.name, nameSpan: .unknown, body: t.body.map(stmt)))
        case .why(let r, let key, _): return .why(name(r), on: key, .unknown)
        case .given(let set, let records): return .given(name(set), expr(records))
        case .expect(let o, let r, let key, _): return .expect(o, name(r), on: key, .unknown)
        default: return k
        }
    }
}
