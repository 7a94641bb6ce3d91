// Tab completion from the language's tokens and the demo portfolio, without a terminal.
@testable import PMORepl
import PMORuntime
import XCTest

final class CompletionTests: XCTestCase {
    var session: Session!
    var completer: Completer!

    override func setUpWithError() throws {
        session = try XCTUnwrap(DemoSession.make(), "the demo portfolio did not load")
        let s = session!
        completer = Completer(session: { s })
    }

    func texts(_ input: String) -> [String] { completer.complete(input).candidates.map(\.text) }
    func action(_ input: String) -> CompletionResult.Action { completer.complete(input).action }

    func run(_ text: String) {
        let (compiled, diags) = session.compile(session.sources.add(name: "<test>", text: text))
        XCTAssertTrue(diags.isEmpty, "\(diags)")
        if let compiled { XCTAssertNoThrow(try session.run(compiled) { _ in }) }
    }

    func testStatementStartOffersSetsAndStatements() {
        XCTAssertEqual(action("proj"), .insert("projects "))
        XCTAssertEqual(action("milest"), .insert("milestones "))
        XCTAssertTrue(texts("").contains("let"))
        XCTAssertEqual(action("cou"), .insert("count("))
    }

    func testFieldsOfTheSetInScope() {
        XCTAssertEqual(texts("projects where sta"), ["start", "state", "status", "status_age", "status_reports"])
        XCTAssertEqual(action("projects where sta"), .list(["start", "state", "status", "status_age", "status_reports"]))
        XCTAssertEqual(action("projects where statu"), .insert("status"))
        XCTAssertEqual(action("projects where spons"), .insert("sponsor"))  // a reference: no space, a `.` may follow
        XCTAssertEqual(action("risks where sco"), .insert("score "))
        XCTAssertEqual(action("resources where utiliz"), .insert("utilization("))
        // Sets are left out when a row is in scope; its relationships are offered.
        XCTAssertFalse(texts("projects where ").contains("people"))
        XCTAssertTrue(texts("projects where ").contains("milestones"))
    }

    func testScopeFollowsNestedSetsAndRelationships() {
        XCTAssertEqual(action("projects where count(milestones where overd"), .insert("overdue "))
        XCTAssertEqual(action("projects where count(milestones where overdue) > 1 and bu"), .insert("business_case "))
        XCTAssertEqual(action("projects where exists(issues where sever"), .insert("severity "))
        XCTAssertEqual(action("projects |\nsort cp"), .list(["cpi", "cpm_finish"]))
        XCTAssertEqual(action("projects |\nsort cpm"), .insert("cpm_finish "))
        XCTAssertEqual(action("def project.burn = ac / weeks(sta"), .list(["start", "state", "status", "status_age", "status_reports"]))
    }

    func testMembersAfterADot() {
        XCTAssertEqual(action("projects where program.portf"), .insert("portfolio"))
        XCTAssertEqual(action("projects where sponsor.depa"), .insert("department "))
        XCTAssertEqual(action("projects where latest_status.over"), .insert("overall "))
        XCTAssertEqual(action("milestones where due.quar"), .insert("quarter "))
        XCTAssertEqual(action("project \"PRJ-0001\".bu"), .insert("business_case "))
        XCTAssertEqual(action("2026-Q4.e"), .insert("end "))
        XCTAssertEqual(action("projects where this.ph"), .insert("phase "))
    }

    func testEnumValuesAfterComparisons() {
        XCTAssertEqual(action("projects where status = r"), .insert("red "))
        XCTAssertEqual(texts("projects where status != "), ["amber", "green", "red"])
        XCTAssertEqual(action("issues where severity >= h"), .insert("high "))
        XCTAssertEqual(action("projects where phase in [planning, exe"), .insert("execution "))
        XCTAssertEqual(action("projects where phase not in [pl"), .insert("planning "))
        XCTAssertEqual(action("projects where latest_status.overall = gr"), .insert("green "))
        XCTAssertEqual(action("projects where computed_status = am"), .insert("amber "))
        // An alias is not a comparison.
        XCTAssertEqual(action("projects | select status = statu"), .insert("status"))
    }

    func testKeywordsAfterAnOperand() {
        XCTAssertEqual(action("projects wh"), .insert("where "))
        XCTAssertEqual(action("projects | gr"), .insert("group "))
        XCTAssertEqual(action("projects | group b"), .insert("by "))
        XCTAssertEqual(texts("projects where sponsor is n"), ["none", "not"])
        XCTAssertEqual(action("projects where sponsor is not n"), .insert("none "))
        XCTAssertEqual(action("projects where name starts w"), .insert("with "))
        XCTAssertEqual(action("projects where status = red an"), .insert("and "))
    }

    func testIdsAndNamesInQuotes() {
        guard case .list(let ids) = action("project \"PRJ-00") else { return XCTFail("expected a list") }
        XCTAssertEqual(ids.count, 37)
        XCTAssertEqual(ids.first, "PRJ-0001")
        XCTAssertEqual(action("project \"PRJ-0037"), .insert("PRJ-0037\""))
        XCTAssertEqual(action("project \"prj-003"), .insert("PRJ-003"))  // case-insensitive, case fixed
        XCTAssertEqual(action("project \"SAP S/4HANA F"), .insert("SAP S/4HANA Finance Rollout\""))
        XCTAssertEqual(action("program 'PRG-0"), .list(texts("program 'PRG-0")))
        XCTAssertEqual(action("print \"PRJ-00"), CompletionResult.Action.none)  // not after an entity word
        // After `=` and inside `in [`: the ids and names of the set compared with.
        XCTAssertEqual(action("projects where id = \"PRJ-0037"), .insert("PRJ-0037\""))
        guard case .list(let after) = action("projects where id = \"PRJ-00") else { return XCTFail("expected a list after =") }
        XCTAssertEqual(after.count, 37)
        XCTAssertEqual(action("projects where name = \"SAP S/4HANA F"), .insert("SAP S/4HANA Finance Rollout\""))
        XCTAssertEqual(action("projects where id in [\"PRJ-0001\", \"PRJ-0037"), .insert("PRJ-0037\""))
        XCTAssertEqual(action("milestones where project.id = \"PRJ-0037"), .insert("PRJ-0037\""))
        XCTAssertEqual(action("projects where code = \"PRJ-00"), CompletionResult.Action.none)  // not an id or name
        XCTAssertEqual(action("print \"{count(projects where status = r"), .insert("red "))
        XCTAssertEqual(action("print \"{{literal} {proj"), .insert("projects "))
        XCTAssertEqual(action("print \"{count(projects)} proj"), CompletionResult.Action.none)
        XCTAssertEqual(action("projects # a comment sta"), CompletionResult.Action.none)
    }

    func testKeyScanOnManyStrings() {
        let pools = [(1...900).map { "T-\(1000 + $0)" }, ["Zoë Café", "Zoë Cafés", "zed"]]
        let exact = KeyCompletion.matching("T-18", in: pools)
        XCTAssertEqual(exact.total, 100)
        XCTAssertEqual(exact.common, "T-18")
        let all = KeyCompletion.matching("t-", in: pools)  // no exact match: ignoring case
        XCTAssertEqual(all.total, 900)
        XCTAssertEqual(all.kept.count, KeyCompletion.listLimit + 1)
        XCTAssertEqual(all.common, "T-1")
        XCTAssertEqual(KeyCompletion.matching("Zoë", in: pools).common, "Zoë Café")
        XCTAssertEqual(KeyCompletion.wholeCharacters(Array("Caf\u{E9}".utf8).dropLast().map { $0 }), "Caf")
    }

    func testUserNamesFromLetAndDef() {
        run("let bigones = projects where bac > $5M")
        run("def overrun(p) = p.ac - p.bac")
        run("def project.burn = ac / 2")
        XCTAssertEqual(action("bigo"), .insert("bigones "))
        XCTAssertEqual(action("bigones where sta"), .list(["start", "state", "status", "status_age", "status_reports"]))
        XCTAssertEqual(action("projects | select x = overr"), .insert("overrun("))
        XCTAssertEqual(action("projects | sort bur"), .insert("burn "))
    }

    func testMetaCommandsAndTheirArguments() {
        XCTAssertEqual(action(".sch"), .insert(".schema "))
        XCTAssertEqual(action(".format j"), .insert("json"))  // json or jsonl
        XCTAssertEqual(action(".format h"), .insert("html "))
        XCTAssertEqual(action(".timer o"), .list(["off", "on"]))
        XCTAssertEqual(action(".schema mile"), .insert("milestones "))
        XCTAssertEqual(action(".help utiliz"), .insert("utilization "))
        XCTAssertEqual(action(".run \(REPLBinary.packageRoot.path)/examples/red-pro"),
                       .insert("\(REPLBinary.packageRoot.path)/examples/red-projects.pmo "))
        XCTAssertEqual(action(".open \(REPLBinary.packageRoot.path)/examples/de"), .insert("\(REPLBinary.packageRoot.path)/examples/demo/"))
        XCTAssertEqual(action(".quit x"), CompletionResult.Action.none)
    }

    func testNoCompletionForNewNamesAndNumbers() {
        XCTAssertEqual(texts("let x"), [])
        XCTAssertEqual(texts("def f(a"), [])
        XCTAssertEqual(texts("projects where bac > 15"), [])
    }

    func testColumnListFitsTheWidth() {
        let items = (1...30).map { "item\($0)" }
        let text = ColumnList.format(items, width: 40, maxLines: 20)
        let lines = text.split(separator: "\n")
        XCTAssertTrue(lines.allSatisfy { $0.count <= 40 }, text)
        XCTAssertEqual(lines.count, 6)  // 5 columns of 8-wide cells
        XCTAssertTrue(lines[0].hasPrefix("item1 "))
        let cut = ColumnList.format(items, width: 10, maxLines: 5)
        XCTAssertTrue(cut.hasSuffix("… and 26 more; type a few more letters\n"), cut)
    }
}

extension CompletionTests {
    /// History conditions (language.md, "Changes and history"): the field's values after `was`,
    /// `was not`, `was in [`, `changed from` and `changed ... to`, and the qualifiers of `changed`.
    func testHistoryConditions() {
        XCTAssertEqual(action("projects where status cha"), .insert("changed "))
        XCTAssertEqual(texts("projects where status was "), ["amber", "green", "in", "not", "red"])
        XCTAssertEqual(action("projects where status was r"), .insert("red "))
        XCTAssertEqual(action("projects where status was not gr"), .insert("green "))
        XCTAssertEqual(action("projects where status was in [red, am"), .insert("amber "))
        XCTAssertEqual(texts("projects where status changed "), ["after", "before", "by", "during", "from", "on", "to"])
        XCTAssertEqual(action("projects where status changed from gr"), .insert("green "))
        XCTAssertEqual(action("projects where status changed from green to r"), .insert("red "))
        XCTAssertEqual(action("risks where state changed to cl"), .insert("closed "))
        XCTAssertEqual(action("projects where phase was exe"), .insert("execution "))
    }
}
