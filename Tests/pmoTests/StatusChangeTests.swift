// `update project ... set status = ...` where the project has status reports: a project's status is
// its latest report's overall (model.md), so setting the stored field would change nothing anyone
// sees. Such an update is refused (exit 70, nothing written) with the statement that records the new
// status; a project without a report (or whose report already says so) is updated as asked.
import Foundation
import XCTest

final class StatusChangeTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-status-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try write("in/people.csv", "id,name\nP-0001,Dana Kim\n")
        try write("in/projects.csv", "id,name,manager,status,bac\nPRJ-0041,CRM,P-0001,green,500000\nPRJ-0042,ERP,P-0001,green,2000000\n")
        try write("in/status_reports.csv", "project,as_of,overall\nPRJ-0042,2026-11-13,amber\n")
        try write("in/settings.csv", "key,value\nstatus_date,2026-12-01\n")
        XCTAssertEqual(try pmo(["init", "ws.db", "--quiet"]).status, 0)
        let i = try pmo(["import", "in", "--workspace", "ws.db", "--quiet"])
        XCTAssertEqual(i.status, 0, i.stderr)
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

    func run(_ text: String) throws -> PMOResult {
        try pmo(["-c", text, "--workspace", "ws.db", "--as-of", "2026-12-01", "--format", "csv"])
    }

    func status() throws -> String {
        let r = try run("projects | select id, status")
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout.replacingOccurrences(of: "\r\n", with: "\n")
    }

    func testAStatusAStatusReportDecidesIsRefusedWithTheStatementThatRecordsIt() throws {
        let before = try pmo(["journal", "--workspace", "ws.db", "--format", "csv"]).stdout
        let r = try run(#"update project "PRJ-0042" set status = red because "steering committee""#)
        XCTAssertEqual(r.status, 70, r.stderr)
        XCTAssertTrue(r.stderr.contains(#"<command line>:1:"#), r.stderr)
        XCTAssertTrue(r.stderr.contains(#"the status of project "PRJ-0042" is the overall of its status report of 2026-11-13 (amber)"#), r.stderr)
        XCTAssertTrue(r.stderr.contains("nothing was changed"), r.stderr)
        let hint = #"insert status_reports {project: "PRJ-0042", as_of: 2026-12-01, overall: red} because "steering committee""#
        XCTAssertTrue(r.stderr.contains(hint), r.stderr)
        XCTAssertEqual(try pmo(["journal", "--workspace", "ws.db", "--format", "csv"]).stdout, before)
        XCTAssertEqual(try status(), "id,status\nPRJ-0041,green\nPRJ-0042,amber\n")
        // The statement the hint gives does what the user meant.
        let fixed = try run(hint)
        XCTAssertEqual(fixed.status, 0, fixed.stderr)
        XCTAssertEqual(try status(), "id,status\nPRJ-0041,green\nPRJ-0042,red\n")
        // On the report's own date the hint updates that report.
        let same = try run(#"update project "PRJ-0042" set status = green because "recovered""#)
        XCTAssertEqual(same.status, 70, same.stderr)
        let update = #"update status_reports where project.id = "PRJ-0042" and as_of = 2026-12-01 set overall = green because "recovered""#
        XCTAssertTrue(same.stderr.contains(update), same.stderr)
        XCTAssertEqual(try run(update).status, 0)
        XCTAssertEqual(try status(), "id,status\nPRJ-0041,green\nPRJ-0042,green\n")
    }

    func testAProjectWithoutAReportOrWhoseReportAgreesIsUpdated() throws {
        let r = try run(#"update projects where id in ["PRJ-0041", "PRJ-0042"] set status = amber because "review""#)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try status(), "id,status\nPRJ-0041,amber\nPRJ-0042,amber\n")
        let changed = try run(#"projects where status changed to amber by "tester" | select id"#)
        XCTAssertEqual(changed.stdout.replacingOccurrences(of: "\r\n", with: "\n"), "id\nPRJ-0041\nPRJ-0042\n")
    }
}

extension StatusChangeTests {
    /// The issue's "tried as a new user would", through `pmo repl`: change a project's status with a
    /// reason, undo it, change it again, then ask which projects changed status this week and who did it.
    func testANewUserAtThePrompt() throws {
        let input = """
            update project "PRJ-0041" set status = red because "steering committee"
            undo
            update project "PRJ-0041" set status = amber because "steering, second look"
            projects where status changed after today - 7d | select id, status
            journal where field = "status" and effective > today - 7d | select entity, old, new, by, reason

            """
        let r = try PMOProcess.run(["repl", "--workspace", "ws.db", "--as-of", "2026-12-01", "--format", "csv"], stdin: input,
                                   env: ["PMO_WORKSPACE": "", "PMO_USER": "dana.kim"], cwd: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let out = r.stdout.replacingOccurrences(of: "\r\n", with: "\n")
        XCTAssertTrue(out.contains(#"updated 1 project "PRJ-0041" (change 2, effective 2026-12-01): steering committee"#), out)
        XCTAssertTrue(out.contains("undid change 2 (1 row of projects): steering committee"), out)
        XCTAssertTrue(out.contains("id,status\nPRJ-0041,amber\n"), out)
        XCTAssertTrue(out.contains("""
            entity,old,new,by,reason
            PRJ-0041,green,red,dana.kim,steering committee
            PRJ-0041,red,green,dana.kim,undo of change 2: steering committee
            PRJ-0041,green,amber,dana.kim,"steering, second look"
            """), out)
    }
}
