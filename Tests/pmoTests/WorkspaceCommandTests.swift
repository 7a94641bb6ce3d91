// `pmo init`, `import`, `export` and `generate` end to end: exit statuses, messages, and a
// workspace left unchanged by a failed import.
import Foundation
import XCTest

final class WorkspaceCommandTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-wscmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Runs pmo in the test's folder with no workspace or data in the environment.
    func pmo(_ args: [String], env: [String: String] = [:]) throws -> PMOResult {
        var e = env
        if e["PMO_WORKSPACE"] == nil { e["PMO_WORKSPACE"] = "" }
        return try PMOProcess.run(args, env: e, cwd: dir)
    }

    func testInitCreatesAndNeverOverwrites() throws {
        let r = try pmo(["init", "--demo"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("created workspace 'portfolio.db'"), r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("portfolio.db")))
        // ./portfolio.db is now the portfolio queries use.
        let q = try pmo(["-c", "count(projects where status = red)"])
        XCTAssertEqual(q.status, 0, q.stderr)
        XCTAssertEqual(q.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "6")
        let again = try pmo(["init"])
        XCTAssertEqual(again.status, 74)
        XCTAssertTrue(again.stderr.contains("already exists"), again.stderr)
        let empty = try pmo(["init", "empty.db", "--quiet"])
        XCTAssertEqual(empty.status, 0, empty.stderr)
        XCTAssertEqual(empty.stderr, "")
        let none = try pmo(["-c", "count(projects)", "--workspace", "empty.db"])
        XCTAssertEqual(none.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "0")
        let viaEnv = try pmo(["-c", "count(projects)"], env: ["PMO_WORKSPACE": path("empty.db")])
        XCTAssertEqual(viaEnv.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "0")
    }

    func testImportIsAllOrNothing() throws {
        XCTAssertEqual(try pmo(["init", "--demo", "--quiet"]).status, 0)
        _ = try write("in/projects.csv", "id,name,bac\nPRJ-0100,New platform,250000\n")
        _ = try write("in/milestones.csv", "id,project,name,due\nMS-9001,PRJ-0100,Kick-off,2026-13-01\n")
        let r = try pmo(["import", "in"])
        XCTAssertEqual(r.status, 65)
        XCTAssertEqual(r.stderr, "in/milestones.csv:2:27: error: invalid date '2026-13-01' in column due (expected YYYY-MM-DD)\n")
        XCTAssertEqual(try pmo(["-c", "count(projects)"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines), "37")
        _ = try write("in/milestones.csv", "id,project,name,due\nMS-9001,PRJ-0100,Kick-off,2026-12-01\n")
        let ok = try pmo(["import", "in"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stderr.contains("projects: 1 new; milestones: 1 new"), ok.stderr)
        XCTAssertEqual(try pmo(["-c", "count(projects)"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines), "38")
    }

    func testImportCommandLineErrors() throws {
        XCTAssertEqual(try pmo(["init", "--quiet"]).status, 0)
        XCTAssertEqual(try pmo(["import", "nothing.csv"]).status, 66)
        let unknownSet = try pmo(["import", "x.csv", "--as", "projcts"])
        XCTAssertEqual(unknownSet.status, 64)
        XCTAssertTrue(unknownSet.stderr.contains("did you mean 'projects'"), unknownSet.stderr)
        _ = try write("plan.xml", "<Project/>")
        let noProject = try pmo(["import", "plan.xml"])
        XCTAssertEqual(noProject.status, 64)
        XCTAssertTrue(noProject.stderr.contains("--project"), noProject.stderr)
        let noWorkspace = try pmo(["import", "plan.xml", "--workspace", "missing.db", "--project", "P"])
        XCTAssertEqual(noWorkspace.status, 66)
        _ = try write("junk.db", "hello")
        let notWorkspace = try pmo(["-c", "count(projects)", "--workspace", "junk.db"])
        XCTAssertEqual(notWorkspace.status, 66)
        XCTAssertTrue(notWorkspace.stderr.contains("not a pmo workspace"), notWorkspace.stderr)
        let both = try pmo(["-c", "1", "--workspace", "a.db", "--data", "d"])
        XCTAssertEqual(both.status, 64)
    }

    func testExportWritesCsvAndJson() throws {
        XCTAssertEqual(try pmo(["init", "--demo", "--quiet"]).status, 0)
        let csv = try pmo(["export", "projects", "--to", "p.csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let text = try String(contentsOfFile: path("p.csv"), encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("id,name,code,program,portfolio,manager,sponsor,state,phase,status"), text)
        XCTAssertEqual(text.split(separator: "\n").count, 38)
        let json = try pmo(["export", "risks", "--to", "r.json", "--quiet"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let parsed = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("r.json"))))
        XCTAssertEqual((parsed as? [Any])?.count, 70)
        XCTAssertEqual(try pmo(["export", "projects", "--to", "p.txt"]).status, 64)
        XCTAssertEqual(try pmo(["export", "projets", "--to", "p.csv"]).status, 64)
        XCTAssertEqual(try pmo(["export", "projects", "--to", "no/such/dir/p.csv"]).status, 74)
        // Without a workspace, export reads the folder given by --data.
        let fromData = try pmo(["export", "gates", "--to", "g.csv", "--data", PMOProcess.demoDirectory, "--workspace", ""])
        XCTAssertNotEqual(fromData.status, 0) // --workspace and --data together
        let d = try pmo(["export", "gates", "--to", "g.csv", "--data", PMOProcess.demoDirectory])
        XCTAssertEqual(d.status, 0, d.stderr)
    }

    func testGenerateThenImport() throws {
        let g = try pmo(["generate", "--size", "tiny", "--seed", "3", "--out", "gen"])
        XCTAssertEqual(g.status, 0, g.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("gen/timesheets.csv")))
        let again = try pmo(["generate", "--size", "tiny", "--seed", "3", "--out", "gen2", "--quiet"])
        XCTAssertEqual(again.status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("gen/timesheets.csv"))),
                       try Data(contentsOf: URL(fileURLWithPath: path("gen2/timesheets.csv"))))
        XCTAssertEqual(try pmo(["init", "g.db", "--quiet"]).status, 0)
        let imp = try pmo(["import", "gen", "--workspace", "g.db"])
        XCTAssertEqual(imp.status, 0, imp.stderr)
        let q = try pmo(["-c", "count(projects)", "--workspace", "g.db"])
        XCTAssertEqual(q.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "8")
        XCTAssertEqual(try pmo(["generate", "--size", "huge", "--out", "x"]).status, 64)
    }
}

extension PMOProcess {
    /// The bundled demo portfolio's folder.
    static let demoDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/demo").path
}
