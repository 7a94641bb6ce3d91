// The REPL as a user meets it: the real `pmo` on a pseudo-terminal, keys typed, screen read.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
import TestSupport

final class TerminalTests: XCTestCase {
    var home: URL!

    override func setUpWithError() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-repl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: home)
    }

    var stateDir: URL { home.appendingPathComponent("state") }
    var historyFile: URL { stateDir.appendingPathComponent("pmo/history") }

    /// `pmo --data examples/demo` on a pty with a private home; waits for the first prompt.
    func start(_ extra: [String] = [], env: [String: String?] = [:], file: StaticString = #filePath, line: UInt = #line) throws -> PTYProcess {
        var environment: [String: String?] = ["HOME": home.path, "XDG_STATE_HOME": stateDir.path]
        for (k, v) in env { environment[k] = v }
        let p = try PTYProcess(["--data", REPLBinary.demo] + extra, env: environment)
        XCTAssertTrue(p.expect("pmo> "), "no prompt:\n\(p.screenText)", file: file, line: line)
        return p
    }

    /// Types a line and waits for the next prompt.
    func enter(_ p: PTYProcess, _ line: String, prompt: String = "pmo> ", file: StaticString = #filePath, line l: UInt = #line) {
        p.send(line + PTYProcess.enter)
        XCTAssertTrue(p.expect(prompt), "no '\(prompt)' after '\(line)':\n\(p.screenText)", file: file, line: l)
    }

    func testPromptShowsWorkspaceAndAsOfDate() throws {
        let p = try start()
        p.drain(0.2)
        XCTAssertTrue(p.screenText.contains("demo · as of 2026-11-20"), p.screenText)
        XCTAssertTrue(p.screenText.contains(".help"), p.screenText)
    }

    func testQueryPrintsTable() throws {
        let p = try start()
        p.send("projects where status = red | sort id | select id, status | take 2\r")
        XCTAssertTrue(p.expect("│ PRJ-0001 │ red    │"), p.screenText)
        XCTAssertTrue(p.expect("(2 rows)"), p.screenText)
        XCTAssertTrue(p.expect("pmo> "), p.screenText)
    }

    func testSyntaxErrorShowsCaretAndSessionGoesOn() throws {
        let p = try start()
        p.send("projects where sponser is none\r")
        XCTAssertTrue(p.expect("error: unknown field 'sponser' on project"), p.screenText)
        XCTAssertTrue(p.expect("|                ^^^^^^^"), p.screenText)
        XCTAssertTrue(p.expect("did you mean 'sponsor'?"), p.screenText)
        enter(p, "")
        p.send("projects wher x\r")
        XCTAssertTrue(p.expect("^^^^"), p.screenText)
        p.send("print \"still here\"\r")
        XCTAssertTrue(p.expect("\nstill here"), p.screenText)
    }

    func testMultiLineInputShowsContinuationPrompt() throws {
        let p = try start()
        p.send("projects |\r")
        XCTAssertTrue(p.expect("...> "), p.screenText)
        p.send("sort bac desc |\r")
        XCTAssertTrue(p.expect("...> "), p.screenText)
        p.send("take 3\r")
        XCTAssertTrue(p.expect("(3 rows)"), p.screenText)
        XCTAssertTrue(p.expect("pmo> "), p.screenText)
    }

    func testLetAndDefPersist() throws {
        let p = try start()
        enter(p, "let big = projects where bac > $5M")
        enter(p, "def double(x) = x * 2")
        p.send("print \"big={count(big)} d={double(21)}\"\r")
        XCTAssertTrue(p.expect("big=4 d=42"), p.screenText)
    }

    func testTabCompletesFieldAndEnumValue() throws {
        let p = try start()
        // `statu` → `status` (status and status_age share it), then `r` → `red`.
        p.send("count(projects where statu")
        p.send(PTYProcess.tab)
        p.send(" = r")
        p.send(PTYProcess.tab)
        p.send(") * 1000 + 7\r")
        XCTAssertTrue(p.expect("6007"), p.screenText)
    }

    func testTabListsFieldCandidatesInColumns() throws {
        let p = try start()
        p.send("projects where sta")
        p.send(PTYProcess.tab)
        XCTAssertTrue(p.expect("status_age"), p.screenText)
        let listing = p.screenText.split(separator: "\n").first { $0.contains("status_age") } ?? ""
        XCTAssertTrue(listing.contains("start") && listing.contains("state") && listing.contains("status "), String(listing))
        p.send(PTYProcess.ctrlC)
        enter(p, "")
    }

    func testTabCompletesSetAndProjectIds() throws {
        let p = try start()
        p.send("count(milest")
        p.send(PTYProcess.tab)
        p.send(") + 1000\r")
        XCTAssertTrue(p.expect("1152"), p.screenText)
        p.send("project \"PRJ-00")
        p.send(PTYProcess.tab)
        XCTAssertTrue(p.expect("PRJ-0001"), p.screenText)
        XCTAssertTrue(p.expect("PRJ-0037"), p.screenText)
        p.send("37")
        p.send(PTYProcess.tab)
        p.send(".code\r")
        XCTAssertTrue(p.expect("\r\nCX-MOB\r\n"), p.screenText)
    }

    func testCtrlCAtThePromptClearsTheLine() throws {
        let p = try start()
        p.send("projects where nonsense")
        p.send(PTYProcess.ctrlC)
        XCTAssertTrue(p.expect("pmo> "), p.screenText)
        p.send("print \"clean\"\r")
        XCTAssertTrue(p.expect("\nclean"), p.screenText)
        XCTAssertFalse(p.screenText.contains("nonsense'"), p.screenText)
    }

    func testCtrlCCancelsALongQuery() throws {
        let p = try start()
        enter(p, "def f(n) = if n <= 0 then 0 else f(n - 1) + f(n - 1)")
        p.send("f(40)\r")
        p.drain(0.7)
        let sent = Date()
        p.send(PTYProcess.ctrlC, settle: 0)
        XCTAssertTrue(p.expect("interrupted", timeout: 5), p.screenText)
        let elapsed = Date().timeIntervalSince(sent)
        XCTAssertTrue(p.expect("pmo> ", timeout: 2), p.screenText)
        XCTAssertLessThan(elapsed, 4.0, "took \(elapsed) s to cancel (the aim is 0.1 s; a missed Ctrl-C would run for minutes)")
        print("cancelled a running query in \(Int(elapsed * 1000)) ms")
        p.send("print \"after\"\r")
        XCTAssertTrue(p.expect("\nafter"), p.screenText)
    }

    func testCtrlDExitsWithZero() throws {
        let p = try start()
        p.send(PTYProcess.ctrlD)
        XCTAssertEqual(p.waitForExit(), 0, p.screenText)
    }

    func testQuitCommandExitsWithZero() throws {
        let p = try start()
        p.send(".quit\r")
        XCTAssertEqual(p.waitForExit(), 0, p.screenText)
    }

    func testUTF8InputArrivesIntactWithoutALocale() throws {
        let p = try start(env: ["LANG": nil, "LC_ALL": nil, "LC_CTYPE": nil])
        p.send("print length(\"Zürich 東京\")\r")
        XCTAssertTrue(p.expect("\r\n9\r\n"), p.screenText)
        p.send("print \"Zürich 東京\"\r")
        XCTAssertTrue(p.expect("\nZürich 東京"), p.screenText)
    }

    func testHistoryIsSavedPrivatelyAndRecalledInTheNextSession() throws {
        do {
            let p = try start()
            p.send("projects |\r")
            XCTAssertTrue(p.expect("...> "))
            enter(p, "sort id | take 1 | select id")
            enter(p, "print \"first\"")
            enter(p, "print \"first\"")
            p.send(PTYProcess.ctrlD)
            XCTAssertEqual(p.waitForExit(), 0)
        }
        var st = stat()
        XCTAssertEqual(stat(historyFile.path, &st), 0, "no history file at \(historyFile.path)")
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        let text = try String(contentsOf: historyFile, encoding: .utf8)
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.first, "_HiStOrY_V2_")
        // One entry for the two-line input (its line break encoded), one for the repeated print.
        XCTAssertEqual(lines.count, 3, text)
        XCTAssertTrue(lines.contains { $0.contains("projects") && $0.contains("take") }, text)

        let p = try start()
        p.send(PTYProcess.up)
        p.send(PTYProcess.up)
        p.send(PTYProcess.enter)
        XCTAssertTrue(p.expect("│ PRJ-0001 │"), p.screenText)
        XCTAssertTrue(p.expect("(1 row)"), p.screenText)
    }

    func testEmptyPMOHistoryKeepsNoFile() throws {
        let p = try start(env: ["PMO_HISTORY": ""])
        enter(p, "print \"nothing kept\"")
        p.send(PTYProcess.ctrlD)
        XCTAssertEqual(p.waitForExit(), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: historyFile.path))
    }

    func testHelpAndSchema() throws {
        let p = try start()
        p.send(".help where\r")
        XCTAssertTrue(p.expect("keep the rows for which COND is true"), p.screenText)
        p.send(".schema risks\r")
        XCTAssertTrue(p.expect("│ exposure"), p.screenText)
        p.send(".bogus\r")
        XCTAssertTrue(p.expect("unknown command '.bogus'"), p.screenText)
        enter(p, "")
    }

    func testTallResultsGoThroughThePager() throws {
        let p = try start(env: ["PAGER": "sed 's/^/PAGED:/'"])
        p.send("projects | select id\r")
        XCTAssertTrue(p.expect("PAGED:│ PRJ-0037"), p.screenText)
        XCTAssertTrue(p.expect("pmo> "), p.screenText)
    }

    func testNotATerminalReadsAScript() throws {
        let r = try runWithPipes(["--data", REPLBinary.demo], stdin: "let n = count(projects)\nprint \"n={n}\"\n")
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.out, "n=37\n")
        let bad = try runWithPipes(["repl", "--data", REPLBinary.demo], stdin: "projects where\n")
        XCTAssertEqual(bad.status, 65)
        XCTAssertFalse(bad.out.contains("pmo>"))
    }

    /// Runs pmo with standard input and output as pipes (not terminals).
    func runWithPipes(_ args: [String], stdin: String) throws -> (status: Int32, out: String) {
        guard let exe = REPLBinary.path else { throw TestEnvironment.unavailable("the pmo binary was not found", skip: { XCTSkip($0) }) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        for key in ["PMO_DATA", "PMO_WORKSPACE", "PMO_DEMO_DIR"] { env[key] = nil }
        env["HOME"] = home.path
        env["XDG_STATE_HOME"] = stateDir.path
        p.environment = env
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.limit()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        XCTAssertTrue(p.waitUntilExit(within: TestEnvironment.processLimit), "pmo did not finish within \(TestEnvironment.processLimit) s")
        XCTAssertFalse(FileManager.default.fileExists(atPath: historyFile.path), "a script run must not write history")
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
