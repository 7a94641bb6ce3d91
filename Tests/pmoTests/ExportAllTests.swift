// Issue 14, whole-workspace export: `pmo export --all --to DIR`, then `pmo init` + `pmo import DIR`,
// gives a workspace that answers the same (every set, computed fields at the status date, rule
// checks with the stored waivers), compared end to end with the binary.
import Foundation
import XCTest

final class ExportAllTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-exportall-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func pmo(_ args: [String]) throws -> PMOResult { try PMOProcess.run(args, env: ["PMO_WORKSPACE": ""], cwd: dir) }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every answer compared: each set as CSV, computed fields, and pmo check over the shipped rules.
    func answers(_ ws: String) throws -> [String] {
        var out: [String] = []
        let sets = ["people", "portfolios", "programs", "projects", "milestones", "tasks", "dependencies", "resources",
                    "allocations", "timesheets", "risks", "issues", "status_reports", "gates", "changes", "holidays"]
        for s in sets {
            let r = try pmo(["-c", s, "--format", "csv", "--workspace", ws])
            XCTAssertEqual(r.status, 0, r.stderr)
            out.append(r.stdout)
        }
        for q in ["projects | select id, status, cpi, spi, eac, health, total_float",
                  "resources | select id, capacity, utilization",
                  "today", "count(projects where status = red)"] {
            let r = try pmo(["-c", q, "--format", "csv", "--workspace", ws])
            out.append(q + "\n" + r.stdout + r.stderr)
        }
        let rules = Self.root.appendingPathComponent("examples/rules").path
        let check = try pmo(["check", rules, "--format", "json", "--workspace", ws])
        out.append("check \(check.status)\n" + check.stdout)
        return out
    }

    func testAnExportOfEverythingImportsBackToTheSameAnswers() throws {
        XCTAssertEqual(try pmo(["init", "--demo", "a.db", "--quiet"]).status, 0)
        // Settings that are not the defaults, a stored waiver and a change made after the import.
        let settings = try pmo(["import", try write("s/settings.csv", "key,value\nstatus_date,2026-10-30\ncritical_float,2\namber_threshold,0.85\n"),
                                "--workspace", "a.db", "--quiet"])
        XCTAssertEqual(settings.status, 0, settings.stderr)
        let rules = Self.root.appendingPathComponent("examples/rules").path
        let waive = try pmo(["waive", "budget_overrun", "project", "PRJ-0001", "--until", "2027-03-31", "--by", "CFO",
                             "--because", "re-baseline approved", "--rules", rules, "--workspace", "a.db"])
        XCTAssertEqual(waive.status, 0, waive.stderr)
        let change = try pmo(["-c", "update project \"PRJ-0002\" set bac = $8600000 because \"steering committee\"", "--workspace", "a.db"])
        XCTAssertEqual(change.status, 0, change.stderr)

        let export = try pmo(["export", "--all", "--to", "backup", "--workspace", "a.db"])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertTrue(export.stderr.contains("1 waiver"), export.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("backup").path).sorted()
        XCTAssertEqual(files.count, 18, "\(files)")
        XCTAssertTrue(files.contains("settings.csv") && files.contains("waivers.csv"))

        XCTAssertEqual(try pmo(["init", "b.db", "--quiet"]).status, 0)
        let imp = try pmo(["import", "backup", "--workspace", "b.db"])
        XCTAssertEqual(imp.status, 0, imp.stderr)
        XCTAssertTrue(imp.stderr.contains("waivers: 1"), imp.stderr)
        let a = try answers("a.db"), b = try answers("b.db")
        XCTAssertEqual(a.count, b.count)
        for (x, y) in zip(a, b) { XCTAssertEqual(x, y) }
        XCTAssertTrue(a.contains { $0.hasPrefix("today\n") && $0.contains("2026-10-30") }, "today is the exported status date")
        // Importing the export again changes nothing.
        let again = try pmo(["import", "backup", "--workspace", "b.db"])
        XCTAssertFalse(again.stderr.contains(" new") || again.stderr.contains(" changed"), again.stderr)
    }

    func testExportAllRefusesASetAndAFileThatIsNotADirectory() throws {
        XCTAssertEqual(try pmo(["init", "--demo", "a.db", "--quiet"]).status, 0)
        let both = try pmo(["export", "projects", "--all", "--to", "x", "--workspace", "a.db"])
        XCTAssertEqual(both.status, 64)
        _ = try write("file.txt", "x")
        let notDir = try pmo(["export", "--all", "--to", "file.txt", "--workspace", "a.db"])
        XCTAssertEqual(notDir.status, 64, notDir.stderr)
        XCTAssertTrue(notDir.stderr.contains("is not a directory"), notDir.stderr)
        let json = try pmo(["export", "--all", "--to", "x", "--format", "json", "--workspace", "a.db"])
        XCTAssertEqual(json.status, 64)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}
