// pmo as a cron citizen, end to end: --quiet, --timeout, the lock between two runs of a script,
// stale locks, the run ledger and `pmo runs`, `pmo crontab` and `pmo due`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import XCTest
import TestSupport

final class CronTests: XCTestCase {
    var dir: URL!

    /// A script that never ends on its own when `today` is 2026-11-20 (the demo's status date), and
    /// ends at once on any other as-of date: the same script (so the same lock) can be slow or quick.
    static let slowOnStatusDate = """
    def f(n) = if n = 0 then 0 else f(n - 1) + f(n - 1)
    f(if today = 2026-11-20 then 60 else 1)

    """

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-cron-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let r = try pmo(["init", "--demo", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Runs pmo in the test's folder (so ./portfolio.db is the workspace).
    func pmo(_ args: [String], env: [String: String] = [:]) throws -> PMOResult {
        var e = env
        if e["PMO_WORKSPACE"] == nil { e["PMO_WORKSPACE"] = "" }
        let r = try PMOProcess.run(args, env: e, cwd: dir)
        XCTAssertTrue(r.exited, "pmo crashed: \(r.stderr)")
        return r
    }

    /// A pmo started in the background, its output going to files.
    struct Background {
        let process: Process
        let out: URL, err: URL
        var pid: Int32 { process.processIdentifier }
        func finish() -> (status: Int32, stderr: String) {
            process.waitUntilExit()
            return (process.terminationStatus, (try? String(contentsOf: err, encoding: .utf8)) ?? "")
        }
    }

    func start(_ args: [String]) throws -> Background {
        guard let exe = PMOProcess.binary else { throw TestEnvironment.unavailable("the pmo binary was not found", skip: { XCTSkip($0) }) }
        let out = dir.appendingPathComponent("bg-\(UUID().uuidString).out"), err = dir.appendingPathComponent("bg-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["PMO_WORKSPACE"] = ""
        p.environment = env
        p.currentDirectoryURL = dir
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return Background(process: p, out: out, err: err)
    }

    /// Waits until the lock file of `script` names a holder (the run has started).
    func waitForLock(_ script: String, timeout: Double = 10) throws -> String {
        let locks = path("portfolio.db.locks")
        let stem = String(script.prefix { $0 != "." })
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: locks)) ?? []
            for n in names where n.hasPrefix(stem + "-") {
                if let text = try? String(contentsOfFile: locks + "/" + n, encoding: .utf8), text.contains("pid=") { return text }
            }
            usleep(20_000)
        }
        XCTFail("the run of \(script) never took its lock")
        return ""
    }

    /// The ledger as JSON rows.
    func ledger(_ extra: [String] = []) throws -> [[String: Any]] {
        let r = try pmo(["runs", "--format", "json"] + extra)
        XCTAssertEqual(r.status, 0, r.stderr)
        let parsed = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
        if let rows = parsed as? [[String: Any]] { return rows }
        if let one = parsed as? [String: Any] { return [one] }
        return []
    }

    // MARK: - Run contract

    func testQuietPrintsNothingWhenThereIsNothingToActOn() throws {
        try write("clean.pmo", """
        projects where bac > $1000M
        count(projects where bac > $1000M)
        print ""

        """)
        let quiet = try pmo(["run", "--quiet", "clean.pmo"])
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertEqual(quiet.stdout, "")
        XCTAssertEqual(quiet.stderr, "")
        for format in ["json", "html", "csv", "md"] {
            let r = try pmo(["run", "--quiet", "--format", format, "clean.pmo"])
            XCTAssertEqual(r.stdout, "", format)
        }
        let loud = try pmo(["run", "clean.pmo"])
        XCTAssertTrue(loud.stdout.contains("(0 rows)"), loud.stdout)

        // With something to act on, that is shown (and the empty table is still left out).
        try write("red.pmo", "projects where bac > $1000M\nprojects where status = red | sort id | select id\n")
        let some = try pmo(["run", "--quiet", "red.pmo"])
        XCTAssertEqual(some.status, 0, some.stderr)
        XCTAssertTrue(some.stdout.contains("PRJ-0001"), some.stdout)
        XCTAssertFalse(some.stdout.contains("(0 rows)"), some.stdout)
    }

    func testRunNeverReadsTheTerminalAndDiagnosticsGoToStandardError() throws {
        try write("bad.pmo", "projects where sponser is none\n")
        let r = try pmo(["run", "--quiet", "bad.pmo"])
        XCTAssertEqual(r.status, 65)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("bad.pmo:1:16: error: unknown field 'sponser'"), r.stderr)
        let unwritable = try pmo(["run", "--output", path("no/such/dir/out.csv"), "bad.pmo"])
        XCTAssertEqual(unwritable.status, 65, "checking comes before writing")
        try write("ok.pmo", "projects | take 1 | select id\n")
        let cannotWrite = try pmo(["run", "--output", path("no/such/dir/out.csv"), "ok.pmo"])
        XCTAssertEqual(cannotWrite.status, 74, cannotWrite.stderr)
    }

    func testTimeoutEndsARunawayScriptWithExit70() throws {
        try write("slow.pmo", CronTests.slowOnStatusDate)
        let began = Date()
        let r = try pmo(["run", "--timeout", "0.5", "slow.pmo"])
        let elapsed = Date().timeIntervalSince(began)
        XCTAssertEqual(r.status, 70)
        XCTAssertEqual(r.stderr, "pmo: error: timed out after 0.5 s\n")
        XCTAssertEqual(r.stdout, "")
        XCTAssertLessThan(elapsed, 10.0, "a script that never ends must end at its time limit")
        // The engine noticed soon after the limit: the run lasted seconds, not the forever a missed
        // cancellation would take (the aim, 0.1 s after the limit, is a benchmark's business, not a
        // test's: a loaded CI machine must not fail this).
        let row = try XCTUnwrap(try ledger().last)
        XCTAssertEqual(row["status"] as? String, "timed out")
        XCTAssertEqual(row["exit"] as? Int, 70)
        XCTAssertLessThanOrEqual(try XCTUnwrap(row["seconds"] as? Double), 3.0)
        // -c obeys it too.
        let c = try pmo(["-c", CronTests.slowOnStatusDate, "--timeout", "0.3"])
        XCTAssertEqual(c.status, 70)
        XCTAssertTrue(c.stderr.contains("timed out after 0.3 s"), c.stderr)
        let bad = try pmo(["run", "--timeout", "0", "slow.pmo"])
        XCTAssertEqual(bad.status, 64)
    }

    func testTerminationSignalIsRecordedAsInterrupted() throws {
        try write("slow.pmo", CronTests.slowOnStatusDate)
        let bg = try start(["run", "slow.pmo"])
        _ = try waitForLock("slow.pmo")
        kill(bg.pid, SIGTERM)
        let (status, stderr) = bg.finish()
        XCTAssertEqual(status, 130)
        XCTAssertTrue(stderr.contains("interrupted (SIGTERM)"), stderr)
        XCTAssertEqual(try ledger().last?["status"] as? String, "interrupted")
    }

    // MARK: - Locking

    func testSecondRunExits75NamingTheHolder() throws {
        try write("slow.pmo", CronTests.slowOnStatusDate)
        let bg = try start(["run", "slow.pmo", "--timeout", "20"])
        let holder = try waitForLock("slow.pmo")
        XCTAssertTrue(holder.contains("pid=\(bg.pid)\n"), holder)
        let second = try pmo(["run", "slow.pmo", "--as-of", "2026-11-21"])
        XCTAssertEqual(second.status, 75)
        XCTAssertTrue(second.stderr.contains("pid \(bg.pid) on host "), second.stderr)
        XCTAssertTrue(second.stderr.contains("--wait"), second.stderr)
        // Another script is not held up.
        try write("other.pmo", "count(projects)\n")
        XCTAssertEqual(try pmo(["run", "other.pmo"]).status, 0)
        kill(bg.pid, SIGTERM)
        _ = bg.finish()
        let rows = try ledger(["--script", "slow.pmo"])
        XCTAssertEqual(rows.map { $0["status"] as? String }, ["interrupted", "locked"])
        XCTAssertEqual(rows.last?["exit"] as? Int, 75)
    }

    func testWaitWaitsForTheHolderToFinish() throws {
        try write("slow.pmo", CronTests.slowOnStatusDate)
        let bg = try start(["run", "slow.pmo", "--timeout", "1"])
        _ = try waitForLock("slow.pmo")
        let began = Date()
        let waited = try pmo(["run", "slow.pmo", "--wait", "--as-of", "2026-11-21"])
        XCTAssertEqual(waited.status, 0, waited.stderr)
        XCTAssertTrue(waited.stderr.contains("waiting for another run (pid \(bg.pid)"), waited.stderr)
        XCTAssertEqual(waited.stdout, "0\n")
        XCTAssertGreaterThan(Date().timeIntervalSince(began), 0.3)
        XCTAssertEqual(bg.finish().status, 70)
    }

    func testStaleLockOfAKilledRunIsCleared() throws {
        try write("slow.pmo", CronTests.slowOnStatusDate)
        let bg = try start(["run", "slow.pmo"])
        _ = try waitForLock("slow.pmo")
        // The run records itself in the ledger just after it takes the lock: kill it only once it has.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, ((try? ledger(["--script", "slow.pmo"]))?.count ?? 0) < 1 { usleep(20_000) }
        kill(bg.pid, SIGKILL)
        _ = bg.finish()
        let next = try pmo(["run", "slow.pmo", "--as-of", "2026-11-21"])
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertTrue(next.stderr.contains("cleared a stale lock"), next.stderr)
        XCTAssertTrue(next.stderr.contains("pid \(bg.pid)"), next.stderr)
        let rows = try ledger(["--script", "slow.pmo"])
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows.first?["status"] as? String, "killed")
        XCTAssertEqual(rows.last?["status"] as? String, "ok")
        // The lock file is left in place, empty.
        let locks = try FileManager.default.contentsOfDirectory(atPath: path("portfolio.db.locks"))
        let slow = try XCTUnwrap(locks.first { $0.hasPrefix("slow-") })
        XCTAssertEqual(try String(contentsOfFile: path("portfolio.db.locks/" + slow), encoding: .utf8), "")
    }

    // MARK: - Ledger

    func testEveryRunIsRecordedAndRunsShowsThem() throws {
        try write("ok.pmo", "count(projects where status = red)\n")
        try write("syntax.pmo", "projects where\n")
        try write("assert.pmo", "assert count(projects) = 0, \"expected no projects\"\n")
        XCTAssertEqual(try pmo(["run", "ok.pmo", "--as-of", "2026-10-30"]).status, 0)
        XCTAssertEqual(try pmo(["run", "syntax.pmo"]).status, 65)
        XCTAssertEqual(try pmo(["run", "assert.pmo"]).status, 70)
        let rows = try ledger()
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows.map { $0["status"] as? String }, ["ok", "failed", "failed"])
        XCTAssertEqual(rows.map { $0["exit"] as? Int }, [0, 65, 70])
        XCTAssertEqual(rows[0]["as_of"] as? String, "2026-10-30")
        XCTAssertEqual(rows[1]["as_of"] as? String, "2026-11-20")
        XCTAssertEqual(rows[0]["script"] as? String, RunPaths.real(path("ok.pmo")))
        XCTAssertEqual(rows[0]["new"] as? Int, 0)
        XCTAssertTrue((rows[2]["message"] as? String ?? "").contains("expected no projects"), "\(rows[2])")
        XCTAssertNotNil(rows[0]["started"] as? String)
        XCTAssertNotNil(rows[0]["seconds"] as? Double)

        XCTAssertEqual(try ledger(["--script", "ok.pmo"]).count, 1)
        XCTAssertEqual(try ledger(["--since", "2999-01-01"]).count, 0)
        let csv = try pmo(["runs", "--format", "csv"])
        XCTAssertTrue(csv.stdout.hasPrefix("id,script,scheduled_for,as_of,started,seconds,status,exit,new,persisting,resolved,host,pid,message\r\n"), csv.stdout)
        let table = try pmo(["runs"])
        XCTAssertTrue(table.stdout.contains("│ ok.pmo "), table.stdout)
        XCTAssertTrue(table.stdout.hasSuffix("(3 rows)\n"), table.stdout)
    }

    func testRunsNeedsAWorkspace() throws {
        let empty = dir.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let r = try PMOProcess.run(["runs"], env: ["PMO_WORKSPACE": ""], cwd: empty)
        XCTAssertEqual(r.status, 66)
        XCTAssertTrue(r.stderr.contains("pmo init"), r.stderr)
    }

    // MARK: - Schedules

    func testCrontabPrintsReadyLinesForScheduledScripts() throws {
        try write("cron/daily.pmo", "# Daily governance check\nschedule \"30 6 * * mon-fri\"\ncount(projects)\n")
        try write("cron/weekly.pmo", "schedule \"0 7 * * MON\"\nreport \"Weekly\" {\n  section \"All\" {\n    count(projects)\n  }\n}\n")
        try write("cron/adhoc.pmo", "count(projects)\n")
        let r = try pmo(["crontab", "cron", "--report-dir", "reports", "--timeout", "600"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let ws = RunPaths.real(path("portfolio.db"))
        let wsDir = String(ws[..<(ws.lastIndex(of: "/") ?? ws.endIndex)])
        let scripts = RunPaths.real(path("cron"))
        let pmoPath = try XCTUnwrap(PMOProcess.binary).resolvingSymlinksInPath().path
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("# daily.pmo: Daily governance check"), r.stdout)
        XCTAssertTrue(lines.contains("30 6 * * mon-fri cd \(wsDir) && \(pmoPath) run --quiet --workspace \(ws) --timeout 600 \(scripts)/daily.pmo"), r.stdout)
        let reports = RunPaths.real(dir.path) + "/reports"
        XCTAssertTrue(lines.contains("0 7 * * MON cd \(wsDir) && \(pmoPath) run --quiet --workspace \(ws) --timeout 600 --output \(reports)/weekly.html \(scripts)/weekly.pmo"), r.stdout)
        XCTAssertTrue(lines.contains("#   (no schedule line; not scheduled)"), r.stdout)
        XCTAssertTrue(r.stderr.contains("the report directory 'reports' does not exist"), r.stderr)

        try write("cron/bad.pmo", "schedule \"0 7 * * FUN\"\ncount(projects)\n")
        let bad = try pmo(["crontab", "cron"])
        XCTAssertEqual(bad.status, 65)
        XCTAssertTrue(bad.stderr.contains("cron/bad.pmo:1:19: error: invalid schedule: day of week: 'FUN' is neither"), bad.stderr)
        XCTAssertTrue(bad.stdout.contains("daily.pmo"), "the valid scripts are still listed")
        // `pmo run` refuses the script with the bad schedule (exit 65), pointing at the field.
        let run = try pmo(["run", "cron/bad.pmo"])
        XCTAssertEqual(run.status, 65)
        XCTAssertTrue(run.stderr.contains("cron/bad.pmo:1:19: error: invalid schedule"), run.stderr)
    }

    /// `pmo due` over several simulated days: only what is due runs, once per slot, one catch-up
    /// after the machine was off, in the time zone of TZ, and a clock set back runs the latest slot once.
    func testDueRunsWhatIsDueOnceAndCatchesUpOnce() throws {
        try write("cron/daily.pmo", "schedule \"30 6 * * *\"\nprojects where bac > $1000M\n")
        try write("cron/weekly.pmo", "schedule \"0 7 * * MON\"\ncount(projects where status = red)\n")
        func due(_ now: String, tz: String = "UTC") throws -> PMOResult {
            try pmo(["due", "cron", "--quiet", "--now", now, "--as-of", "2026-11-20"], env: ["TZ": tz])
        }
        func slots(_ name: String) throws -> [String] {
            try ledger(["--script", name]).compactMap { $0["scheduled_for"] as? String }
        }
        // Monday 06:00: neither ever ran: each runs once, for its latest slot.
        var r = try due("2026-11-23T06:00")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "== weekly.pmo (scheduled 2026-11-16 07:00 UTC) ==\n6\n", "daily printed nothing to act on")
        XCTAssertEqual(try slots("daily.pmo"), ["2026-11-22T06:30:00Z"])
        XCTAssertEqual(try slots("weekly.pmo"), ["2026-11-16T07:00:00Z"])
        // Again at once: nothing is due, nothing is printed.
        r = try due("2026-11-23T06:10")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(try ledger().count, 2)
        // 07:05: both have a new slot.
        r = try due("2026-11-23T07:05")
        XCTAssertEqual(try slots("daily.pmo"), ["2026-11-22T06:30:00Z", "2026-11-23T06:30:00Z"])
        XCTAssertEqual(try slots("weekly.pmo"), ["2026-11-16T07:00:00Z", "2026-11-23T07:00:00Z"])
        // The machine was off for nine days: one catch-up run each, for the latest slot.
        r = try due("2026-12-02T12:00")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try slots("daily.pmo").last, "2026-12-02T06:30:00Z")
        XCTAssertEqual(try slots("daily.pmo").count, 3)
        XCTAssertEqual(try slots("weekly.pmo"), ["2026-11-16T07:00:00Z", "2026-11-23T07:00:00Z", "2026-11-30T07:00:00Z"])
        // In New York, 06:45 local on 3 December is after the 06:30 EST slot (11:30Z).
        let dry = try pmo(["due", "cron", "--dry-run", "--now", "2026-12-03T06:45"], env: ["TZ": "America/New_York"])
        XCTAssertTrue(dry.stdout.contains("daily.pmo: due for 2026-12-03 06:30 America/New_York"), dry.stdout)
        // Read in New York time, Monday 07:00 is 12:00Z: a slot the UTC runs did not cover.
        XCTAssertTrue(dry.stdout.contains("weekly.pmo: due for 2026-11-30 07:00 America/New_York"), dry.stdout)
        r = try due("2026-12-03T06:45", tz: "America/New_York")
        XCTAssertEqual(try slots("daily.pmo").last, "2026-12-03T11:30:00Z")
        // The clock goes back a week: the latest slot before it runs once, with a warning; then not again.
        r = try due("2026-11-26T08:00")
        XCTAssertTrue(r.stderr.contains("the clock is behind its last run"), r.stderr)
        XCTAssertEqual(try slots("daily.pmo").last, "2026-11-26T06:30:00Z")
        r = try due("2026-11-26T08:05")
        XCTAssertEqual(r.stderr, "")
        XCTAssertEqual(try slots("daily.pmo").count, 5)
        // Every due run evaluated at the given as-of date and succeeded.
        let rows = try ledger()
        XCTAssertTrue(rows.allSatisfy { $0["as_of"] as? String == "2026-11-20" && $0["status"] as? String == "ok" }, "\(rows)")
    }

    /// Three weeks of a scheduled governance check on changing data, run by `pmo due` as cron would:
    /// new, persisting and resolved findings in the ledger, silence when nothing is new, and a
    /// catch-up run after the machine was off.
    func testSeveralWeeksOfScheduledGovernanceRuns() throws {
        try write("cron/governance.pmo", """
        # Weekly: big projects have a sponsor
        schedule "0 6 * * MON"
        rule big_needs_sponsor "Projects over $3M have a sponsor"
          severity high
          for projects where bac > $3M
          require sponsor is not none
          message "{id} has no sponsor"
        check

        """)
        func week(_ now: String, asOf: String) throws -> PMOResult {
            let r = try pmo(["due", "cron", "--quiet", "--now", now, "--as-of", asOf], env: ["TZ": "UTC"])
            XCTAssertNotEqual(r.status, 75, r.stderr)
            return r
        }
        func lastCounts() throws -> [Int] {
            let row = try XCTUnwrap(try ledger(["--script", "governance.pmo"]).last)
            return ["new", "persisting", "resolved"].map { row[$0] as? Int ?? -1 }
        }
        // Week 1: PRJ-0008 has no sponsor: a new finding, mailed.
        var r = try week("2026-11-23T06:05", asOf: "2026-11-20")
        XCTAssertTrue(r.stdout.hasPrefix("== governance.pmo (scheduled 2026-11-23 06:00 UTC, exit 1) =="), r.stdout)
        XCTAssertTrue(r.stdout.contains("PRJ-0008 has no sponsor"), r.stdout)
        XCTAssertEqual(try lastCounts(), [1, 0, 0])
        // During the week, nothing is due.
        r = try week("2026-11-25T12:00", asOf: "2026-11-20")
        XCTAssertEqual(r.stdout, "")
        // Week 2: PRJ-0010 loses its sponsor: one new finding (only it is mailed), one persisting.
        let lose = try write("lose.csv", "id,name,sponsor\nPRJ-0010,Enterprise Data Warehouse (Snowflake),\n")
        XCTAssertEqual(try pmo(["import", lose, "--as", "projects", "--quiet"]).status, 0)
        r = try week("2026-11-30T06:05", asOf: "2026-11-27")
        XCTAssertTrue(r.stdout.contains("PRJ-0010 has no sponsor"), r.stdout)
        XCTAssertFalse(r.stdout.contains("PRJ-0008 has no sponsor"), r.stdout)
        XCTAssertEqual(try lastCounts(), [1, 1, 0])
        // Week 3: PRJ-0008 gets a sponsor: resolved; nothing new, so cron gets nothing to mail.
        let fix = try write("fix.csv", "id,name,sponsor\nPRJ-0008,Universal Customer Master,P-002\n")
        XCTAssertEqual(try pmo(["import", fix, "--as", "projects", "--quiet"]).status, 0)
        r = try week("2026-12-07T06:05", asOf: "2026-12-04")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(try lastCounts(), [0, 1, 1])
        // The machine is off for three weeks: one catch-up run, for the latest Monday.
        r = try week("2026-12-30T09:00", asOf: "2026-12-25")
        let rows = try ledger(["--script", "governance.pmo"])
        XCTAssertEqual(rows.compactMap { $0["scheduled_for"] as? String },
                       ["2026-11-23T06:00:00Z", "2026-11-30T06:00:00Z", "2026-12-07T06:00:00Z", "2026-12-28T06:00:00Z"])
        XCTAssertEqual(rows.compactMap { $0["as_of"] as? String }, ["2026-11-20", "2026-11-27", "2026-12-04", "2026-12-25"])
        XCTAssertEqual(rows.map { $0["status"] as? String }, ["findings", "findings", "ok", "ok"])
    }
}

enum RunPaths {
    /// The path with symbolic links resolved (the ledger records real paths; /tmp may be a link).
    static func real(_ path: String) -> String {
        guard let r = realpath(path, nil) else { return path }
        defer { free(r) }
        return String(cString: r)
    }
}
