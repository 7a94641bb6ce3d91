// The column cache beside a workspace, end to end: written and then used by queries, rebuilt after an
// import, never written with PMO_COLUMN_CACHE=never, and a damaged one reported (exit 70) without a
// crash or a wrong answer.
import Foundation
import XCTest

final class ColumnCacheCommandTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    var cache: String { path("portfolio.db-columns") }

    func pmo(_ args: [String], cache policy: String = "always") throws -> PMOResult {
        let r = try PMOProcess.run(args, env: ["PMO_WORKSPACE": "", "PMO_COLUMN_CACHE": policy], cwd: dir)
        XCTAssertTrue(r.exited, "pmo crashed: \(r.stderr)")
        XCTAssertFalse(r.stderr.contains("Fatal error"), r.stderr)
        return r
    }

    func answer(_ query: String, cache policy: String = "always") throws -> String {
        let r = try pmo(["-c", query, "--format", "csv"], cache: policy)
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout
    }

    func testQueriesWriteThenUseTheCache() throws {
        XCTAssertEqual(try pmo(["init", "--demo", "--quiet"]).status, 0)
        let query = "projects where status = red | sort id | select id, name, spi, open_issues"
        let direct = try answer(query, cache: "never")
        XCTAssertFalse(FileManager.default.fileExists(atPath: cache), "never writes nothing")
        XCTAssertEqual(try answer(query), direct)
        XCTAssertTrue(FileManager.default.fileExists(atPath: cache))
        let stamp = try FileManager.default.attributesOfItem(atPath: cache)[.modificationDate] as? Date
        XCTAssertEqual(try answer(query), direct, "answered from the cache")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: cache)[.modificationDate] as? Date, stamp,
                       "a current cache is not rewritten")
        // An import changes the data: the next query sees it.
        let csv = dir.appendingPathComponent("rename.csv")
        try Data("id,name\nPRJ-0001,Renamed rollout\n".utf8).write(to: csv)
        XCTAssertEqual(try pmo(["import", csv.path, "--as", "projects", "--quiet"]).status, 0)
        XCTAssertEqual(try answer("(project \"PRJ-0001\").name").trimmingCharacters(in: .whitespacesAndNewlines), "Renamed rollout")
    }

    func testADamagedCacheIsReportedNotTrusted() throws {
        XCTAssertEqual(try pmo(["init", "--demo", "--quiet"]).status, 0)
        let query = "milestones | sort id | take 3 | select id"
        let before = try answer(query)
        // Point the first milestone's id code far outside its pool (the set's first array, after its count).
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: cache)))
        let entry = 40 + 4 * 32 + 16  // header, then the directory entry of the fifth set (milestones): its offset
        let offset = bytes[entry..<(entry + 8)].reversed().reduce(0) { $0 << 8 | Int($1) }
        bytes.replaceSubrange((offset + 8)..<(offset + 12), with: [0xff, 0xff, 0xff, 0x7f])
        try Data(bytes).write(to: URL(fileURLWithPath: cache))
        // Counting needs no column of the set; listing ids reads the damaged one.
        XCTAssertEqual(try pmo(["-c", "count(milestones)"]).status, 0)
        let r = try pmo(["-c", query])
        XCTAssertEqual(r.status, 70, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("column cache"), r.stderr)
        XCTAssertTrue(r.stderr.contains("is damaged (milestones.id"), r.stderr)
        // Sets that do not need the damaged one still answer; deleting the cache mends everything.
        XCTAssertEqual(try answer("count(projects)").trimmingCharacters(in: .whitespacesAndNewlines), "37")
        try FileManager.default.removeItem(atPath: cache)
        XCTAssertEqual(try answer(query), before)
    }

    func testABadPolicyIsAUsageError() throws {
        XCTAssertEqual(try pmo(["init", "--demo", "--quiet"]).status, 0)
        let r = try pmo(["-c", "count(projects)"], cache: "sometimes")
        XCTAssertEqual(r.status, 64, r.stderr)
        XCTAssertTrue(r.stderr.contains("PMO_COLUMN_CACHE"), r.stderr)
    }
}
