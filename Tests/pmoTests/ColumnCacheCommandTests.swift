// The column cache beside a workspace, end to end: written and then used by queries, rebuilt after an
// import, never written with PMO_COLUMN_CACHE=never, and a damaged one never trusted (the answer comes
// from SQLite).
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

    /// Damage inside a column (the checksum sees it): the answer comes from SQLite, exit 0, and the
    /// damaged cache is replaced by the next run.
    func testADamagedCacheIsNeverTrusted() throws {
        XCTAssertEqual(try pmo(["init", "--demo", "--quiet"]).status, 0)
        let query = "milestones | sort id | take 3 | select id"
        let before = try answer(query)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: cache)))
        let mid = bytes.count / 2
        bytes.replaceSubrange(mid..<(mid + 8), with: [0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0x40])
        try Data(bytes).write(to: URL(fileURLWithPath: cache))
        XCTAssertEqual(try answer(query), before)
        XCTAssertEqual(try answer("sum(timesheets.cost)"), try answer("sum(timesheets.cost)", cache: "never"))
        XCTAssertEqual(try answer("count(projects where status = red)"), try answer("count(projects where status = red)", cache: "never"))
        // The cache of the next run is whole again.
        _ = try answer(query)
        XCTAssertEqual(try answer(query), before)
    }

    func testABadPolicyIsAUsageError() throws {
        XCTAssertEqual(try pmo(["init", "--demo", "--quiet"]).status, 0)
        let r = try pmo(["-c", "count(projects)"], cache: "sometimes")
        XCTAssertEqual(r.status, 64, r.stderr)
        XCTAssertTrue(r.stderr.contains("PMO_COLUMN_CACHE"), r.stderr)
    }
}
