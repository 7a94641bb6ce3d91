// Files handled like a database does, and scripts kept in their lane (issue 19), end to end: every
// reproduction of the issue runs the real binary in a temporary folder and checks that pmo gives the
// right answer or a clear error with the documented exit status, and touches no file it was not
// asked to write.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import XCTest
import TestSupport

final class FileSafetyCommandTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        chmod(dir.path, 0o755)
        try? FileManager.default.removeItem(at: dir)
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func read(_ name: String) -> String? { try? String(contentsOfFile: path(name), encoding: .utf8) }

    func pmo(_ args: [String], env: [String: String] = [:], cwd: URL? = nil) throws -> PMOResult {
        var e = env
        if e["PMO_WORKSPACE"] == nil { e["PMO_WORKSPACE"] = "" }
        let r = try PMOProcess.run(args, env: e, cwd: cwd ?? dir)
        XCTAssertTrue(r.exited, "pmo crashed: \(r.stderr)")
        return r
    }

    func initDemo() throws {
        let r = try pmo(["init", "--demo", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func count(_ query: String = "count(projects)") throws -> String {
        let r = try pmo(["-c", query])
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: - Locks and outputs

    /// A lock file replaced by a symbolic link: not followed, its target not truncated.
    func testALockFileThatIsASymbolicLinkIsRefused() throws {
        try initDemo()
        try write("s.pmo", "count(projects)\n")
        XCTAssertEqual(try pmo(["run", "s.pmo", "--quiet"]).status, 0)
        let locks = path("portfolio.db.locks")
        let lock = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: locks).first { $0.hasSuffix(".lock") })
        try write("victim.txt", "precious\n")
        unlink(locks + "/" + lock)
        XCTAssertEqual(symlink(path("victim.txt"), locks + "/" + lock), 0)
        let r = try pmo(["run", "s.pmo", "--quiet"])
        XCTAssertEqual(r.status, 74, r.stderr)
        XCTAssertTrue(r.stderr.contains("symbolic link"), r.stderr)
        XCTAssertEqual(read("victim.txt"), "precious\n")
    }

    /// `--output`, `export ... to` and `pmo export --to` naming the workspace, its WAL or its cache.
    func testOutputsNeverReplaceTheWorkspaceOrItsFiles() throws {
        try initDemo()
        XCTAssertEqual(try pmo(["-c", "count(projects)"], env: ["PMO_COLUMN_CACHE": "always"]).status, 0)
        let before = try count()
        for target in ["portfolio.db", "./portfolio.db", "portfolio.db-wal", "portfolio.db-shm", "portfolio.db-columns"] {
            let r = try pmo(["-c", "projects", "--output", target])
            XCTAssertEqual(r.status, 74, "\(target): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("will not write"), r.stderr)
        }
        // Through a link to the workspace, and by `export` in a script.
        symlink(path("portfolio.db"), path("report.csv"))
        XCTAssertEqual(try pmo(["-c", "projects", "--output", "report.csv"]).status, 74)
        XCTAssertEqual(try count(), before, "the workspace still answers")
        // A workspace named like an export: `export ... to` and `pmo export --to` leave it alone.
        XCTAssertEqual(try pmo(["init", "--demo", "--quiet", "--workspace", "data.csv"]).status, 0)
        let e = try pmo(["-c", "export projects to \"data.csv\"", "--workspace", "data.csv"])
        XCTAssertEqual(e.status, 74, e.stderr)
        XCTAssertTrue(e.stderr.contains("will not write"), e.stderr)
        let x = try pmo(["export", "projects", "--to", "data.csv", "--workspace", "data.csv"])
        XCTAssertEqual(x.status, 74, x.stderr)
        let again = try pmo(["-c", "count(projects)", "--workspace", "data.csv"])
        XCTAssertEqual(again.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "37", again.stderr)
    }

    /// `pmo init` beside a WAL left by a killed import (the workspace itself deleted).
    func testInitRefusesAWALLeftBesideAMissingWorkspace() throws {
        try write("portfolio.db-wal", String(repeating: "x", count: 4096))
        let r = try pmo(["init", "--demo", "--quiet"])
        XCTAssertEqual(r.status, 74, r.stderr)
        XCTAssertTrue(r.stderr.contains("portfolio.db-wal"), r.stderr)
        XCTAssertTrue(r.stderr.contains("delete"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("portfolio.db")))
        unlink(path("portfolio.db-wal"))
        XCTAssertEqual(try pmo(["init", "--demo", "--quiet"]).status, 0)
        XCTAssertEqual(try count(), "37")
    }

    /// A workspace whose schema version says it is newer is refused by queries and imports (exit 66).
    func testANewerWorkspaceIsRefusedNamingTheVersions() throws {
        try initDemo()
        // PRAGMA user_version lives at byte 60 of the database header (big-endian).
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path("portfolio.db"))))
        bytes.replaceSubrange(60..<64, with: [0, 0, 0, 9])
        try Data(bytes).write(to: URL(fileURLWithPath: path("portfolio.db")))
        let q = try pmo(["-c", "count(projects)"])
        XCTAssertEqual(q.status, 66, q.stderr)
        XCTAssertTrue(q.stderr.contains("schema version 9"), q.stderr)
        XCTAssertTrue(q.stderr.contains("schema version 1"), q.stderr)
        try write("p.csv", "id,name\nPRJ-0001,x\n")
        let i = try pmo(["import", "p.csv", "--as", "projects", "--quiet"])
        XCTAssertEqual(i.status, 66, i.stderr)
    }

    /// A directory given as the workspace says so (not "disk I/O error").
    func testADirectoryAsTheWorkspaceSaysSo() throws {
        try FileManager.default.createDirectory(atPath: path("ws.db"), withIntermediateDirectories: true)
        let r = try pmo(["-c", "count(projects)", "--workspace", "ws.db"])
        XCTAssertEqual(r.status, 66, r.stderr)
        XCTAssertTrue(r.stderr.contains("is a directory"), r.stderr)
        XCTAssertFalse(r.stderr.contains("I/O"), r.stderr)
    }

    // MARK: - Scripts

    /// `use` of a file that is not a pmo script never quotes it, however it is named.
    func testUseNeverLeaksTheContentOfOtherFiles() throws {
        try initDemo()
        let secret = "SECRET_TOKEN_\(UInt32.random(in: 0...UInt32.max))"
        try write("secret.txt", "password = \(secret)\n")
        symlink(path("secret.txt"), path("innocent.pmo"))
        for target in ["/proc/self/environ", "secret.txt", "innocent.pmo", "/etc/passwd"] {
            let r = try pmo(["-c", "use \"\(target)\"\ncount(projects)"], env: ["PMO_LEAK_TEST": secret])
            XCTAssertEqual(r.status, 65, "\(target): \(r.stderr)")
            XCTAssertFalse(r.stderr.contains(secret), "\(target) leaked: \(r.stderr)")
            XCTAssertFalse(r.stdout.contains(secret), "\(target) leaked: \(r.stdout)")
            XCTAssertFalse(r.stderr.contains("root:"), r.stderr)
        }
    }

    /// `use` reads under the script's directory and the current directory, else with --allow-read.
    func testUseStaysUnderItsDirectories() throws {
        try initDemo()
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        try Data("let big = 1000\n".utf8).write(to: outside.appendingPathComponent("lib.pmo"))
        try write("scripts/main.pmo", "use \"\(outside.path)/lib.pmo\"\nbig + 1\n")
        let refused = try pmo(["run", "scripts/main.pmo"])
        XCTAssertEqual(refused.status, 65, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--allow-read"), refused.stderr)
        let allowed = try pmo(["run", "scripts/main.pmo", "--allow-read", outside.path])
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        XCTAssertEqual(allowed.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "1001")
        // A sibling directory of the script's is fine when it is under the current directory.
        try write("rules/lib.pmo", "let small = 1\n")
        try write("scripts/sib.pmo", "use \"../rules/lib.pmo\"\nsmall\n")
        XCTAssertEqual(try pmo(["run", "scripts/sib.pmo"]).status, 0)
    }

    /// `./self.pmo` is the file itself: a cycle, reported, not compiled twice.
    func testASelfUseByAnotherNameIsACycle() throws {
        try initDemo()
        try write("self.pmo", "use \"./self.pmo\"\nlet x = 1\nx\n")
        let r = try pmo(["run", "self.pmo"])
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("already being used"), r.stderr)
        try write("a.pmo", "use \"b.pmo\"\n")
        try write("b.pmo", "use \"./a.pmo\"\n")
        let ab = try pmo(["run", "a.pmo"])
        XCTAssertEqual(ab.status, 65, ab.stderr)
        XCTAssertTrue(ab.stderr.contains("already being used"), ab.stderr)
    }

    /// A chain of 4,000 files using each other: a clear error, not SIGSEGV.
    func testALongUseChainIsBoundedNotACrash() throws {
        try initDemo()
        for i in 0..<4000 { try write("chain/f\(i).pmo", "use \"f\(i + 1).pmo\"\n") }
        try write("chain/f4000.pmo", "let done = 1\n")
        try write("main.pmo", "use \"chain/f0.pmo\"\ndone\n")
        let r = try pmo(["run", "main.pmo"])
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("levels deep"), String(r.stderr.prefix(2000)))
        XCTAssertLessThan(r.stderr.utf8.count, 20_000)
    }

    /// A script name with a line break cannot inject a crontab line.
    func testCrontabNamesCannotInjectLines() throws {
        try initDemo()
        let hostile = "x\n* * * * * touch \(path("pwned")) #.pmo"
        try write("cron/" + hostile, "schedule \"0 6 * * *\"\ncount(projects)\n")
        try write("cron/ok.pmo", "# Summary with a\u{2028}separator\nschedule \"0 7 * * *\"\ncount(projects)\n")
        let r = try pmo(["crontab", "cron"])
        for line in r.stdout.split(separator: "\n", omittingEmptySubsequences: true) {
            XCTAssertFalse(line.hasPrefix("* * * * *"), "injected: \(line)\n\(r.stdout)")
            XCTAssertTrue(line.hasPrefix("#") || line.hasPrefix("0 7 * * *"), "unexpected line: \(line)\n\(r.stdout)")
        }
        XCTAssertFalse(r.stdout.contains("\u{2028}"), r.stdout)
    }

    // MARK: - Signals and the ledger

    /// `--timeout` that fires while the workspace loads: exit 70 and no output (it was exit 0 with output).
    func testATimeoutDuringLoadingStopsTheRun() throws {
        try initDemo()
        let r = try pmo(["-c", "1 + 1", "--timeout", "0.000001"])
        XCTAssertEqual(r.status, 70, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("timed out"), r.stderr)
    }

    /// A run that cannot write its ledger row at first (an import holds the workspace for 25 s, beyond
    /// the 10 s busy timeout of the sweep and of the start row) records itself once it can.
    func testARunBlockedByAnImportIsRecordedOnceItCan() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { throw TestEnvironment.unavailable("needs python3 to hold the write lock", skip: { XCTSkip($0) }) }
        try initDemo()
        try write("s.pmo", "count(projects)\n")
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = ["-c", "import sqlite3, time; c = sqlite3.connect('portfolio.db', timeout=30, isolation_level=None); "
                            + "c.execute('BEGIN IMMEDIATE'); open('held', 'w').close(); time.sleep(25); c.execute('COMMIT')"]
        holder.currentDirectoryURL = dir
        try holder.run()
        let until = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: path("held")) && Date() < until { usleep(50_000) }
        let r = try pmo(["run", "s.pmo"])
        XCTAssertTrue(holder.waitUntilExit(within: TestEnvironment.processLimit), "the lock holder did not finish within \(TestEnvironment.processLimit) s")
        XCTAssertEqual(r.status, 0, r.stderr)
        let runs = try pmo(["runs", "--format", "csv"])
        XCTAssertEqual(runs.status, 0, runs.stderr)
        XCTAssertTrue(runs.stdout.contains("s.pmo"), runs.stdout + r.stderr)
        XCTAssertTrue(runs.stdout.contains(",ok,"), runs.stdout)
    }

    // MARK: - Hostile names in generated text

    /// A project name with markup, quotes, an ampersand and a line break stays data in JUnit XML,
    /// SARIF, HTML and JSON: each parses, and holds the name exactly.
    func testHostileNamesAreEscapedInEveryFormat() throws {
        let hostile = "<script>alert(1)</script> \"q\" & 'a'\nnext] ]]>"
        let csvName = "\"" + hostile.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let fixture = try Fixture(projects: "id,name,sponsor,phase,status,bac,start,finish\nPRJ-001,\(csvName),,execution,red,1500000,2026-01-05,2026-11-30\n")
        defer { fixture.remove() }
        let rules = try fixture.write("rules.pmo", """
        rule sponsor_required "Projects over $1M have a named sponsor"
          severity medium
          for projects where bac > $1M
          require sponsor is not none
          message "{name} has no sponsor"

        """)
        let junit = try pmo(["check", rules, "--data", fixture.data.path, "--format", "junit"])
        XCTAssertEqual(junit.status, 0, junit.stderr)
        let doc = try XMLSummary(junit.stdout)
        XCTAssertEqual(doc.attributes("failure").first?["message"]?.contains("<script>alert(1)</script>"), true, junit.stdout)
        XCTAssertFalse(junit.stdout.contains("<script>"), junit.stdout)
        let sarif = try pmo(["check", rules, "--data", fixture.data.path, "--format", "sarif"])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        let run = try XCTUnwrap((json["runs"] as? [[String: Any]])?.first)
        let text = try XCTUnwrap(((run["results"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["text"] as? String)
        XCTAssertTrue(text.contains(hostile), text)
        let html = try pmo(["-c", "projects | select id, name", "--data", fixture.data.path, "--format", "html"])
        XCTAssertEqual(html.status, 0, html.stderr)
        XCTAssertFalse(html.stdout.contains("<script>alert"), html.stdout)
        XCTAssertTrue(html.stdout.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html.stdout)
        let js = try pmo(["-c", "projects | select id, name", "--data", fixture.data.path, "--format", "json"])
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(js.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.first?["name"] as? String, hostile)
    }
}
