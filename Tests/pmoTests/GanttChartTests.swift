// The Gantt chart and the project network end to end: `pmo -c` at a terminal (text) and as HTML
// (inline SVG with bars, baselines, critical path, today), and `.gantt` parsed at the prompt.
import Foundation
import XCTest

final class GanttChartTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-gantt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func pmo(_ args: [String]) throws -> PMOResult {
        let r = try PMOProcess.run(args, env: ["PMO_WORKSPACE": "", "PMO_DATA": ""], cwd: dir)
        XCTAssertTrue(r.exited, "pmo crashed: \(r.stderr)")
        return r
    }

    func testGanttAtATerminalMarksTheCriticalPath() throws {
        let r = try pmo(["-c", #"chart gantt(tasks where project.id = "PRJ-0030")"#])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Gantt chart"), r.stdout)
        XCTAssertTrue(r.stdout.contains("7 tasks, 1 critical, early dates as of 2026-11-20"), r.stdout)
        let launch = r.stdout.split(separator: "\n").first { $0.contains("TSK-00186") } ?? ""
        XCTAssertTrue(launch.hasSuffix(" !"), "the critical task is marked: \(launch)")
        XCTAssertTrue(launch.contains("█"), "a bar: \(launch)")
        let design = r.stdout.split(separator: "\n").first { $0.contains("TSK-00181") } ?? ""
        XCTAssertTrue(design.contains("│") && !design.hasSuffix(" !"), "today's line, not critical: \(design)")
        XCTAssertTrue(r.stdout.contains("▔"), "summary tasks as brackets")
    }

    func testGanttAndNetworkAsHTML() throws {
        let script = dir.appendingPathComponent("g.pmo")
        try Data("""
            report "Schedule" {
              section "Gantt" { chart gantt(tasks where project.id in ["PRJ-0001", "PRJ-0021", "PRJ-0030"]) }
              section "Network" { chart dependencies(projects) }
            }
            """.utf8).write(to: script)
        let r = try pmo(["run", script.path, "--output", dir.appendingPathComponent("g.html").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let html = (try? String(contentsOf: dir.appendingPathComponent("g.html"), encoding: .utf8)) ?? ""
        XCTAssertTrue(html.contains("class=\"chart chart-gantt\""), "gantt svg")
        XCTAssertTrue(html.contains("#cf222e"), "critical bars in red")
        XCTAssertTrue(html.contains("<title>baseline "), "baseline bars")
        XCTAssertTrue(html.contains("today 2026-11-20"), "today line")
        XCTAssertTrue(html.contains("class=\"chart chart-dependencies\""), "network svg")
        XCTAssertTrue(html.contains("PRJ-0033 → PRJ-0037 (FS)"), "a link")
        XCTAssertTrue(html.contains("stroke-dasharray=\"5 3\""), "the cycle is dashed")
        XCTAssertFalse(html.contains("http://") && html.contains("src=\"http"), "nothing fetched")
    }

    func testGanttOfAFewHundredTasksStaysReadable() throws {
        let r = try pmo(["-c", "chart gantt(tasks)", "--format", "md"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("tasks, "), r.stdout)
        let rows = r.stdout.components(separatedBy: "<rect").count
        XCTAssertGreaterThan(rows, 200)
    }

    func testWrongSetIsACheckError() throws {
        let r = try pmo(["-c", "chart gantt(projects)"])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("'chart gantt' needs a set of tasks but found"), r.stderr)
    }
}
