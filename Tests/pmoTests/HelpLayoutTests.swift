// Every command's --help read in an 80-column terminal (standard output is not a terminal here, so
// swift-argument-parser wraps at 80): no line is longer, and no paragraph is ragged (a sentence cut
// into a long line and a stub because the source's own line breaks were kept).
import XCTest

final class HelpLayoutTests: XCTestCase {
    static let commands = ["", "query", "run", "check", "test", "waive", "waivers", "repl", "init", "import", "export",
                           "generate", "fmt", "runs", "crontab", "due", "journal"]

    func testHelpFitsEightyColumnsWithoutRaggedParagraphs() throws {
        for command in Self.commands {
            let args = (command.isEmpty ? [] : [command]) + ["--help"]
            let r = try PMOProcess.run(args, env: ["COLUMNS": "80"])
            XCTAssertEqual(r.status, 0, "pmo \(args.joined(separator: " ")): \(r.stderr)")
            let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            XCTAssertGreaterThan(lines.count, 3, "pmo \(command) --help printed nothing")
            for (i, line) in lines.enumerated() {
                XCTAssertLessThanOrEqual(line.count, 80, "pmo \(command) --help, line \(i + 1) is \(line.count) columns: \(line)")
                // A stub: a short prose line whose sentence goes on, unindented, on the next line.
                guard i + 1 < lines.count, !line.hasPrefix(" "), !line.isEmpty, line.count < 50,
                      let next = lines[i + 1].first, next.isLowercase else { continue }
                XCTFail("pmo \(command) --help is ragged at line \(i + 1): '\(line)' / '\(lines[i + 1])'")
            }
        }
    }

    func testProseKeepsExamplesAndHeadingsOnTheirLines() throws {
        let r = try PMOProcess.run(["--help"], env: ["COLUMNS": "80"])
        XCTAssertTrue(r.stdout.contains("\nEXAMPLES:\n  pmo -c 'projects where status = red | sort spi | take 5'\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("\nEXIT STATUS:\n  0    success\n"), r.stdout)
    }
}
