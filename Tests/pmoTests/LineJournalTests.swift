// Journalling imports of sets whose lines repeat a key (timesheets: a line per task; model.md): the
// journal records the writer's own row-by-row diff, a key at a time (one row entry with the key's
// lines before and after), so re-importing a file with repeated keys records nothing, a changed line
// records exactly that key, `as of` brings the key's lines back as they were, and a change in the
// language cannot pick one line of several by its key.
import Foundation
import XCTest

final class LineJournalTests: XCTestCase {
    var dir: URL!

    static let lines = """
    resource,project,week,task,hours,cost
    RES-1,PRJ-1,2026-11-02,design,8,800
    RES-1,PRJ-1,2026-11-02,build,8,800
    RES-1,PRJ-1,2026-11-02,build,4,400
    RES-2,PRJ-1,2026-11-02,,10,1000

    """

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-lines-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try write("in/people.csv", "id,name\nP-1,Dana\n")
        try write("in/projects.csv", "id,name,manager\nPRJ-1,CRM,P-1\n")
        try write("in/resources.csv", "id,name\nRES-1,Ann\nRES-2,Bo\n")
        try write("in/timesheets.csv", Self.lines)
        XCTAssertEqual(try pmo(["init", "ws.db", "--quiet"]).status, 0)
        let r = try pmo(["import", "in", "--workspace", "ws.db", "--effective", "2026-11-06", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
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

    /// The journal's records without the recorded timestamp.
    func journal() throws -> [[String]] {
        let r = try pmo(["journal", "--workspace", "ws.db", "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return ChangeCommandTests.csvRecords(r.stdout).dropFirst().map { var c = $0; if c.count > 7 { c.remove(at: 7) }; return c }
    }

    func csv(_ q: String, asOf: String) throws -> String {
        let r = try pmo(["-c", q, "--workspace", "ws.db", "--as-of", asOf, "--format", "csv"])
        XCTAssertEqual(r.status, 0, "\(q)\n\(r.stderr)")
        return r.stdout.replacingOccurrences(of: "\r\n", with: "\n")
    }

    func testReimportingRepeatedKeysRecordsNothing() throws {
        for week in ["2026-11-13", "2026-11-20"] {
            let r = try pmo(["import", "in/timesheets.csv", "--workspace", "ws.db", "--effective", week])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stderr.contains("timesheets: 4 unchanged"), r.stderr)
        }
        XCTAssertEqual(try journal(), [])
        // The same lines in another order are the same lines.
        let shuffled = Self.lines.split(separator: "\n").map(String.init)
        try write("w/timesheets.csv", ([shuffled[0]] + shuffled.dropFirst().reversed()).joined(separator: "\n") + "\n")
        XCTAssertEqual(try pmo(["import", "w/timesheets.csv", "--workspace", "ws.db", "--effective", "2026-11-27", "--quiet"]).status, 0)
        XCTAssertEqual(try journal(), [])
    }

    func testAChangedLineRecordsExactlyItsKeyAndAsOfBringsItBack() throws {
        // One of the two `build` lines of RES-1 goes from 4h to 6h; RES-2's line is untouched.
        try write("w/timesheets.csv", Self.lines.replacingOccurrences(of: "build,4,400", with: "build,6,600"))
        let r = try pmo(["import", "w/timesheets.csv", "--workspace", "ws.db", "--effective", "2026-11-20", "--user", "loader"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("timesheets: 1 changed, 3 unchanged"), r.stderr)
        let j = try journal()
        XCTAssertEqual(j.count, 1, "\(j)")
        XCTAssertEqual(Array(j[0].prefix(4)), ["2", "timesheets", "RES-1,PRJ-1,2026-11-02", "*"])
        XCTAssertEqual(j[0][4], "RES-1,PRJ-1,2026-11-02,4,400,build\nRES-1,PRJ-1,2026-11-02,8,800,build\nRES-1,PRJ-1,2026-11-02,8,800,design")
        XCTAssertEqual(j[0][5], "RES-1,PRJ-1,2026-11-02,6,600,build\nRES-1,PRJ-1,2026-11-02,8,800,build\nRES-1,PRJ-1,2026-11-02,8,800,design")
        XCTAssertEqual(Array(j[0].suffix(4)), ["2026-11-20", "loader", "import w/timesheets.csv", "import"])
        let q = "timesheets | sort resource.id, task, hours | select resource.id, task, hours"
        XCTAssertEqual(try csv(q, asOf: "2026-11-19"), "id,task,hours\nRES-1,build,4\nRES-1,build,8\nRES-1,design,8\nRES-2,,10\n")
        XCTAssertEqual(try csv(q, asOf: "2026-11-20"), "id,task,hours\nRES-1,build,6\nRES-1,build,8\nRES-1,design,8\nRES-2,,10\n")
        // The file's lines of a key replace the workspace's: a line dropped is recorded with its key.
        try write("w3/timesheets.csv", "resource,project,week,task,hours,cost\nRES-1,PRJ-1,2026-11-02,design,8,800\n")
        XCTAssertEqual(try pmo(["import", "w3/timesheets.csv", "--workspace", "ws.db", "--effective", "2026-11-27", "--quiet"]).status, 0)
        let j3 = try journal()
        XCTAssertEqual(j3.count, 2, "\(j3)")
        XCTAssertEqual(j3[1][5], "RES-1,PRJ-1,2026-11-02,8,800,design")
        XCTAssertEqual(try csv(q, asOf: "2026-11-30"), "id,task,hours\nRES-1,design,8\nRES-2,,10\n")
        XCTAssertEqual(try csv(q, asOf: "2026-11-25"), "id,task,hours\nRES-1,build,6\nRES-1,build,8\nRES-1,design,8\nRES-2,,10\n")
        XCTAssertEqual(try csv(q, asOf: "2026-11-10"), "id,task,hours\nRES-1,build,4\nRES-1,build,8\nRES-1,design,8\nRES-2,,10\n")
        // A key of one line again: a change in the language works on it, and `as of` works back through both.
        let c = try pmo(["-c", #"update timesheets where task = "design" set hours = 9h because "corrected""#, "--workspace", "ws.db", "--as-of", "2026-12-01"])
        XCTAssertEqual(c.status, 0, c.stderr)
        XCTAssertEqual(try csv(q, asOf: "2026-12-01"), "id,task,hours\nRES-1,design,9\nRES-2,,10\n")
        XCTAssertEqual(try csv(q, asOf: "2026-11-30"), "id,task,hours\nRES-1,design,8\nRES-2,,10\n")
        XCTAssertEqual(try csv(q, asOf: "2026-11-25"), "id,task,hours\nRES-1,build,6\nRES-1,build,8\nRES-1,design,8\nRES-2,,10\n")
    }

    func testAChangeCannotPickOneOfSeveralLinesByItsKey() throws {
        let before = try journal()
        let r = try pmo(["-c", #"update timesheets where task = "design" set hours = 9h because "x""#, "--workspace", "ws.db", "--as-of", "2026-12-01"])
        XCTAssertEqual(r.status, 70, r.stderr)
        XCTAssertTrue(r.stderr.contains("several timesheets lines have the key 'RES-1,PRJ-1,2026-11-02'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("<command line>:1:"), r.stderr)
        XCTAssertEqual(try journal(), before)
        XCTAssertEqual(try csv(#"timesheets where task = "design" | select hours"#, asOf: "2026-12-01"), "hours\n8\n")
    }
}
