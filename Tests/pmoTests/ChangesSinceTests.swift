// `changes since DATE` for people and the weekly pack (language.md, "Changes and history"): status
// transitions (journalled and from status reports), milestones whose forecast moved, budget and
// date changes, new and closed risks and issues, as a statement, a report section and a table.
import Foundation
import XCTest

final class ChangesSinceTests: XCTestCase {
    var dir: URL!

    static let weeks: [(String, String, String, String)] = [
        ("2026-11-01",
         "id,name,status,bac,finish\nPRJ-1,CRM,green,500,2027-01-29\nPRJ-2,ERP,green,900,2027-03-31\n",
         "id,project,name,due,forecast\nMS-1,PRJ-1,Go-live,2027-01-15,2027-01-15\n",
         "id,project,title,state\nRSK-1,PRJ-1,Vendor late,open\n"),
        ("2026-11-08",
         "id,name,status,bac,finish\nPRJ-1,CRM,red,500,2027-01-29\nPRJ-2,ERP,green,900,2027-03-31\n",
         "id,project,name,due,forecast\nMS-1,PRJ-1,Go-live,2027-01-15,2027-01-15\n",
         "id,project,title,state\nRSK-1,PRJ-1,Vendor late,open\n"),
        ("2026-11-15",
         "id,name,status,bac,finish\nPRJ-1,CRM,red,700,2027-02-26\nPRJ-2,ERP,amber,900,2027-03-31\n",
         "id,project,name,due,forecast\nMS-1,PRJ-1,Go-live,2027-01-15,2027-02-12\n",
         "id,project,title,state\nRSK-1,PRJ-1,Vendor late,closed\nRSK-2,PRJ-2,Key user leaves,open\n"),
    ]

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-since-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        XCTAssertEqual(try pmo(["init", "ws.db", "--quiet"]).status, 0)
        for (i, w) in Self.weeks.enumerated() {
            try write("w\(i)/people.csv", "id,name\nP-0001,Dana\n")
            try write("w\(i)/projects.csv", w.1)
            try write("w\(i)/milestones.csv", w.2)
            try write("w\(i)/risks.csv", w.3)
            let r = try pmo(["import", "w\(i)", "--workspace", "ws.db", "--effective", w.0, "--user", "loader", "--quiet"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ text: String) throws {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func pmo(_ args: [String]) throws -> PMOResult {
        try PMOProcess.run(args, env: ["PMO_WORKSPACE": "", "PMO_USER": "tester"], cwd: dir)
    }

    func csv(_ q: String, asOf: String = "2026-11-20") throws -> String {
        let r = try pmo(["-c", q, "--workspace", "ws.db", "--as-of", asOf, "--format", "csv"])
        XCTAssertEqual(r.status, 0, "\(q)\n\(r.stderr)")
        return r.stdout.replacingOccurrences(of: "\r\n", with: "\n")
    }

    func testWhatChangedSinceADateKindByKind() throws {
        XCTAssertEqual(try csv("changes since 2026-11-01"), """
            what,set,entity,name,field,from,to,effective,by,reason
            status,projects,PRJ-1,CRM,status,green,red,2026-11-08,loader,import
            status,projects,PRJ-2,ERP,status,green,amber,2026-11-15,loader,import
            forecast,milestones,MS-1,Go-live,forecast,2027-01-15,2027-02-12,2026-11-15,loader,import
            budget,projects,PRJ-1,CRM,bac,500,700,2026-11-15,loader,import
            dates,projects,PRJ-1,CRM,finish,2027-01-29,2027-02-26,2026-11-15,loader,import
            new risk,risks,RSK-2,Key user leaves,,,,2026-11-15,loader,import
            closed risk,risks,RSK-1,Vendor late,state,open,closed,2026-11-15,loader,import

            """)
        // After the date, up to today: the week of 2026-11-08 only.
        XCTAssertEqual(try csv("changes since 2026-11-07", asOf: "2026-11-10"), """
            what,set,entity,name,field,from,to,effective,by,reason
            status,projects,PRJ-1,CRM,status,green,red,2026-11-08,loader,import

            """)
        // The table form pipes like any table.
        XCTAssertEqual(try csv(#"changes_since(today - 7d) | where what = "status" | select entity, from, to"#),
                       "entity,from,to\nPRJ-2,green,amber\n")
    }

    func testAStatusReportThatChangedAStatusIsATransition() throws {
        try write("sr/status_reports.csv", "project,as_of,overall\nPRJ-2,2026-11-18,red\n")
        XCTAssertEqual(try pmo(["import", "sr/status_reports.csv", "--workspace", "ws.db", "--effective", "2026-11-18", "--quiet"]).status, 0)
        let rows = try csv(#"changes_since(2026-11-16) | where what = "status" | select entity, from, to, effective, reason"#)
        XCTAssertEqual(rows, "entity,from,to,effective,reason\nPRJ-2,amber,red,2026-11-18,status report of 2026-11-18\n")
    }

    func testAReportSectionOfItsOwn() throws {
        try write("weekly.pmo", """
            report "Weekly pack" {
              changes since today - 7d
              section "Red projects" { projects where status = red | select id }
            }

            """)
        let r = try pmo(["run", "weekly.pmo", "--workspace", "ws.db", "--as-of", "2026-11-20", "--format", "md"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("## Changes since today - 7d"), r.stdout)
        XCTAssertTrue(r.stdout.contains("| closed risk | risks | RSK-1 | Vendor late | state | open | closed | 2026-11-15 | loader | import |"), r.stdout)
        XCTAssertFalse(r.stdout.contains("| PRJ-1 | CRM | status |"), r.stdout)  // 2026-11-08 is more than a week back
        XCTAssertTrue(r.stdout.contains("## Red projects"), r.stdout)
        // `changes` alone is still the set of change requests; a bad date is a located error.
        XCTAssertEqual(try csv("count(changes)"), "0\n")
        let bad = try pmo(["-c", #"changes since "last week""#, "--workspace", "ws.db"])
        XCTAssertEqual(bad.status, 65, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("'changes since' needs a date") && bad.stderr.contains("<command line>:1:15"), bad.stderr)
    }
}
