// Reports and charts end to end: the weekly status example as HTML, Markdown and JSON on the demo
// portfolio (document structure, inline SVG, nothing external), a failing section, and the charts
// and sparklines a person sees at a terminal.
import Foundation
import XCTest

final class ReportTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        XCTAssertEqual(try pmo(["init", "--demo", "--quiet"]).status, 0)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func pmo(_ args: [String]) throws -> PMOResult {
        let r = try PMOProcess.run(args, env: ["PMO_WORKSPACE": ""], cwd: dir)
        XCTAssertTrue(r.exited, "pmo crashed: \(r.stderr)")
        return r
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func read(_ name: String) -> String { (try? String(contentsOfFile: path(name), encoding: .utf8)) ?? "" }

    /// The repository's examples/cron/weekly-status.pmo.
    var weekly: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/cron/weekly-status.pmo").path
    }

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    static let sections = ["Portfolio health", "Projects in red", "Earned value", "Milestones", "People"]

    func testWeeklyReportIsAStandaloneHTMLPageWithInlineSVG() throws {
        let r = try pmo(["run", weekly, "--output", "weekly.html"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "")
        let html = read("weekly.html")
        XCTAssertTrue(html.hasPrefix("<!doctype html>\n<html lang=\"en\">"), String(html.prefix(80)))
        XCTAssertTrue(html.contains("<title>Weekly portfolio status</title>"))
        XCTAssertTrue(html.contains("<h1>Weekly portfolio status</h1>"))
        XCTAssertTrue(html.contains("<p class=\"subtitle\">As of 2026-11-20 · portfolio.db</p>"), html)
        // One section per report section, in order, each in the table of contents.
        var at = html.startIndex
        for (i, name) in ReportTests.sections.enumerated() {
            let heading = "<section class=\"report-section\" id=\"section-\(i + 1)\">\n<h2>\(name)</h2>"
            guard let r = html.range(of: heading, range: at..<html.endIndex) else {
                XCTFail("missing or out of order: \(name)")
                continue
            }
            at = r.upperBound
            XCTAssertTrue(html.contains("<li><a href=\"#section-\(i + 1)\">\(name)</a></li>"), name)
        }
        XCTAssertEqual(count("<section ", in: html), 5)
        XCTAssertEqual(count("</section>", in: html), 5)
        // The five charts, as inline SVG figures.
        for kind in ["rag", "cpi_spi", "ev_trend", "slip", "utilization"] {
            XCTAssertEqual(count("<svg class=\"chart chart-\(kind)\"", in: html), 1, kind)
        }
        XCTAssertEqual(count("<svg ", in: html), 5)
        XCTAssertEqual(count("</svg>", in: html), 5)
        XCTAssertEqual(count("<figure class=\"chart\">", in: html), 5)
        XCTAssertGreaterThanOrEqual(count("<circle ", in: html), 28 + 2 * 25, "bubbles and slip markers")
        XCTAssertTrue(html.contains("<polyline "), "the earned value lines")
        XCTAssertGreaterThanOrEqual(count("<table>", in: html), 4)
        // Nothing is fetched from anywhere.
        for external in ["http:", "https:", "<script", "src=", "url(", "@import", "<link", "<img"] {
            XCTAssertFalse(html.contains(external), external)
        }
        // The red projects carry their SPI sparkline.
        XCTAssertTrue(html.range(of: "<td class=\"nowrap\">[▁▂▃▄▅▆▇█ ]+ 0\\.[0-9]+</td>", options: .regularExpression) != nil)
    }

    func testWeeklyReportAsMarkdownAndJSON() throws {
        let r = try pmo(["run", weekly, "--format", "md", "--output", "weekly.md"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let md = read("weekly.md")
        XCTAssertTrue(md.hasPrefix("# Weekly portfolio status\n\n_As of 2026-11-20 · portfolio.db_\n"), String(md.prefix(120)))
        for name in ReportTests.sections { XCTAssertTrue(md.contains("\n## \(name)\n"), name) }
        XCTAssertTrue(md.contains("| id | name | manager | spi | cpi | eac | spi_trend |"), md)
        XCTAssertEqual(count("<svg class=\"chart chart-", in: md), 5)
        // Each SVG is one HTML block: no blank line inside it.
        for block in md.components(separatedBy: "<svg ").dropFirst() {
            let body = block.components(separatedBy: "</svg>")[0]
            XCTAssertFalse(body.contains("\n\n"), "a blank line inside an SVG block")
        }
        XCTAssertFalse(md.contains("http"), "nothing external")

        let j = try pmo(["run", weekly, "--format", "json"])
        XCTAssertEqual(j.status, 0, j.stderr)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(doc["report"] as? String, "Weekly portfolio status")
        let sections = try XCTUnwrap(doc["sections"] as? [[String: Any]])
        XCTAssertEqual(sections.compactMap { $0["section"] as? String }, ReportTests.sections)
        let health = try XCTUnwrap(sections[0]["outputs"] as? [[String: Any]])
        XCTAssertEqual(health.compactMap { $0["chart"] as? String }, ["rag", "cpi_spi"])
        let rag = try XCTUnwrap(health[0]["data"] as? [[String: Any]])
        XCTAssertEqual(rag.compactMap { $0["status"] as? String }, ["green", "amber", "red"])
    }

    func testAFailingSectionNamesItselfAndLeavesNoFile() throws {
        try Data("""
        report "Board pack" {
          section "Fine" {
            count(projects)
          }
          section "Broken" {
            assert count(projects) = 0, "the portfolio should be empty"
          }
        }

        """.utf8).write(to: dir.appendingPathComponent("broken.pmo"))
        let r = try pmo(["run", "broken.pmo", "--output", "board.html"])
        XCTAssertEqual(r.status, 70)
        XCTAssertTrue(r.stderr.contains("error: section \"Broken\" of report \"Board pack\" failed: assertion failed: the portfolio should be empty"), r.stderr)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        XCTAssertFalse(left.contains { $0.contains("board") }, "\(left)")
        let unwritable = try pmo(["run", weekly, "--output", path("missing/weekly.html")])
        XCTAssertEqual(unwritable.status, 74, unwritable.stderr)
    }

    func testChartsAndSparklinesAtTheTerminal() throws {
        let bars = try pmo(["-c", "chart bars(projects | group by status | select status, n = count())"])
        XCTAssertEqual(bars.status, 0, bars.stderr)
        let lines = bars.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "n by status")
        XCTAssertTrue(lines.contains { $0.hasPrefix("red ") && $0.contains("█") && $0.hasSuffix(" 6") }, bars.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("green ") && $0.hasSuffix(" 19") }, bars.stdout)

        let trend = try pmo(["-c", "projects where id = \"PRJ-0001\" | select id, t = trend(spi, 5)", "--format", "csv"])
        XCTAssertEqual(trend.status, 0, trend.stderr)
        let row = trend.stdout.components(separatedBy: "\r\n")[1]
        XCTAssertTrue(row.hasPrefix("PRJ-0001,"), row)
        // Five points, then the latest value.
        XCTAssertEqual(row.dropFirst(9).prefix(5).count, 5)
        XCTAssertTrue(row.dropFirst(9).prefix(5).allSatisfy { "▁▂▃▄▅▆▇█".contains($0) }, row)
        XCTAssertTrue(row.hasSuffix(" 0.85"), row)

        let rag = try pmo(["-c", "chart rag(projects)"])
        XCTAssertTrue(rag.stdout.contains("Portfolio RAG summary\n37 projects by reported status, as of 2026-11-20\n"), rag.stdout)
        let heat = try pmo(["-c", "chart utilization(resources where id = \"RES-007\", weeks(2026-11-16, 2026-12-13))"])
        XCTAssertTrue(heat.stdout.contains("\nRES-007 Chloe Martin ██ ██ ██ ██\n"), heat.stdout)

        let wrong = try pmo(["-c", "chart rag(milestones)"])
        XCTAssertEqual(wrong.status, 65)
        XCTAssertTrue(wrong.stderr.contains("error: 'chart rag' needs a set of projects but found set of milestones"), wrong.stderr)
        let unknown = try pmo(["-c", "chart pie(projects)"])
        XCTAssertEqual(unknown.status, 65)
        XCTAssertTrue(unknown.stderr.contains("unknown chart 'pie'"), unknown.stderr)
        let csv = try pmo(["-c", "chart rag(projects)", "--format", "csv"])
        XCTAssertTrue(csv.stdout.hasPrefix("status,projects,bac\r\ngreen,19,24465000.00\r\n"), csv.stdout)
    }
}
