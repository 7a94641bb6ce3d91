// Issue 12's reproductions on the demo portfolio through the real binary: each ordinary question that
// once gave a silently wrong answer now gives the right one or a check error (exit 65) with its location.
import Foundation
import XCTest

final class AnswersYouCanTrustTests: XCTestCase {
    static let demo: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/demo").path

    func pmo(_ text: String) throws -> PMOResult {
        let r = try PMOProcess.run(["--data", Self.demo, "--format", "csv", "-c", text])
        XCTAssertTrue(r.exited, r.stderr)
        return r
    }

    /// Queries that answer: the CSV output.
    func testRightAnswers() throws {
        let cases: [(String, String)] = [
            ("count(projects.milestones)", "152"),
            ("0.1 + 0.2 = 0.3", "true"), ("0.1 * 3 = 0.3", "true"), ("1 - 0.9 = 0.1", "true"),
            ("count(milestones)", "152"),
            ("programs | aggregate n = sum(count(projects.milestones where overdue))", "n\n9"),
            ("programs where id = \"PRG-001\" | select n = count(projects.milestones), all_ms = count(all milestones)", "n,all_ms\n"),
            ("people | aggregate a = sum(count(all projects where manager = outer)), b = sum(count(managed_projects))", "a,b\n37,37"),
            ("milestones where slip > 30d | count", "count\n27"),
            ("milestones where days(slip) > 30 | count", "count\n27"),
            ("resources where capacity * rate > $0 | count", "count\n"),
        ]
        for (q, want) in cases {
            let r = try pmo(q)
            XCTAssertEqual(r.status, 0, "\(q): \(r.stderr)")
            XCTAssertTrue(r.stdout.replacingOccurrences(of: "\r\n", with: "\n").hasPrefix(want), "\(q): got \(r.stdout)")
        }
    }

    /// Queries that are refused before anything runs, with the message and the column of the error.
    func testCheckErrors() throws {
        let cases: [(String, String)] = [
            ("programs | select name, ms = count(milestones)", "1:36: error: a program has no relationship 'milestones'"),
            ("people | select name, managed = count(projects)", "1:39: error: a person has no relationship 'projects'"),
            ("projects | select n = count(resources)", "1:29: error: a project has no relationship 'resources'"),
            ("sum(projects | select bac)", "1:5: error: cannot take the sum of a table"),
            ("max(projects | select bac)", "1:5: error: cannot take the max of a table"),
            ("days(30)", "1:6: error: 'days' needs a duration"),
            ("days(\"abc\")", "1:6: error: 'days' needs a duration"),
            ("milestones where slip > 30", "1:18: error: cannot compare duration with integer"),
        ]
        for (q, want) in cases {
            let r = try pmo(q)
            XCTAssertEqual(r.status, 65, "\(q): \(r.stdout)")
            XCTAssertTrue(r.stderr.contains(want), "\(q): got \(r.stderr)")
        }
        let help = try pmo("programs | select name, ms = count(milestones)").stderr
        XCTAssertTrue(help.contains("'projects.milestones'") && help.contains("'all milestones'"), help)
    }

    /// A `let` is the pipeline it names (issue 12, item 2).
    func testLetKeepsTheEntity() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-let-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("let.pmo")
        try """
        let x = projects where bac > $1M | extend o = bac - ac
        x | where id = "PRJ-0001" | select id, program.name, actual_cost, o
        """.write(to: script, atomically: true, encoding: .utf8)
        let r = try PMOProcess.run(["--data", Self.demo, "--format", "csv", "run", script.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.replacingOccurrences(of: "\r\n", with: "\n").hasPrefix("id,name,actual_cost,o\nPRJ-0001,ERP Modernization (SAP S/4HANA),"), r.stdout)
        try """
        let y = projects | select id, bac
        y | select id, name
        """.write(to: script, atomically: true, encoding: .utf8)
        let e = try PMOProcess.run(["--data", Self.demo, "run", script.path])
        XCTAssertEqual(e.status, 65)
        XCTAssertTrue(e.stderr.contains("2:16: error: the rows here are a table with the columns id, bac; it has no column 'name'"), e.stderr)
    }

    /// A script with one syntax error and two check errors reports all three, in source order, and
    /// stages on lines of their own continue the pipeline.
    func testEveryErrorOnceInSourceOrderAndStageLines() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-errs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("e.pmo")
        try """
        programs | select n = count(milestones)
        let a = count(projects where bac > )
        a + 1
        projects where foo > 1
        """.write(to: script, atomically: true, encoding: .utf8)
        let r = try PMOProcess.run(["--data", Self.demo, "run", script.path])
        XCTAssertEqual(r.status, 65)
        let lines = r.stderr.split(separator: "\n").filter { $0.contains(": error: ") }.map { String($0.split(separator: "/").last ?? "") }
        XCTAssertEqual(lines.count, 3, r.stderr)
        XCTAssertTrue(lines[0].hasPrefix("e.pmo:1:29: error: a program has no relationship 'milestones'"), r.stderr)
        XCTAssertTrue(lines[1].hasPrefix("e.pmo:2:36: error: expected an expression after '>'"), r.stderr)
        XCTAssertTrue(lines[2].hasPrefix("e.pmo:4:16: error: unknown field 'foo' on project"), r.stderr)
        try """
        projects WHERE status = red AND bac >= 1M USD
          SORT bac DESC, id
          TAKE 3
          select id
        """.write(to: script, atomically: true, encoding: .utf8)
        let ok = try PMOProcess.run(["--data", Self.demo, "--format", "csv", "run", script.path])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(ok.stdout.replacingOccurrences(of: "\r\n", with: "\n"), "id\nPRJ-0001\nPRJ-0030\nPRJ-0017\n")
    }

    /// `pmo fmt --check` lists a file that is not formatted (exit 1); `pmo fmt` rewrites it, keeping its comments.
    func testFmt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-fmt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("f.pmo")
        try "# top\nPROJECTS ORDER BY bac LIMIT 3   # three\n".write(to: script, atomically: true, encoding: .utf8)
        let check = try PMOProcess.run(["fmt", "--check", script.path])
        XCTAssertEqual(check.status, 1, check.stderr)
        XCTAssertTrue(check.stdout.contains("f.pmo: not formatted"), check.stdout)
        let fmt = try PMOProcess.run(["fmt", script.path])
        XCTAssertEqual(fmt.status, 0, fmt.stderr)
        XCTAssertEqual(try String(contentsOf: script, encoding: .utf8), "# top\nPROJECTS | sort bac | take 3  # three\n")
        XCTAssertEqual(try PMOProcess.run(["fmt", "--check", script.path]).status, 0)
        // Stages on lines of their own stay there; money keeps its short form; formatting again changes nothing.
        try "let big = projects where bac > $1M\n  | extend h = bac - ac\n  SORT h DESC\n  take 3   # top\nbig | select id, h\n"
            .write(to: script, atomically: true, encoding: .utf8)
        XCTAssertEqual(try PMOProcess.run(["fmt", script.path]).status, 0)
        let want = "let big = projects where bac > $1M\n  extend h = bac - ac\n  sort h desc\n  take 3  # top\nbig | select id, h\n"
        XCTAssertEqual(try String(contentsOf: script, encoding: .utf8), want)
        XCTAssertEqual(try PMOProcess.run(["fmt", "--check", script.path]).status, 0)
        let run = try PMOProcess.run(["--data", Self.demo, "--format", "csv", "run", script.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.hasPrefix("id,h\n") || run.stdout.hasPrefix("id,h\r\n"), run.stdout)
    }

    /// After `group by` a value that is neither a key nor an aggregate is refused (it would be one
    /// arbitrary row of the group); the same stages through a `let` and in one pipeline agree.
    func testGroupByAndLetOverSelect() throws {
        let g = try pmo("projects | group by program | select program, n = count(), name")
        XCTAssertEqual(g.status, 65)
        XCTAssertTrue(g.stderr.contains("1:60: error: 'name' is not a group key and is not inside an aggregate"), g.stderr)
        XCTAssertTrue(g.stderr.contains("help: add it to the keys"), g.stderr)
        let inline = try pmo("projects | select id, bac | where ac > $1M")
        XCTAssertEqual(inline.status, 65)
        XCTAssertTrue(inline.stderr.contains("the rows here are a table with the columns id, bac; it has no column 'ac'"), inline.stderr)
        let ok = try pmo("programs where id = \"PRG-01\" | select n = count(projects.manager), m = list(projects.manager.name)")
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.hasPrefix("n,m"), ok.stdout)
    }
}
