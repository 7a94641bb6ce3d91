// `as of` as a stage shows the sets as they stood at the end of the date, exactly as the statement
// `as of DATE` and `--as-of DATE` do (rows inserted later invisible, deleted later visible, fields as
// they were); where it cannot (inside an expression, over a `let` of today's rows) it says so.
import Foundation
import XCTest

final class AsOfStageTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-asof-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        XCTAssertEqual(try pmo(["init", "ws.db", "--quiet"]).status, 0)
        for (i, w) in HistoryCommandTests.weeks.enumerated() {
            try write("w\(i)/people.csv", HistoryCommandTests.people)
            try write("w\(i)/projects.csv", w.1)
            try write("w\(i)/milestones.csv", w.2)
            try write("w\(i)/risks.csv", "id,project,title,owner\nRSK-0006,PRJ-0042,Vendor late,P-0001\nRSK-0007,PRJ-0042,Vendor late again,P-0001\n")
            let r = try pmo(["import", "w\(i)", "--workspace", "ws.db", "--effective", w.0, "--quiet"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let c = try pmo(["-c", #"delete risks where id = "RSK-0007" because "duplicate" effective 2026-11-25"#,
                         "--workspace", "ws.db", "--as-of", "2026-12-01"])
        XCTAssertEqual(c.status, 0, c.stderr)
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

    func csv(_ q: String, asOf: String = "2026-12-01") throws -> String {
        let r = try pmo(["-c", q, "--workspace", "ws.db", "--as-of", asOf, "--format", "csv"])
        XCTAssertEqual(r.status, 0, "\(q)\n\(r.stderr)")
        return r.stdout.replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// The stage, the statement and --as-of agree, pipeline by pipeline and day by day.
    func testTheStageShowsWhatTheStatementAndTheOptionShow() throws {
        let pipelines = [
            "projects | select id, status, bac",
            "risks | select id, owner.id",
            "milestones | select id, forecast",
            "projects where status = red | select id",
            "projects | aggregate n = count(), total = sum(bac)",
            "projects | select id, n = count(milestones), r = count(risks)",
        ]
        for day in ["2026-06-01", "2026-08-20", "2026-09-30", "2026-11-21", "2026-11-25", "2026-12-01"] {
            for p in pipelines {
                let option = try csv(p, asOf: day)
                let statement = try csv("as of \(day)\n\(p)")
                let parts = p.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                let stage = try csv("\(parts[0]) | as of \(day)" + (parts.count > 1 ? " | \(parts[1])" : ""))
                XCTAssertEqual(statement, option, "statement, \(day): \(p)")
                XCTAssertEqual(stage, option, "stage, \(day): \(p)")
                // The stage last: the whole pipeline as of the day all the same.
                if parts.count > 1, parts[1].hasPrefix("select") {
                    XCTAssertEqual(try csv("\(parts[0]) as of \(day) | \(parts[1])"), option, "stage last, \(day): \(p)")
                }
            }
        }
    }

    func testRowsInsertedLaterAreInvisibleAndRowsDeletedLaterVisible() throws {
        // PRJ-0043 arrived on 2026-11-20; RSK-0007 was deleted on 2026-11-25.
        XCTAssertEqual(try csv("projects | as of 2026-11-19 | select id, status"), "id,status\nPRJ-0041,green\nPRJ-0042,amber\n")
        XCTAssertEqual(try csv("projects as of 2026-11-19 | select id"), "id\nPRJ-0041\nPRJ-0042\n")
        XCTAssertEqual(try csv("risks | as of 2026-11-24 | select id"), "id\nRSK-0006\nRSK-0007\n")
        XCTAssertEqual(try csv("risks | as of 2026-11-25 | select id"), "id\nRSK-0006\n")
        // `today` is the date for the whole pipeline: a status decided by the status reports of the day.
        XCTAssertEqual(try csv("projects where today = 2026-09-01 as of 2026-09-01 | select id"), "id\nPRJ-0041\nPRJ-0042\n")
        // Fields as they were, and `today` is the date from the stage on.
        XCTAssertEqual(try csv(#"projects where id = "PRJ-0042" | as of 2026-09-01 | select status, bac, t = today"#),
                       "status,bac,t\nred,2000000.00,2026-09-01\n")
        // The statement after it sees today again.
        XCTAssertEqual(try csv("projects | as of 2026-09-01 | select id\ncount(projects)"), "id\nPRJ-0041\nPRJ-0042\n\n3\n")
    }

    func testWhereTheStageCannotShowThePastItSaysSo() throws {
        let cases = [
            ("count(projects | as of 2026-09-30)", "cannot show the portfolio as it stood"),
            ("let p = projects\np | as of 2026-09-30 | select id", "'p' holds rows of the portfolio as it is now"),
            ("let p = projects | as of 2026-09-30\ncount(p)", "cannot show the portfolio as it stood"),
        ]
        for (q, message) in cases {
            let r = try pmo(["-c", q, "--workspace", "ws.db", "--as-of", "2026-12-01"])
            XCTAssertEqual(r.status, 70, "\(q)\n\(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message) && r.stderr.contains("<command line>:"), "\(q)\n\(r.stderr)")
        }
        // Nothing in the journal after the date: the stage moves `today` anywhere, as before.
        XCTAssertEqual(try csv("count(projects | as of 2026-12-01)"), "3\n")
    }
}
