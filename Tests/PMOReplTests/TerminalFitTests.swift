// `pmo -c` on a real 80-column pseudo-terminal: tables fitted with judgement (identifiers and names
// whole, money shortened before text is cut) and results taller than the screen through the pager.
import Foundation
import XCTest

final class TerminalFitTests: XCTestCase {
    /// Runs `pmo --data demo -c QUERY` on an 80 × 24 pty and returns the screen text once it exits.
    func run(_ query: String, env: [String: String?] = [:]) throws -> String {
        var environment: [String: String?] = ["PAGER": ""]
        for (k, v) in env { environment[k] = v }
        let p = try PTYProcess(["--data", REPLBinary.demo, "--as-of", "2026-11-20", "-c", query], env: environment,
                               rows: 24, columns: 80)
        XCTAssertEqual(p.waitForExit(), 0, p.screenText)
        p.drain(0.1)
        return p.screenText
    }

    func testEightyColumnsKeepIdsAndNamesAndShortenMoney() throws {
        let screen = try run("projects | sort id | select id, name, status, bac, eac, spi, sponsor | take 3")
        let lines = screen.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(String.init).filter { $0.hasPrefix("│") || $0.hasPrefix("┌") }
        XCTAssertFalse(lines.isEmpty, screen)
        for l in lines { XCTAssertLessThanOrEqual(l.count, 80, l) }
        XCTAssertTrue(screen.contains("│ PRJ-0001 │"), screen)
        XCTAssertTrue(screen.contains("$12.0M"), screen)
        XCTAssertFalse(screen.contains("$12,000,000.00"), screen)
        XCTAssertTrue(screen.contains("SAP S/4HANA"), screen)
        XCTAssertFalse(screen.contains("PRJ-…"), screen)
    }

    /// A trend column keeps its whole sparkline and latest value at 80 columns (cutting it hides the trend).
    func testEightyColumnsKeepSparklines() throws {
        let screen = try run("projects where status = red | sort spi | select id, name, manager = manager.name, spi, cpi, eac, spi_trend = trend(spi)")
        XCTAssertTrue(screen.contains("▆▆▅▄▄▃▃▂▁ 0.84 │"), screen)
        XCTAssertFalse(screen.contains("▆▆▅▄…"), screen)
    }

    func testTallResultsFromDashCGoThroughThePager() throws {
        let screen = try run("milestones | select id | take 100", env: ["PAGER": "sed 's/^/PAGED:/'"])
        XCTAssertTrue(screen.contains("PAGED:(100 rows)"), screen)
        let short = try run("count(projects)", env: ["PAGER": "sed 's/^/PAGED:/'"])
        XCTAssertTrue(short.contains("37"), short)
        XCTAssertFalse(short.contains("PAGED:"), short)
    }

    /// The reproduction: `pmo -c timesheets` (2,037 rows) on a terminal goes through the pager;
    /// piped, the same command writes every row with no pager.
    func testDashCTimesheetsIsPagedOnATerminalOnly() throws {
        let screen = try run("timesheets", env: ["PAGER": "tail -n 1 | sed 's/^/PAGED:/'"])
        XCTAssertTrue(screen.contains("PAGED:(2037 rows)"), screen)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try XCTUnwrap(REPLBinary.path))
        p.arguments = ["--data", REPLBinary.demo, "-c", "timesheets"]
        var env = ProcessInfo.processInfo.environment
        env["PAGER"] = "sed 's/^/PAGED:/'"
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        XCTAssertFalse(text.contains("PAGED:"))
        XCTAssertTrue(text.hasSuffix("(2037 rows)\n"), String(text.suffix(100)))
    }

    /// `--wrap` and `--no-headers`: the prompt's `.wrap on` and `.headers off` on the command line.
    func testWrapAndNoHeadersOnTheCommandLine() throws {
        let query = "projects | sort id | select id, name, description = name + \" — \" + name + \" — \" + name | take 2"
        let cut = try run(query)
        XCTAssertTrue(cut.contains("…"), cut)
        let p = try PTYProcess(["--data", REPLBinary.demo, "--wrap", "-c", query], env: ["PAGER": ""], rows: 24, columns: 80)
        XCTAssertEqual(p.waitForExit(), 0, p.screenText)
        p.drain(0.1)
        let wrapped = p.screenText
        XCTAssertFalse(wrapped.contains("…"), wrapped)
        let lines = wrapped.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).filter { $0.hasPrefix("│") }
        XCTAssertGreaterThan(lines.count, 3, "a wrapped cell takes several lines:\n\(wrapped)")
        for l in lines { XCTAssertLessThanOrEqual(l.count, 80, String(l)) }

        let h = try PTYProcess(["--data", REPLBinary.demo, "--no-headers", "-c", "projects | sort id | select id, status | take 2"],
                               env: ["PAGER": ""], rows: 24, columns: 80)
        XCTAssertEqual(h.waitForExit(), 0, h.screenText)
        h.drain(0.1)
        XCTAssertFalse(h.screenText.contains("status"), h.screenText)
        XCTAssertTrue(h.screenText.contains("PRJ-0001"), h.screenText)
    }
}

final class ExpandedViewTests: XCTestCase {
    func testDashDashExpandedShowsRecords() throws {
        let p = try PTYProcess(["--data", REPLBinary.demo, "--expanded", "-c", "projects | sort id | select id, name, bac | take 2"],
                               env: ["PAGER": ""], rows: 24, columns: 80)
        XCTAssertEqual(p.waitForExit(), 0, p.screenText)
        p.drain(0.1)
        let screen = p.screenText
        XCTAssertTrue(screen.contains("-[ 1 ]"), screen)
        XCTAssertTrue(screen.contains("id   │ PRJ-0001"), screen)
        XCTAssertTrue(screen.contains("name │ SAP S/4HANA Finance Rollout"), screen)
        XCTAssertTrue(screen.contains("bac  │ $12,000,000.00"), screen)
        XCTAssertTrue(screen.contains("-[ 2 ]"), screen)
    }

    func testBackslashXAtThePromptSwitchesTheView() throws {
        let p = try PTYProcess(["--data", REPLBinary.demo], env: ["PAGER": "", "HOME": NSTemporaryDirectory()], rows: 40, columns: 80)
        XCTAssertTrue(p.expect("pmo> "), p.screenText)
        p.send("\\x\r")
        XCTAssertTrue(p.expect("expanded display is on"), p.screenText)
        XCTAssertTrue(p.expect("pmo> "), p.screenText)
        p.send("projects | sort id | select id, status | take 1\r")
        XCTAssertTrue(p.expect("status │ "), p.screenText)
        XCTAssertTrue(p.expect("pmo> "), p.screenText)
        p.send(".expanded off\r")
        XCTAssertTrue(p.expect("expanded display is off"), p.screenText)
    }
}
