// Issue 14, end to end with the binary: a Jira CSV export with the shipped map and a European Excel
// file each import in one run; a file with many mistakes reports them all at once with file:line:col
// and leaves the workspace unchanged; --dry-run says what would change and writes nothing.
import Foundation
import XCTest

final class ImportDialectTests: XCTestCase {
    var dir: URL!
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let jira = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/jira-issues.csv").path
    static func example(_ p: String) -> String { root.appendingPathComponent("examples/" + p).path }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-dialect-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        XCTAssertEqual(try pmo(["init", "--demo", "--quiet"]).status, 0)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func pmo(_ args: [String]) throws -> PMOResult { try PMOProcess.run(args, env: ["PMO_WORKSPACE": ""], cwd: dir) }

    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func workspaceBytes() throws -> Data { try Data(contentsOf: dir.appendingPathComponent("portfolio.db")) }

    func query(_ q: String) throws -> String {
        let r = try pmo(["-c", q, "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout.replacingOccurrences(of: "\r\n", with: "\n")
    }

    func testAJiraExportImportsInOneRunWithTheShippedMap() throws {
        let map = Self.example("maps/jira-issues.map")
        let dry = try pmo(["import", Self.jira, "--as", "issues", "--map", map, "--dry-run"])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertEqual(dry.stdout, "dry run, nothing written to 'portfolio.db': the import would give issues: 4 new\n")
        XCTAssertEqual(try query("count(issues where id = \"FIN-101\")"), "0\n")
        let r = try pmo(["import", Self.jira, "--as", "issues", "--map", map])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("issues: 4 new"), r.stderr)
        XCTAssertEqual(try query("issues where id in [\"FIN-101\", \"FIN-102\", \"SCM-55\", \"SCM-56\"] | sort id | select id, project, severity, state, owner, opened, due, resolved"), """
            id,project,severity,state,owner,opened,due,resolved
            FIN-101,PRJ-0001,critical,in_progress,P-001,2026-11-14,2026-12-04,
            FIN-102,PRJ-0001,high,open,P-003,2026-11-16,,
            SCM-55,PRJ-0002,medium,closed,P-002,2026-10-02,2026-10-30,2026-10-28
            SCM-56,PRJ-0002,low,in_progress,,2026-11-05,2026-12-15,

            """)
        let again = try pmo(["import", Self.jira, "--as", "issues", "--map", map])
        XCTAssertTrue(again.stderr.contains("issues: 4 unchanged"), again.stderr)
    }

    /// Without a map every unknown column is reported in one run, naming the file given (not issues.csv).
    func testAJiraExportWithoutAMapReportsEveryColumnAtOnce() throws {
        let before = try workspaceBytes()
        let r = try pmo(["import", Self.jira, "--as", "issues"])
        XCTAssertEqual(r.status, 65)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.last, "pmo: 30 problems", r.stderr)
        XCTAssertTrue(lines.first?.hasPrefix(Self.jira + ":1:1: error: unknown column 'Summary' in jira-issues.csv") == true, r.stderr)
        XCTAssertTrue(r.stderr.contains(":1:39: error: unknown column 'Status' in jira-issues.csv; did you mean 'state'?"), r.stderr)
        XCTAssertFalse(r.stderr.contains(" in issues.csv"), r.stderr)
        XCTAssertEqual(try workspaceBytes(), before)
    }

    func testEveryMistakeOfAFileSetIsReportedInOneRun() throws {
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("in"), withIntermediateDirectories: true)
        _ = try write("in/issues.csv", """
            Summary,Issue key,Status,Priority,Assignee,Created,Due date,Custom field (PMO Project)
            A,BAD-1,In Progress,Highest,Nobody Known,14/Nov/26 9:02 AM,31/Nov/26 12:00 AM,PRJ-0001
            B,BAD-2,Doing,Hihg,Margaret Chen,14/Nov/26 9:02 AM,,PRJ-9999
            C,BAD-3,Done,Low,,2026-11-14,
            D,BAD-4,Done,Low,margaret.chen@meridianhealth.example,2026-11-14,,PRJ-0001

            """)
        _ = try write("in/projects.csv", "id,bac\nPRJ-0001,12x\n")
        let before = try workspaceBytes()
        let r = try pmo(["import", "in", "--map", Self.example("maps/jira-issues.map"), "--dry-run"])
        XCTAssertEqual(r.status, 65)
        XCTAssertEqual(r.stderr, """
            jira-bad.csv:2:29: error: unknown person 'Nobody Known': not the id, e-mail or name of a person in column owner
            jira-bad.csv:2:60: error: invalid date '31/Nov/26 12:00 AM' in column due (expected DD/MMM/YY h:mm a, as in 22/Nov/26 10:15 AM)
            jira-bad.csv:3:9: error: unknown value 'Doing' in column state (expected one of: open, in_progress, resolved, closed)
            jira-bad.csv:3:15: error: unknown value 'Hihg' in column severity; did you mean 'high'?
            jira-bad.csv:3:53: error: unknown project 'PRJ-9999' in column project
            jira-bad.csv:4:30: error: missing cells: the header has 8 columns, this row has 7
            in/projects.csv:2:10: error: invalid amount '12x' in column bac
            pmo: 7 problems in 2 files

            """.replacingOccurrences(of: "jira-bad.csv", with: "in/issues.csv"))
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(try workspaceBytes(), before)
    }

    func testAEuropeanExcelFileImportsInOneRun() throws {
        let files = [Self.example("excel/issues.csv"), Self.example("excel/projects.csv")]
        // The separator is detected; the dates and numbers need the dialect, and say so.
        let plain = try pmo(["import"] + files)
        XCTAssertEqual(plain.status, 65)
        XCTAssertTrue(plain.stderr.contains("issues.csv:2:68: error: invalid date '22/11/2026' in column opened (expected YYYY-MM-DD; pmo import reads other formats with --date-format, as in DD/MM/YYYY)"), plain.stderr)
        XCTAssertTrue(plain.stderr.contains("projects.csv:2:10: error: invalid amount '12.500.000,00' in column bac (a decimal comma? pmo import reads 1.234,56 with --decimal-comma)"), plain.stderr)
        XCTAssertTrue(plain.stderr.hasSuffix("pmo: 11 problems in 2 files\n"), plain.stderr)
        let withMap = try pmo(["import"] + files + ["--map", Self.example("maps/excel-eu.map")])
        XCTAssertEqual(withMap.status, 0, withMap.stderr)
        XCTAssertTrue(withMap.stderr.contains("projects: 2 changed; issues: 3 new"), withMap.stderr)
        XCTAssertEqual(try query("issues where id = \"ISS-0902\" | select title, opened, due"), "title,opened,due\nStock; valuation differs,2026-11-03,2026-12-15\n")
        XCTAssertEqual(try query("projects where id = \"PRJ-0001\" | select bac, contingency, name"),
                       "bac,contingency,name\n12500000.00,625000.50,SAP S/4HANA Finance Rollout\n")
        // The command line's options say the same as the map.
        let flags = try pmo(["import"] + files + ["--delimiter", ";", "--date-format", "DD/MM/YYYY", "--decimal-comma"])
        XCTAssertEqual(flags.status, 0, flags.stderr)
        XCTAssertTrue(flags.stderr.contains("projects: 2 unchanged; issues: 3 unchanged"), flags.stderr)
    }

    func testAHeaderThatLooksLikeOneColumnGetsAHint() throws {
        _ = try write("people.csv", "id|name|email\nP-900|Ann|ann@example.com\n")
        let r = try pmo(["import", "people.csv"])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("people.csv:1:1: error: unknown column 'id|name|email' in people.csv (the header is one column: are the cells separated by '|'? pmo import takes --delimiter '|')"), r.stderr)
        let ok = try pmo(["import", "people.csv", "--delimiter", "|"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let badOption = try pmo(["import", "people.csv", "--date-format", "QQ"])
        XCTAssertEqual(badOption.status, 64)
        XCTAssertTrue(badOption.stderr.contains("needs a year"), badOption.stderr)
    }
}
