// History end to end: weekly exports imported in date order with --effective, one change made in the
// language, then every history example of language.md ("Changes and history") as written, `as of`
// (statement and --as-of), `history` of an entity, the `journal` set, and bad history conditions.
import Foundation
import XCTest

final class HistoryCommandTests: XCTestCase {
    var dir: URL!

    static let people = "id,name\nP-0001,Dana Kim\nP-0012,Sam Ortiz\n"
    static let weeks: [(String, String, String)] = [
        ("2026-06-01",
         "id,name,status,bac\nPRJ-0041,CRM,green,500000\nPRJ-0042,ERP,green,2000000\n",
         "id,project,name,due,forecast\nMS-2,PRJ-0042,Build,2026-12-15,2026-12-20\n"),
        ("2026-08-15",
         "id,name,status,bac\nPRJ-0041,CRM,green,500000\nPRJ-0042,ERP,red,2000000\n",
         "id,project,name,due,forecast\nMS-2,PRJ-0042,Build,2026-12-15,2026-12-20\n"),
        ("2026-10-01",
         "id,name,status,bac\nPRJ-0041,CRM,green,500000\nPRJ-0042,ERP,amber,2000000\n",
         "id,project,name,due,forecast\nMS-2,PRJ-0042,Build,2026-12-15,2026-12-20\n"),
        ("2026-11-20",
         "id,name,status,bac\nPRJ-0041,CRM,red,500000\nPRJ-0042,ERP,amber,2300000\nPRJ-0043,BI,green,90000\n",
         "id,project,name,due,forecast\nMS-2,PRJ-0042,Build,2026-12-15,2027-01-10\n"),
    ]

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        XCTAssertEqual(try pmo(["init", "ws.db", "--quiet"]).status, 0)
        for (i, w) in Self.weeks.enumerated() {
            try write("w\(i)/people.csv", Self.people)
            try write("w\(i)/projects.csv", w.1)
            try write("w\(i)/milestones.csv", w.2)
            try write("w\(i)/risks.csv", "id,project,title,owner\nRSK-0006,PRJ-0042,Vendor late,P-0001\n")
            let r = try pmo(["import", "w\(i)", "--workspace", "ws.db", "--effective", w.0, "--user", "loader", "--quiet"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let c = try pmo(["-c", #"update risk "RSK-0006" set owner = person "P-0012" because "handover" effective 2026-11-25"#,
                         "--workspace", "ws.db", "--user", "dana.kim", "--as-of", "2026-12-01"])
        XCTAssertEqual(c.status, 0, c.stderr)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func pmo(_ args: [String]) throws -> PMOResult {
        try PMOProcess.run(args, env: ["PMO_WORKSPACE": "", "PMO_USER": "tester"], cwd: dir)
    }

    func csv(_ q: String, asOf: String = "2026-12-01") throws -> String {
        let r = try pmo(["-c", q, "--workspace", "ws.db", "--as-of", asOf, "--format", "csv"])
        XCTAssertEqual(r.status, 0, "\(q)\n\(r.stderr)")
        return r.stdout.replacingOccurrences(of: "\r\n", with: "\n")
    }

    func testTheLanguageBriefsHistoryExamples() throws {
        XCTAssertEqual(try csv("projects where status was red during 2026-Q3 | select id"), "id\nPRJ-0042\n")
        XCTAssertEqual(try csv("projects where status changed from green to red after 2026-11-01 | select id"), "id\nPRJ-0041\n")
        XCTAssertEqual(try csv("milestones where forecast changed after today - 2w and forecast > at(forecast, today - 2w) | select id"),
                       "id\nMS-2\n")
        XCTAssertEqual(try csv("projects where bac > at(bac, 2026-09-30) * 110%         # budget grew more than 10% since Q3\n"),
                       try csv(#"projects where id = "PRJ-0042""#))
        XCTAssertEqual(try csv(#"risks where owner changed by "dana.kim" | select id"#), "id\nRSK-0006\n")
        XCTAssertEqual(try csv(#"journal where field = "status" and new = "red" and effective >= today - 7d | select entity, old, new, by, reason"#,
                               asOf: "2026-11-25"),
                       "entity,old,new,by,reason\nPRJ-0041,green,red,loader,import\n")
    }

    func testWasChangedAndAtFollowTheirDocumentedMeaning() throws {
        // was includes the current value; was not is never; during bounds are inclusive.
        XCTAssertEqual(try csv("projects where status was amber | select id"), "id\nPRJ-0042\n")
        XCTAssertEqual(try csv("projects where status was not red | select id"), "id\nPRJ-0043\n")
        XCTAssertEqual(try csv("projects where status was in [red, amber] during 2026-08-15 | select id"), "id\nPRJ-0042\n")
        XCTAssertEqual(try csv("projects where status was red on 2026-08-14 | select id"), "id\n")
        XCTAssertEqual(try csv("projects where status was red before 2026-08-15 | select id"), "id\n")
        XCTAssertEqual(try csv("projects where status changed during 2026-10 | select id"), "id\nPRJ-0042\n")
        XCTAssertEqual(try csv("projects where status changed to amber | select id"), "id\nPRJ-0042\n")
        // A field never changed has held its value since the journal began.
        XCTAssertEqual(try csv(#"projects where id = "PRJ-0041" | select b = at(bac, 2020-01-01)"#), "b\n500000.00\n")
        XCTAssertEqual(try csv(#"projects where id = "PRJ-0042" | select s = at(status, 2026-09-30), b = at(bac, 2026-11-19), b2 = at(bac, 2026-11-20)"#),
                       "s,b,b2\nred,2000000.00,2300000.00\n")
        // history of one entity.
        XCTAssertEqual(try csv(#"project "PRJ-0042".history | select field, old, new, effective"#),
                       "field,old,new,effective\nstatus,green,red,2026-08-15\nstatus,red,amber,2026-10-01\nbac,2000000,2300000,2026-11-20\n")
    }

    func testAsOfShowsEverySetAsItStoodThen() throws {
        let then = "projects | select id, status, bac"
        XCTAssertEqual(try csv(then, asOf: "2026-09-01"), "id,status,bac\nPRJ-0041,green,500000.00\nPRJ-0042,red,2000000.00\n")
        XCTAssertEqual(try csv(then, asOf: "2026-11-20"),
                       "id,status,bac\nPRJ-0041,red,500000.00\nPRJ-0042,amber,2300000.00\nPRJ-0043,green,90000.00\n")
        // The statement: the rest of the script sees that day; a later `as of` comes back.
        let script = try csv("as of 2026-07-01\nprojects | select id, status\nas of 2026-12-01\ncount(projects)")
        XCTAssertTrue(script.hasPrefix("id,status\nPRJ-0041,green\nPRJ-0042,green\n"), script)
        XCTAssertTrue(script.hasSuffix("3\n"), script)
        // A change is refused while the script shows the past.
        let r = try pmo(["-c", "as of 2026-07-01\n" + #"update project "PRJ-0041" set bac = $1 because "x""#, "--workspace", "ws.db"])
        XCTAssertEqual(r.status, 70, r.stderr)
        XCTAssertTrue(r.stderr.contains("as it is now"), r.stderr)
    }

    func testBadHistoryConditions() throws {
        let cases: [(String, String)] = [
            ("projects where stauts was red", "did you mean 'status'?"),
            ("projects where cpi changed", "is computed"),
            ("projects where status was redd", "did you mean 'red'?"),
            ("projects where status changed during 2026-13-01", "not a valid date"),
            ("projects where status was red during \"soon\"", "needs a period or date"),
            ("projects | select x = at(bac, \"x\")", "'at' needs a date"),
        ]
        for (q, message) in cases {
            let r = try pmo(["-c", q, "--workspace", "ws.db"])
            XCTAssertEqual(r.status, 65, "\(q)\n\(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message) && r.stderr.contains("<command line>:1:"), "\(q)\n\(r.stderr)")
        }
    }
}
