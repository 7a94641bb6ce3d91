// The limit options of the command line with tiny values: --max-steps and --max-rows stop a run
// with exit 70 and say which limit to raise, --max-depth refuses a script with exit 65 before
// anything runs, and bad values are a usage error (64).
import Foundation
import XCTest

final class LimitCommandTests: XCTestCase {
    var fixture: Fixture!

    override func setUpWithError() throws {
        fixture = try Fixture()
    }

    override func tearDown() {
        fixture.remove()
    }

    func pmo(_ args: [String]) throws -> PMOResult {
        let r = try PMOProcess.run(["--data", fixture.data.path] + args, cwd: fixture.root)
        XCTAssertTrue(r.exited, "pmo crashed: \(r.stderr)")
        XCTAssertFalse(r.stderr.contains("Fatal error"), r.stderr)
        return r
    }

    /// 3 projects × 3 × 3 = 27 rows.
    let crossProduct = "projects | expand a in all projects | expand b in all projects | select name"

    func testMaxStepsStopsARun() throws {
        let r = try pmo(["-c", crossProduct, "--max-steps", "10"])
        XCTAssertEqual(r.status, 70, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("error: step budget exhausted after 10 steps"), r.stderr)
        XCTAssertTrue(r.stderr.contains("--max-steps"), r.stderr)
        XCTAssertEqual(try pmo(["-c", crossProduct, "--max-steps", "1000", "--format", "csv"]).status, 0)
    }

    func testMaxRowsStopsARun() throws {
        let r = try pmo(["-c", crossProduct, "--max-rows", "20"])
        XCTAssertEqual(r.status, 70, r.stderr)
        XCTAssertTrue(r.stderr.contains("error: 'expand' would produce more than 20 rows; the result is too large"), r.stderr)
        XCTAssertTrue(r.stderr.contains("--max-rows"), r.stderr)
        let ok = try pmo(["-c", crossProduct, "--max-rows", "27", "--format", "csv"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(ok.stdout.split(whereSeparator: \.isNewline).count, 28, "a header and 27 rows")
    }

    func testMaxRowsCapsText() throws {
        let script = try fixture.write("grow.pmo", """
            def grow(s, n) = if n = 0 then s else grow(s + s, n - 1)
            print length(grow("abcdefgh", 40))

            """)
        let r = try pmo(["run", script, "--max-rows", "1000"])
        XCTAssertEqual(r.status, 70, r.stderr)
        XCTAssertTrue(r.stderr.contains("grow.pmo:1:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("text of more than 1000 bytes"), r.stderr)
    }

    func testMaxDepthRefusesDeepNesting() throws {
        let deep = String(repeating: "(", count: 8) + "1" + String(repeating: ")", count: 8)
        let r = try pmo(["-c", deep, "--max-depth", "5"])
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("expression is nested too deeply (more than 5 levels)"), r.stderr)
        let ok = try pmo(["-c", deep, "--max-depth", "20"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(ok.stdout, "1\n")
    }

    /// The deepest nesting --max-depth allows runs without exhausting the stack, even for the
    /// shape with the largest checker frames (nested built-in calls; about 750 of them overflowed).
    func testDeepestAllowedNestingRuns() throws {
        let calls = String(repeating: "abs(", count: 495) + "-1" + String(repeating: ")", count: 495)
        let r = try pmo(["-c", calls, "--max-depth", "500"])
        XCTAssertEqual(r.status, 0, String(r.stderr.prefix(500)))
        XCTAssertEqual(r.stdout, "1\n")
        let tooDeep = try pmo(["-c", String(repeating: "abs(", count: 5_000) + "1" + String(repeating: ")", count: 5_000)])
        XCTAssertEqual(tooDeep.status, 65)
        XCTAssertTrue(tooDeep.stderr.contains("expression is nested too deeply (more than 200 levels)"), String(tooDeep.stderr.prefix(500)))
    }

    func testBadLimitValuesAreUsageErrors() throws {
        for (args, message) in [
            (["--max-steps", "0"], "invalid --max-steps 0"),
            (["--max-rows=-5"], "invalid --max-rows -5"),
            (["--max-depth", "0"], "invalid --max-depth 0"),
            (["--max-depth", "501"], "invalid --max-depth 501"),
            (["--max-steps", "many"], "--max-steps"),
        ] {
            let r = try pmo(["-c", "1"] + args)
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }

    func testHelpNamesTheLimits() throws {
        let r = try PMOProcess.run(["run", "--help"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for option in ["--max-steps", "--max-rows", "--max-depth", "--timeout"] {
            XCTAssertTrue(r.stdout.contains(option), "\(option) missing from:\n\(r.stdout)")
        }
    }
}
