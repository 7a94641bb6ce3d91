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

    func testTallResultsFromDashCGoThroughThePager() throws {
        let screen = try run("milestones | select id | take 100", env: ["PAGER": "sed 's/^/PAGED:/'"])
        XCTAssertTrue(screen.contains("PAGED:(100 rows)"), screen)
        let short = try run("count(projects)", env: ["PAGER": "sed 's/^/PAGED:/'"])
        XCTAssertTrue(short.contains("37"), short)
        XCTAssertFalse(short.contains("PAGED:"), short)
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
