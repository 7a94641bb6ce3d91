// Reports a board reads (issue 15, item 6): bubbles labelled with names, sparklines on one scale with
// their latest value and a note giving the scale, a milestone legend for every mark, and Markdown
// with its charts as SVG files beside the page (--assets). The browser's view is ReportScreenshotTests.
import Foundation
import XCTest

final class ReportBoardTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-board-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func pmo(_ args: [String]) throws -> PMOResult {
        let r = try PMOProcess.run(args, env: ["PMO_WORKSPACE": ""], cwd: dir)
        XCTAssertTrue(r.exited, "pmo crashed: \(r.stderr)")
        return r
    }

    var weekly: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/cron/weekly-status.pmo").path
    }

    func texts(_ svg: String, class cls: String) -> [String] {
        let marker = "class=\"\(cls)\">"
        return svg.components(separatedBy: marker).dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    func testBubblesAreLabelledWithNames() throws {
        let r = try pmo(["-c", "chart cpi_spi(projects where state != closed)", "--format", "html"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let labels = texts(r.stdout, class: "label")
        // Names where they fit (shortened with …), ids only where a name does not fit.
        XCTAssertTrue(labels.contains("Security Awareness &amp; Ph…"), "\(labels)")
        XCTAssertTrue(labels.contains("Enterprise Data Warehou…"), "\(labels)")
        let ids = labels.filter { $0.hasPrefix("PRJ-") }
        XCTAssertGreaterThan(labels.count - ids.count, 20, "\(labels)")
        XCTAssertLessThan(ids.count, 5, "\(labels)")
        // The legend says what colour and size mean, and how many bubbles have no label.
        for legend in [">green<", ">amber<", ">red<", "bubble area = BAC (largest $12M)", "too crowded to label: hover for names"] {
            XCTAssertTrue(r.stdout.contains(legend), legend)
        }
    }

    func testSparklinesShareOneScaleAndShowTheirLatestValue() throws {
        let r = try pmo(["-c", "projects where status = red | sort id | select id, spi, t = trend(spi)", "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = r.stdout.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }.map { $0.split(separator: ",").map(String.init) }
        XCTAssertEqual(rows.count, 6)
        var lines: [String] = []
        for row in rows {
            let cell = row[2]
            // The latest value follows the line and equals the spi column.
            let spi = try XCTUnwrap(Double(row[1]))
            XCTAssertTrue(cell.hasSuffix(" " + String(format: "%.2f", spi)), "\(row)")
            lines.append(String(cell.prefix { $0 != " " }))
        }
        // One scale for all: the lowest point of all rows is ▁ and the highest █, each in one row only
        // (each row scaled to itself would put both in every row), so the six trends differ.
        XCTAssertEqual(lines.filter { $0.contains("▁") }.count, 1, "\(lines)")
        XCTAssertEqual(lines.filter { $0.contains("█") }.count, 3, "\(lines)")
        XCTAssertEqual(Set(lines).count, 6, "\(lines)")

        // The scale is stated under the table at a terminal, in Markdown and in HTML.
        let note = "t: one scale for every row, ▁ = 0.84 to █ = 0.93, over at most the last 12 status dates; the number is the latest value"
        let table = try pmo(["-c", "projects where status = red | select id, t = trend(spi)"])
        XCTAssertTrue(table.stdout.hasSuffix("(6 rows)\n" + note + "\n"), table.stdout)
        let md = try pmo(["-c", "projects where status = red | select id, t = trend(spi)", "--format", "md"])
        XCTAssertTrue(md.stdout.contains("\n_" + note.replacingOccurrences(of: "_", with: "\\_") + "_\n"), md.stdout)
        let html = try pmo(["-c", "projects where status = red | select id, t = trend(spi)", "--format", "html"])
        XCTAssertTrue(html.stdout.contains("<p class=\"note\">" + note + "</p>"), html.stdout)
        // JSON and CSV carry the cells only.
        let json = try pmo(["-c", "projects where status = red | select id, t = trend(spi)", "--format", "json"])
        XCTAssertFalse(json.stdout.contains("one scale"), json.stdout)
    }

    func testTheMilestoneLegendExplainsEveryMark() throws {
        let r = try pmo(["-c", "chart slip(milestones where key)", "--format", "html"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for entry in ["grey ring: baseline date", "open ring: forecast (not done)", "filled: completed",
                      "red: later than baseline", "green: on time or early", "+N d: days after the baseline"] {
            XCTAssertTrue(r.stdout.contains(">\(entry)</text>"), entry)
        }
    }

    func testMarkdownWithAssetsLinksChartFilesBesideThePage() throws {
        let r = try pmo(["run", weekly, "--format", "md", "--output", "out/weekly.md", "--assets", "out/weekly-assets"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let md = try String(contentsOf: dir.appendingPathComponent("out/weekly.md"), encoding: .utf8)
        XCTAssertFalse(md.contains("<svg"), "no inline SVG (GitHub and GitLab strip it)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out/weekly-assets").path).sorted()
        XCTAssertEqual(files.count, 5, "\(files)")
        for kind in ["rag", "cpi_spi", "ev_trend", "slip", "utilization"] {
            let name = try XCTUnwrap(files.first { $0.hasPrefix("chart-\(kind)-") && $0.hasSuffix(".svg") }, kind)
            // Linked relative to the page, so the folder moves with it.
            XCTAssertTrue(md.contains("](weekly-assets/\(name))\n"), "\(kind): \(md)")
            let svg = try String(contentsOf: dir.appendingPathComponent("out/weekly-assets/\(name)"), encoding: .utf8)
            XCTAssertTrue(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-\(kind)\" "), String(svg.prefix(120)))
            XCTAssertTrue(svg.contains("xmlns=\"http://www.w3.org/2000/svg\""), "a standalone SVG file declares its namespace")
            XCTAssertTrue(svg.hasSuffix("</svg>\n"))
        }
        XCTAssertTrue(md.contains("![CPI versus SPI](weekly-assets/chart-cpi_spi-"), md)
        // The same run gives the same files (names from their content).
        XCTAssertEqual(try pmo(["run", weekly, "--format", "md", "--output", "out/again.md", "--assets", "out/weekly-assets"]).status, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out/weekly-assets").path).count, 5)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("out/again.md"), encoding: .utf8), md)

        // To standard output: links relative to the current directory.
        let piped = try pmo(["-c", "chart rag(projects)", "--format", "md", "--assets", "img"])
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertTrue(piped.stdout.contains("](img/chart-rag-"), piped.stdout)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("img").path).count, 1)

        // Only Markdown takes --assets.
        let html = try pmo(["-c", "chart rag(projects)", "--format", "html", "--assets", "img"])
        XCTAssertEqual(html.status, 64)
        XCTAssertTrue(html.stderr.contains("--assets writes the charts of a Markdown page: use it with --format md"), html.stderr)
    }
}
