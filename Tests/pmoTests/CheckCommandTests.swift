// End-to-end tests of `pmo check` and `pmo test`: the rule library on the demo, exit statuses and
// --fail-on, waivers, JUnit and SARIF parsed back, the findings history across two runs, rule tests.
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

final class CheckCommandTests: XCTestCase {
    var fixture: Fixture!

    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var rules: String { repo.appendingPathComponent("examples/rules").path }
    static var demo: String { repo.appendingPathComponent("examples/demo").path }

    override func setUpWithError() throws {
        fixture = try Fixture()
    }

    override func tearDown() {
        fixture.remove()
    }

    /// Runs `pmo` in the fixture's folder.
    func pmo(_ args: [String], stdin: String? = nil) throws -> PMOResult {
        let r = try PMOProcess.run(args, stdin: stdin, cwd: fixture.root)
        XCTAssertTrue(r.exited, "pmo crashed: \(r.stderr)")
        XCTAssertFalse(r.stderr.contains("Fatal error"), r.stderr)
        return r
    }

    /// A medium-severity sponsor rule over the fixture (PRJ-001: $1.5M without a sponsor).
    let sponsorRule = """
    rule sponsor_required "Projects over $1M have a named sponsor"
      severity medium
      for projects where bac > $1M
      require sponsor is not none
      message "{name} has no sponsor"
      owner "PMO"

    """

    // MARK: - The rule library on the demo

    func testTheRuleLibraryFindsTheDemosPlantedProblems() throws {
        let r = try pmo(["check", CheckCommandTests.rules, "--data", CheckCommandTests.demo, "--format", "csv"])
        XCTAssertEqual(r.status, 1, r.stderr)
        let rows = Set(r.stdout.split(whereSeparator: \.isNewline).map { line -> String in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            return cells.count > 4 ? "\(cells[1]) \(cells[2]) \(cells[4])" : String(line)
        })
        for expected in [
            "sponsor_required PRJ-0008 violation", "sponsor_required PRJ-0028 violation", "sponsor_required PRJ-0033 violation",
            "red_needs_open_issue PRJ-0006 violation", "watermelon PRJ-0010 violation",
            "status_fresh PRJ-0016 violation", "status_fresh PRJ-0037 violation", "status_fresh PRJ-0004 unknown",
            "overallocation RES-007 violation", "overallocation RES-029 violation",
            "unowned_high_risks RSK-0035 violation", "unowned_high_risks RSK-0061 violation",
            "overdue_key_milestones MS-0070 violation", "overdue_key_milestones MS-0090 violation",
            "cpi_floor PRJ-0020 unknown", "budget_overrun PRJ-0010 violation",
            "portfolio_within_budget_cap PF-3 violation", "gate_decision_recorded PRJ-0030 G3 violation",
            "dependency_risk_recorded PRJ-0006 violation", "dependency_on_closed_project PRJ-0024 violation",
            "project_dependency_cycle PRJ-0033 violation", "project_dependency_cycle PRJ-0037 violation",
        ] {
            XCTAssertTrue(rows.contains(expected), "missing \(expected)")
        }
        // Traps of the demo's README are not flagged.
        for trap in ["sponsor_required PRJ-0011 violation", "sponsor_required PRJ-0036 violation", "overallocation RES-020 violation",
                     "overallocation RES-038 violation", "unowned_high_risks RSK-0063 violation", "status_fresh PRJ-0022 violation"] {
            XCTAssertFalse(rows.contains(trap), "flagged \(trap)")
        }
    }

    func testTheRuleLibraryTestsPassAndCoverEveryRule() throws {
        let r = try pmo(["test", CheckCommandTests.rules, "--data", CheckCommandTests.demo])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let summary = r.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let numbers = summary.split(separator: " ").compactMap { Int($0) }
        XCTAssertEqual(numbers.count, 3, summary)
        XCTAssertEqual(numbers.first, numbers.dropFirst().first, summary)
        XCTAssertEqual(numbers.last, 0, summary)

        let fm = FileManager.default
        let names = try fm.contentsOfDirectory(atPath: CheckCommandTests.rules).filter { $0.hasSuffix(".pmo") }
        var ruleIds: [String] = []
        var tests = ""
        for name in names {
            let text = try String(contentsOfFile: CheckCommandTests.rules + "/" + name, encoding: .utf8)
            if name.hasSuffix("_test.pmo") { tests += text; continue }
            for line in text.split(separator: "\n") where line.hasPrefix("rule ") {
                ruleIds.append(String(line.split(separator: " ")[1]))
            }
        }
        XCTAssertGreaterThanOrEqual(ruleIds.count, 25)
        let readme = try String(contentsOfFile: CheckCommandTests.rules + "/README.md", encoding: .utf8)
        for id in ruleIds {
            XCTAssertTrue(tests.contains("expect violation \(id) on"), "\(id) has no failing test")
            XCTAssertTrue(tests.contains("expect pass \(id) on"), "\(id) has no passing test")
            XCTAssertTrue(readme.contains("`\(id)`"), "\(id) is not in the README table")
        }
    }

    // MARK: - Exit statuses

    func testFailOnDecidesTheExitStatus() throws {
        let rules = try fixture.write("rules.pmo", sponsorRule)
        let data = fixture.data.path
        let byDefault = try pmo(["check", rules, "--data", data])
        XCTAssertEqual(byDefault.status, 0, byDefault.stderr)  // medium < high
        XCTAssertTrue(byDefault.stdout.contains("PRJ-001"), byDefault.stdout)
        XCTAssertTrue(byDefault.stdout.hasSuffix("1 violation (1 medium), 0 unknown, 0 passed, 0 waived\n"), byDefault.stdout)
        XCTAssertEqual(try pmo(["check", rules, "--data", data, "--fail-on", "medium"]).status, 1)
        XCTAssertEqual(try pmo(["check", rules, "--data", data, "--fail-on", "low"]).status, 1)
        XCTAssertEqual(try pmo(["check", rules, "--data", data, "--fail-on", "critical"]).status, 0)
        XCTAssertEqual(try pmo(["check", rules, "--data", data, "--fail-on", "never"]).status, 0)
        let bad = try pmo(["check", rules, "--data", data, "--fail-on", "severe"])
        XCTAssertEqual(bad.status, 64)
    }

    func testRunExitsOneWhenItsChecksReachFailOn() throws {
        let script = try fixture.write("weekly.pmo", sponsorRule + "print \"checking\"\ncheck\n")
        let data = fixture.data.path
        let byDefault = try pmo(["run", script, "--data", data])
        XCTAssertEqual(byDefault.status, 0, byDefault.stderr)  // medium < high
        XCTAssertTrue(byDefault.stdout.contains("PRJ-001"), byDefault.stdout)
        let medium = try pmo(["run", script, "--data", data, "--fail-on", "medium"])
        XCTAssertEqual(medium.status, 1, medium.stderr)
        XCTAssertTrue(medium.stdout.contains("checking"), "the whole script ran: \(medium.stdout)")
        XCTAssertTrue(medium.stdout.contains("PRJ-001"), medium.stdout)
        XCTAssertEqual(try pmo(["run", script, "--data", data, "--fail-on", "never"]).status, 0)
        // A script without a check, or whose rule finds nothing, exits 0 whatever --fail-on says.
        let quiet = try fixture.write("quiet.pmo", "print count(projects)\n")
        XCTAssertEqual(try pmo(["run", quiet, "--data", data, "--fail-on", "info"]).status, 0)
        let unknown = try fixture.write("unknown.pmo", """
        rule has_manager "Projects have a manager" severity high for projects require manager.name != ""
        check

        """)
        XCTAssertEqual(try pmo(["run", unknown, "--data", data]).status, 0)
        XCTAssertEqual(try pmo(["run", unknown, "--data", data, "--fail-on-unknown"]).status, 1)
    }

    func testUnknownsCountOnlyWithFailOnUnknown() throws {
        // The fixture's projects have no manager: the rule cannot tell, for each of them.
        let rules = try fixture.write("rules.pmo", """
        rule has_manager "Projects have a manager" severity high for projects require manager.name != ""

        """)
        let data = fixture.data.path
        let plain = try pmo(["check", rules, "--data", data])
        XCTAssertEqual(plain.status, 0, plain.stdout + plain.stderr)
        XCTAssertTrue(plain.stdout.contains("unknown: manager is none"), plain.stdout)
        XCTAssertTrue(plain.stdout.contains("0 violations, 3 unknown, 0 passed, 0 waived"), plain.stdout)
        XCTAssertEqual(try pmo(["check", rules, "--data", data, "--fail-on-unknown"]).status, 1)
    }

    func testWaiversActiveAndExpiredOnTheCommandLine() throws {
        let data = fixture.data.path
        let active = try fixture.write("active.pmo", sponsorRule + """
        waive sponsor_required for project "PRJ-001" until 2026-12-31 by "CFO" because "sponsor being hired"

        """)
        let r = try pmo(["check", active, "--data", data, "--fail-on", "medium"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("waived"), r.stdout)
        XCTAssertTrue(r.stdout.contains("(waived by CFO until 2026-12-31: sponsor being hired)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("0 violations, 0 unknown, 0 passed, 1 waived"), r.stdout)
        let later = try pmo(["check", active, "--data", data, "--fail-on", "medium", "--as-of", "2027-01-04"])
        XCTAssertEqual(later.status, 1)
        XCTAssertTrue(later.stdout.contains("(waiver expired on 2026-12-31)"), later.stdout)
    }

    func testErrorsInRuleFilesAreExit65AndMissingFilesExit66() throws {
        let broken = try fixture.write("broken.pmo", "rule r \"t\"\n  severity hgh\n  for projects\n  require true\n")
        let r = try pmo(["check", broken, "--data", fixture.data.path])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("broken.pmo:2:12: error: unknown severity 'hgh'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("did you mean 'high'?"), r.stderr)
        let unknownRule = try fixture.write("waive.pmo", "waive nope for project \"PRJ-001\" until 2026-12-31 by \"x\" because \"y\"\n")
        XCTAssertEqual(try pmo(["check", unknownRule, "--data", fixture.data.path]).status, 65)
        XCTAssertEqual(try pmo(["check", fixture.path("none.pmo"), "--data", fixture.data.path]).status, 66)
        XCTAssertEqual(try pmo(["check"]).status, 64)
    }

    func testAnEvaluationErrorIsReportedAndExit70() throws {
        let rules = try fixture.write("overflow.pmo", sponsorRule + """
        rule overflow "t" for projects require bac * 9223372036854775807 > $0

        """)
        let r = try pmo(["check", rules, "--data", fixture.data.path])
        XCTAssertEqual(r.status, 70, r.stderr)
        XCTAssertTrue(r.stdout.contains("3 errors"), r.stdout)
        XCTAssertTrue(r.stdout.contains("PRJ-001"), r.stdout)  // the other rule still reported
        XCTAssertTrue(r.stderr.contains("3 rule evaluations failed"), r.stderr)
    }

    // MARK: - Formats

    func testJUnitParsesWithOneCasePerRuleAndEntity() throws {
        let rules = try fixture.write("rules.pmo", sponsorRule + """
        rule has_phase "Projects have a phase" severity low for projects require phase is not none

        """)
        let r = try pmo(["check", rules, "--data", fixture.data.path, "--format", "junit"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let doc = try XMLSummary(r.stdout)
        XCTAssertEqual(doc.count("testsuites"), 1)
        XCTAssertEqual(doc.count("testsuite"), 2)
        XCTAssertEqual(doc.count("testcase"), 1 + 3)
        XCTAssertEqual(doc.count("failure"), 1)
        XCTAssertEqual(doc.attributes("testsuites").first?["failures"], "1")
        XCTAssertEqual(doc.attributes("testsuite").first?["name"], "sponsor_required")
        let failing = doc.attributes("testcase").first { $0["name"] == "PRJ-001 ERP rollout" }
        XCTAssertEqual(failing?["file"], rules)
        XCTAssertEqual(failing?["line"], "1")
        XCTAssertEqual(doc.attributes("failure").first?["message"], "ERP rollout has no sponsor")
    }

    func testSARIFParsesWithRulesResultsAndLocations() throws {
        let rules = try fixture.write("rules.pmo", "# governance\n" + sponsorRule)
        let r = try pmo(["check", rules, "--data", fixture.data.path, "--format", "sarif"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["version"] as? String, "2.1.0")
        let run = try XCTUnwrap((json["runs"] as? [[String: Any]])?.first)
        let driver = try XCTUnwrap((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        XCTAssertEqual(driver["name"] as? String, "pmo")
        let ruleList = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        XCTAssertEqual(ruleList.map { $0["id"] as? String }, ["sponsor_required"])
        let results = try XCTUnwrap(run["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, 1)
        let result = results[0]
        XCTAssertEqual(result["ruleId"] as? String, "sponsor_required")
        XCTAssertEqual(result["level"] as? String, "warning")
        XCTAssertEqual((result["message"] as? [String: Any])?["text"] as? String, "PRJ-001: ERP rollout has no sponsor")
        let location = try XCTUnwrap((result["locations"] as? [[String: Any]])?.first)
        let logical = try XCTUnwrap((location["logicalLocations"] as? [[String: Any]])?.first)
        XCTAssertEqual(logical["name"] as? String, "PRJ-001")
        XCTAssertEqual(logical["fullyQualifiedName"] as? String, "projects/PRJ-001")
        let physical = try XCTUnwrap(location["physicalLocation"] as? [String: Any])
        XCTAssertEqual((physical["artifactLocation"] as? [String: Any])?["uri"] as? String, "file://" + rules)
        XCTAssertEqual((physical["region"] as? [String: Any])?["startLine"] as? Int, 2)

        // --output with a .sarif extension picks SARIF too, written atomically.
        let out = fixture.path("findings.sarif")
        XCTAssertEqual(try pmo(["check", rules, "--data", fixture.data.path, "--output", out]).status, 0)
        XCTAssertTrue(fixture.read("findings.sarif")?.contains("\"version\": \"2.1.0\"") == true)
    }

    func testJSONAndMarkdown() throws {
        let rules = try fixture.write("rules.pmo", sponsorRule)
        let r = try pmo(["check", rules, "--data", fixture.data.path, "--format", "json"])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((json["summary"] as? [String: Any])?["violations"] as? Int, 1)
        let finding = try XCTUnwrap((json["findings"] as? [[String: Any]])?.first)
        XCTAssertEqual(finding["entity"] as? String, "PRJ-001")
        XCTAssertEqual(finding["owner"] as? String, "PMO")
        let md = try pmo(["check", rules, "--data", fixture.data.path, "--format", "md"])
        XCTAssertTrue(md.stdout.hasPrefix("| severity | rule | entity | name | status | message | owner |"), md.stdout)
    }

    // MARK: - History

    func testHistoryAcrossTwoRunsOnChangedData() throws {
        let ws = fixture.path("ws.db")
        XCTAssertEqual(try pmo(["init", ws]).status, 0)
        XCTAssertEqual(try pmo(["import", fixture.data.path, "--workspace", ws]).status, 0)
        let rules = try fixture.write("rules.pmo", sponsorRule)
        let first = try pmo(["check", rules, "--workspace", ws, "--fail-on", "medium"])
        XCTAssertEqual(first.status, 1, first.stderr)
        XCTAssertTrue(first.stdout.contains("first recorded run: every finding is new"), first.stdout)

        // PRJ-001 gets a sponsor; PRJ-004 arrives without one.
        try fixture.write("change/projects.csv", """
        id,name,sponsor,phase,status,bac,start,finish
        PRJ-001,ERP rollout,P2,execution,red,1500000,2026-01-05,2026-11-30
        PRJ-004,CRM,,execution,green,2000000,2026-05-04,2027-06-30

        """)
        XCTAssertEqual(try pmo(["import", fixture.path("change/projects.csv"), "--workspace", ws]).status, 0)
        let second = try pmo(["check", rules, "--workspace", ws, "--as-of", "2026-11-27"])
        XCTAssertTrue(second.stdout.contains("since the last run: 1 new, 0 persisting, 1 resolved"), second.stdout)
        XCTAssertTrue(second.stdout.contains("resolved: sponsor_required PRJ-001 (first seen 2026-11-22)"), second.stdout)

        // The next run: PRJ-004 persists, nothing is new, so --new-only --quiet prints nothing.
        let third = try pmo(["check", rules, "--workspace", ws, "--as-of", "2026-12-04", "--new-only", "--quiet", "--fail-on", "medium"])
        XCTAssertEqual(third.status, 0, third.stderr)
        XCTAssertEqual(third.stdout, "")
        let json = try pmo(["check", rules, "--workspace", ws, "--as-of", "2026-12-04", "--format", "json"])
        let history = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["history"] as? [String: Any])
        XCTAssertEqual(history["persisting"] as? [String], ["sponsor_required|projects|PRJ-004"])
        XCTAssertEqual(history["new"] as? [String], [])
        // The run ledger has the counts.
        let runs = try pmo(["runs", "--workspace", ws, "--format", "csv"])
        XCTAssertTrue(runs.stdout.contains(",1,0,1,"), runs.stdout)
    }

    func testWaiversStoredInTheWorkspaceApply() throws {
        let ws = fixture.path("ws.db")
        XCTAssertEqual(try pmo(["init", ws]).status, 0)
        XCTAssertEqual(try pmo(["import", fixture.data.path, "--workspace", ws]).status, 0)
        let rules = try fixture.write("rules.pmo", sponsorRule)
        // Checked before it is stored (issue 14): the rule, the entity, the date; never replaced silently.
        func waive(_ args: [String]) throws -> PMOResult {
            try pmo(["waive"] + args + ["--by", "CFO", "--because", "sponsor being hired", "--workspace", ws])
        }
        let count = try pmo(["waivers", "--workspace", ws])
        XCTAssertEqual(count.stdout, "no waivers\n", count.stderr)
        let noRules = try waive(["sponsor_required", "project", "PRJ-001", "--until", "2026-12-31"])
        XCTAssertEqual(noRules.status, 64)
        XCTAssertTrue(noRules.stderr.contains("cannot tell whether rule 'sponsor_required' exists: give the rule files"), noRules.stderr)
        let typo = try waive(["sponsor_requried", "project", "PRJ-001", "--until", "2026-12-31", "--rules", rules])
        XCTAssertEqual(typo.status, 64)
        XCTAssertTrue(typo.stderr.contains("unknown rule 'sponsor_requried'; did you mean 'sponsor_required'?"), typo.stderr)
        let ghost = try waive(["sponsor_required", "project", "PRJ-0001", "--until", "2026-12-31", "--rules", rules])
        XCTAssertEqual(ghost.status, 64)
        XCTAssertTrue(ghost.stderr.contains("no project has the id 'PRJ-0001'; did you mean 'PRJ-001'?"), ghost.stderr)
        let past = try waive(["sponsor_required", "project", "PRJ-001", "--until", "2026-01-31", "--rules", rules, "--as-of", "2026-11-20"])
        XCTAssertEqual(past.status, 64)
        XCTAssertTrue(past.stderr.contains("--until 2026-01-31 is already past (the status date is 2026-11-20)"), past.stderr)
        XCTAssertEqual(try pmo(["waivers", "--workspace", ws]).stdout, "no waivers\n")
        let waive = try waive(["sponsor_required", "project", "PRJ-001", "--until", "2026-12-31", "--rules", rules, "--as-of", "2026-11-20"])
        XCTAssertEqual(waive.status, 0, waive.stderr)
        let again = try pmo(["waive", "sponsor_required", "project", "PRJ-001", "--until", "2027-03-31", "--by", "COO", "--because", "later",
                             "--workspace", ws, "--as-of", "2026-11-20"])
        XCTAssertEqual(again.status, 64)
        XCTAssertTrue(again.stderr.contains("sponsor_required is already waived for projects PRJ-001 until 2026-12-31 by CFO because sponsor being hired; pass --replace"), again.stderr)
        XCTAssertEqual(try pmo(["waivers", "--workspace", ws]).stdout,
                       "sponsor_required projects PRJ-001 until 2026-12-31 by CFO because sponsor being hired\n")
        XCTAssertEqual(try pmo(["waive", "--list", "--workspace", ws]).stdout,
                       "sponsor_required projects PRJ-001 until 2026-12-31 by CFO because sponsor being hired\n")
        let r = try pmo(["check", rules, "--workspace", ws, "--fail-on", "medium"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("0 violations, 0 unknown, 0 passed, 1 waived"), r.stdout)
        // In a script's check and at a one-line query too.
        let script = try fixture.write("weekly.pmo", sponsorRule + "check\n")
        let run = try pmo(["run", script, "--workspace", ws, "--fail-on", "medium"])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("1 waived"), run.stdout)
        let line = try pmo(["-c", sponsorRule.replacingOccurrences(of: "\n  ", with: " ") + "check", "--workspace", ws])
        XCTAssertTrue(line.stdout.contains("1 waived"), line.stdout + line.stderr)
        XCTAssertEqual(try pmo(["check", rules, "--workspace", ws, "--fail-on", "medium", "--as-of", "2027-01-04"]).status, 1)
        XCTAssertEqual(try pmo(["waive", "sponsor_required", "project", "PRJ-001", "--remove", "--workspace", ws]).status, 0)
        XCTAssertEqual(try pmo(["check", rules, "--workspace", ws, "--fail-on", "medium"]).status, 1)
        XCTAssertEqual(try pmo(["waive", "sponsor_required", "project", "PRJ-001", "--workspace", ws]).status, 64) // no --until
        XCTAssertEqual(try pmo(["waive", "sponsor_required", "project", "PRJ-001", "--until", "2026-12-31", "--by", "x",
                                "--because", "y", "--data", fixture.data.path]).status, 64) // not a workspace
    }

    func testNewOnlyNeedsAWorkspace() throws {
        let rules = try fixture.write("rules.pmo", sponsorRule)
        let r = try pmo(["check", rules, "--data", fixture.data.path, "--new-only"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("--new-only needs a workspace"), r.stderr)
    }

    // MARK: - pmo test

    func testPmoTestReportsExpectedVersusActualAndExits1() throws {
        let file = try fixture.write("rules_test.pmo", sponsorRule + """
        test "a sponsored project passes" {
          given projects [{id: "P1", bac: $2M}]
          expect pass sponsor_required on "P1"
        }
        test "a wrong expectation" {
          given projects [{id: "P1", bac: $2M, sponsor: none}]
          expect pass sponsor_required on "P1"
        }

        """)
        let r = try pmo(["test", file, "--data", fixture.data.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stdout.contains("test \"a wrong expectation\": FAILED"), r.stdout)
        XCTAssertTrue(r.stdout.contains("rules_test.pmo:13:3: expect pass sponsor_required on \"P1\""), r.stdout)
        XCTAssertTrue(r.stdout.contains("    expected: pass\n    actual:   violation: Project P1 has no sponsor"), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("2 tests, 1 passed, 1 failed\n"), r.stdout)
        XCTAssertFalse(r.stdout.contains("a sponsored project passes"), r.stdout)

        let junit = try pmo(["test", file, "--data", fixture.data.path, "--format", "junit"])
        XCTAssertEqual(junit.status, 1)
        let doc = try XMLSummary(junit.stdout)
        XCTAssertEqual(doc.count("testcase"), 2)
        XCTAssertEqual(doc.count("failure"), 1)

        let passing = try fixture.write("ok_test.pmo", sponsorRule + "test \"ok\" {\n  given projects [{id: \"P1\"}]\n  expect pass sponsor_required on \"P1\"\n}\n")
        let ok = try pmo(["test", passing, "--data", fixture.data.path, "--verbose"])
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)
        XCTAssertEqual(ok.stdout, "test \"ok\": passed\n1 test, 1 passed, 0 failed\n")
    }

    func testABadTestIsACheckError() throws {
        let file = try fixture.write("bad_test.pmo", sponsorRule + "test \"t\" {\n  expect violation sponsor_requird on \"P1\"\n}\n")
        let r = try pmo(["test", file, "--data", fixture.data.path])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("bad_test.pmo:8:20: error: unknown rule 'sponsor_requird'"), r.stderr)
    }
}

/// Element names and attributes of an XML document, read with Foundation's XMLParser.
final class XMLSummary: NSObject, XMLParserDelegate {
    private var elements: [(String, [String: String])] = []

    init(_ text: String) throws {
        super.init()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = self
        guard parser.parse() else { throw parser.parserError ?? NSError(domain: "xml", code: 1) }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append((name, attributes))
    }

    func count(_ name: String) -> Int { elements.filter { $0.0 == name }.count }
    func attributes(_ name: String) -> [[String: String]] { elements.filter { $0.0 == name }.map(\.1) }
}
