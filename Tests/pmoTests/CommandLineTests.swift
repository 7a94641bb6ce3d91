// End-to-end tests: the built `pmo` binary, its output formats and its exit statuses (cli.md).
import Foundation
import XCTest
import TestSupport

final class CommandLineTests: XCTestCase {
    var fixture: Fixture!

    override func setUpWithError() throws {
        fixture = try Fixture()
    }

    override func tearDown() {
        fixture.remove()
    }

    /// Runs `pmo --data <fixture>` with more arguments.
    func pmo(_ args: [String], stdin: String? = nil, env: [String: String] = [:], cwd: URL? = nil) throws -> PMOResult {
        let r = try PMOProcess.run(["--data", fixture.data.path] + args, stdin: stdin, env: env, cwd: cwd ?? fixture.root)
        XCTAssertTrue(r.exited, "pmo crashed: \(r.stderr)")
        XCTAssertFalse(r.stderr.contains("Fatal error"), r.stderr)
        return r
    }

    let query = "projects | sort id | select id, name, status, bac"

    // MARK: - Success in every format

    func testTableFormat() throws {
        let r = try pmo(["-c", query])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("┌"), r.stdout)
        XCTAssertTrue(r.stdout.contains("│ PRJ-001 │ ERP rollout │ red    │ $1,500,000.00 │"), r.stdout)
        XCTAssertTrue(r.stdout.contains("│   $250,000.50 │"), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("(3 rows)\n"), r.stdout)
        XCTAssertEqual(r.stderr, "")
    }

    func testCSVFormat() throws {
        let r = try pmo(["-c", query, "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "id,name,status,bac\r\nPRJ-001,ERP rollout,red,1500000.00\r\n"
            + "PRJ-002,Web shop,green,250000.50\r\nPRJ-003,Receivables,amber,800000.00\r\n")
    }

    func testJSONFormat() throws {
        let r = try pmo(["-c", query, "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows[0]["id"] as? String, "PRJ-001")
        let bac = try XCTUnwrap(rows[0]["bac"] as? [String: Any])
        XCTAssertEqual(bac["amount"] as? Double, 1_500_000)
        XCTAssertEqual(bac["currency"] as? String, "USD")
        XCTAssertTrue(r.stdout.contains("\"bac\": {\"amount\": 1500000.00, \"currency\": \"USD\"}"), r.stdout)
        XCTAssertTrue(r.stdout.contains("{\"id\": \"PRJ-001\", \"name\": \"ERP rollout\", \"status\": \"red\""), r.stdout)
    }

    func testMarkdownFormat() throws {
        let r = try pmo(["-c", query, "--format", "md"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("| id | name | status | bac |\n| --- | --- | --- | ---: |\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("| PRJ-002 | Web shop | green | $250,000.50 |"), r.stdout)
    }

    func testHTMLFormat() throws {
        let r = try pmo(["-c", query, "--format", "html"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("<!doctype html>"), r.stdout)
        XCTAssertTrue(r.stdout.contains("<meta charset=\"utf-8\">"))
        XCTAssertTrue(r.stdout.contains("<td class=\"num\">$1,500,000.00</td>"), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("</html>\n"))
    }

    func testQuerySubcommandAndScalars() throws {
        let r = try pmo(["query", "count(projects)"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "3\n")
        let json = try pmo(["query", "count(projects where bac > $1M)", "--format", "json"])
        XCTAssertEqual(json.stdout, "1\n", json.stderr)
    }

    func testPrintAndAsOf() throws {
        XCTAssertEqual(try pmo(["-c", "today"]).stdout, "2026-11-22\n")
        XCTAssertEqual(try pmo(["-c", "today", "--as-of", "2026-01-05"]).stdout, "2026-01-05\n")
        let p = try pmo(["-c", "print \"{count(projects)} projects\""])
        XCTAssertEqual(p.stdout, "3 projects\n", p.stderr)
    }

    // MARK: - Exit statuses

    func testBadFlagIs64() throws {
        let r = try pmo(["--bogus", "-c", "1"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("--bogus"), r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(try pmo(["--format", "xml", "-c", "1"]).status, 64)
        XCTAssertEqual(try pmo(["run"]).status, 64)
    }

    func testBadAsOfIs64() throws {
        for bad in ["2026-13-01", "2026-02-30", "yesterday", "26-11-22"] {
            let r = try pmo(["--as-of", bad, "-c", "today"])
            XCTAssertEqual(r.status, 64, bad)
            XCTAssertTrue(r.stderr.contains("--as-of"), r.stderr)
        }
    }

    func testSyntaxErrorIs65WithLocationAndCaret() throws {
        let r = try pmo(["-c", "projects where (status = red"])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("<command line>:1:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("^"), r.stderr)
        XCTAssertEqual(r.stdout, "")
        let script = try fixture.write("bad.pmo", "count(projects)\nprojects where bac > \n")
        let s = try pmo(["run", script])
        XCTAssertEqual(s.status, 65)
        XCTAssertTrue(s.stderr.contains("bad.pmo:"), s.stderr)
        XCTAssertEqual(s.stdout, "", "nothing runs when the script has errors")
    }

    func testUnknownFieldIs65WithSuggestion() throws {
        let r = try pmo(["-c", "projects where sponser is none"])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("<command line>:1:16: error:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("did you mean 'sponsor'?"), r.stderr)
    }

    func testMissingScriptIs66() throws {
        let r = try pmo(["run", "no-such-script.pmo"])
        XCTAssertEqual(r.status, 66)
        XCTAssertTrue(r.stderr.contains("no-such-script.pmo"), r.stderr)
    }

    func testMissingDataDirectoryIs66() throws {
        let r = try PMOProcess.run(["--data", fixture.path("nowhere"), "-c", "count(projects)"])
        XCTAssertEqual(r.status, 66)
        XCTAssertTrue(r.stderr.contains("nowhere"), r.stderr)
        let env = try PMOProcess.run(["-c", "count(projects)"], env: ["PMO_DATA": fixture.path("nowhere")])
        XCTAssertEqual(env.status, 66)
    }

    func testBadCSVIs65WithFileLineColumn() throws {
        try fixture.write("data/projects.csv", Fixture.projects.replacingOccurrences(of: "2026-03-02", with: "2026-02-30"))
        let r = try pmo(["-c", "count(projects)"])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("projects.csv:3:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("error:"), r.stderr)
        XCTAssertEqual(r.stdout, "")
    }

    func testDivisionByZeroIsNone() throws {
        let r = try pmo(["-c", "1 / 0"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "none\n")
        XCTAssertEqual(try pmo(["-c", "1 / 0", "--format", "json"]).stdout, "null\n")
    }

    func testOverflowIs70() throws {
        let r = try pmo(["-c", "9223372036854775807 + 1"])
        XCTAssertEqual(r.status, 70)
        XCTAssertTrue(r.stderr.contains("overflow"), r.stderr)
        XCTAssertTrue(r.stderr.contains("<command line>:1:"), r.stderr)
    }

    func testHelpDocumentsExitStatuses() throws {
        let r = try PMOProcess.run(["--help"])
        XCTAssertEqual(r.status, 0)
        for code in ["64", "65", "66", "70", "74"] { XCTAssertTrue(r.stdout.contains("  \(code) "), code) }
        XCTAssertTrue(r.stdout.contains("EXIT STATUS"))
    }

    // MARK: - Output

    func testOutputFileIsWrittenAtomically() throws {
        let r = try pmo(["-c", query, "--output", "report.json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "", "results go to the file, not standard output")
        let text = try XCTUnwrap(fixture.read("report.json"))
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(text.utf8)), "format from the extension")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.root.path).filter { $0.contains(".pmo-") }
        XCTAssertEqual(leftovers, [])
        // An explicit format wins over the extension.
        _ = try pmo(["-c", query, "--output", "report.txt", "--format", "csv"])
        XCTAssertEqual(fixture.read("report.txt")?.hasPrefix("id,name,status,bac\r\n"), true)
    }

    func testOutputWriteFailureIs74() throws {
        let r = try pmo(["-c", query, "--output", fixture.path("missing-dir/report.csv")])
        XCTAssertEqual(r.status, 74)
        XCTAssertTrue(r.stderr.contains("missing-dir/report.csv"), r.stderr)
    }

    func testNoOutputFileWhenTheRunFails() throws {
        let r = try pmo(["-c", "count(projects)\n9223372036854775807 + 1", "--output", "partial.csv"])
        XCTAssertEqual(r.status, 70)
        XCTAssertNil(fixture.read("partial.csv"))
    }

    func testPipedOutputHasNoANSICodes() throws {
        let r = try pmo(["-c", query])
        XCTAssertFalse(r.stdout.contains("\u{1B}"))
        XCTAssertFalse(r.stderr.contains("\u{1B}"))
        let forced = try pmo(["-c", query, "--color", "always"])
        XCTAssertTrue(forced.stdout.contains("\u{1B}[31mred\u{1B}[0m"), forced.stdout)
        let never = try pmo(["-c", query, "--color", "always", "--format", "csv"])
        XCTAssertFalse(never.stdout.contains("\u{1B}"))
    }

    // MARK: - Scripts and standard input

    func testStandardInputScript() throws {
        let r = try pmo([], stdin: "# a script on standard input\ncount(projects)\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "3\n")
        let dash = try pmo(["run", "-"], stdin: "count(projects where status = red)\n")
        XCTAssertEqual(dash.stdout, "1\n", dash.stderr)
    }

    func testScriptsShareOneSession() throws {
        let a = try fixture.write("a.pmo", "let big = projects where bac > $500k\n")
        let b = try fixture.write("b.pmo", "count(big)\n")
        let r = try pmo(["run", a, b])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "2\n")
    }

    func testExportWritesUnderTheCurrentDirectoryOnly() throws {
        let ok = try pmo(["-c", "export projects | sort id | select id, bac to \"out/big.csv\""], cwd: try makeDirectory("out"))
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(fixture.read("out/big.csv"), "id,bac\r\nPRJ-001,1500000.00\r\nPRJ-002,250000.50\r\nPRJ-003,800000.00\r\n")

        let escape = try pmo(["-c", "export projects | select id to \"../escaped.csv\""])
        XCTAssertEqual(escape.status, 70)
        XCTAssertTrue(escape.stderr.contains("outside the current directory"), escape.stderr)
        let absolute = try pmo(["-c", "export projects | select id to \"/tmp/pmo-escaped.csv\""])
        XCTAssertEqual(absolute.status, 70)

        let unknown = try pmo(["-c", "export projects | select id to \"big.xlsx\""])
        XCTAssertEqual(unknown.status, 70)
        XCTAssertTrue(unknown.stderr.contains(".xlsx"), unknown.stderr)
    }

    func testAllowWriteOpensAnotherDirectory() throws {
        let elsewhere = try Fixture()
        defer { elsewhere.remove() }
        let target = elsewhere.path("x.md")
        let r = try pmo(["-c", "export projects | select id to \"\(target)\"", "--allow-write", elsewhere.root.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(elsewhere.read("x.md")?.hasPrefix("| id |"), true)
    }

    func testDemoPortfolioFromEnvironment() throws {
        let r = try PMOProcess.run(["-c", "count(projects)"], env: ["PMO_DEMO_DIR": fixture.data.path],
                                   cwd: fixture.root)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "3\n")
        XCTAssertEqual(r.stderr, "", "the demo note is for terminals only")
    }

    // MARK: - Bad input never crashes

    func testInvalidUTF8Script() throws {
        let url = fixture.root.appendingPathComponent("bin.pmo")
        try Data([0x63, 0x6F, 0xFF, 0xFE, 0x0A]).write(to: url)
        let r = try pmo(["run", url.path])
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("bin.pmo:1:"), r.stderr)
    }

    func testDeepNestingDoesNotCrash() throws {
        let deep = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        let r = try pmo(["-c", deep])
        XCTAssertTrue([0, 65].contains(r.status), "status \(r.status): \(r.stderr.prefix(300))")
    }

    func testBadLiteralsAre65() throws {
        for (text, message) in [("\"abc", "unterminated string"), ("99999999999999999999999999", "too large")] {
            let r = try pmo(["-c", text])
            XCTAssertEqual(r.status, 65, text)
            XCTAssertTrue(r.stderr.contains(message), r.stderr)
            XCTAssertTrue(r.stderr.contains("<command line>:1:1: error:"), r.stderr)
        }
    }

    func testFullStandardOutputIs74() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw TestEnvironment.unavailable("no /dev/full here", skip: { XCTSkip($0) }) }
        let p = Process()
        p.executableURL = try XCTUnwrap(PMOProcess.binary)
        p.arguments = ["--data", fixture.data.path, "-c", query]
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
        p.standardError = FileHandle.nullDevice
        try p.run()
        XCTAssertTrue(p.waitUntilExit(within: TestEnvironment.processLimit), "pmo did not finish within \(TestEnvironment.processLimit) s")
        XCTAssertEqual(p.terminationStatus, 74)
    }

    func testScriptRunsAsAProgram() throws {
        let exe = try XCTUnwrap(PMOProcess.binary)
        let path = try fixture.write("report.pmo", "#!/usr/bin/env pmo\ncount(projects)\n")
        XCTAssertEqual(chmod(path, 0o755), 0)
        let direct = try PMOProcess.run([path], env: ["PMO_DATA": fixture.data.path])
        XCTAssertEqual(direct.status, 0, direct.stderr)
        XCTAssertEqual(direct.stdout, "3\n")
        // Through the kernel's #! handling, with pmo on the PATH.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = exe.deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["PMO_DATA"] = fixture.data.path
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.limit()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        XCTAssertTrue(p.waitUntilExit(within: TestEnvironment.processLimit), "pmo did not finish within \(TestEnvironment.processLimit) s")
        XCTAssertEqual(p.terminationStatus, 0)
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "3\n")
    }

    func makeDirectory(_ name: String) throws -> URL {
        try FileManager.default.createDirectory(at: fixture.root.appendingPathComponent(name), withIntermediateDirectories: true)
        return fixture.root
    }
}
