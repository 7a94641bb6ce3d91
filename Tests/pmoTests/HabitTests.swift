// Habits from SQL, spreadsheets, other tools' command lines: each gets an error with a `help:` line
// giving the fix (issue 15). Through the real binary on the bundled demo.
import Foundation
import XCTest

final class HabitTests: XCTestCase {
    /// (what a newcomer types, the error, the help line).
    static let habits: [(query: String, error: String, help: String)] = [
        ("projects where status in (red, amber)", "error: a list is written in square brackets, not parentheses",
         "= help: write 'in [a, b]', as in: status in [red, amber]"),
        ("projects where start > \"2026-01-01\"", "error: cannot compare date with text",
         "= help: a date is written without quotes, as in start > 2026-01-01"),
        ("projects where bac > $1,000,000", "error: a comma is not part of an amount",
         "= help: write $1000000 without thousands separators (or with a scale: $1M)"),
        ("projects where start > 2026/01/01", "error: a date is written with dashes, not slashes",
         "= help: write 2026-01-01"),
        ("projects where start > today - 2 weeks", "error: expected end of line but found 'weeks'",
         "= help: a duration is written as one word: 2w"),
        ("projects where manager = \"Daniel Kim\"", "error: cannot compare person with text",
         "= help: compare its name (or id): manager.name = \"...\""),
        ("projects | count()", "but found 'count'",
         "= help: the number of rows is '| count' (without brackets)"),
        ("projects where name = \u{201C}Alpha\u{201D}", "error: typographic quotes around a text",
         "= help: use straight quotes: \"Alpha\""),
        ("projects | selct id", "but found 'selct'", "= help: did you mean 'select'?"),
    ]

    func testEachHabitGetsItsFix() throws {
        for h in HabitTests.habits {
            let r = try PMOProcess.run(["-c", h.query])
            XCTAssertEqual(r.status, 65, h.query)
            XCTAssertTrue(r.stderr.contains(h.error), "\(h.query):\n\(r.stderr)")
            XCTAssertTrue(r.stderr.contains(h.help), "\(h.query):\n\(r.stderr)")
            // One error each: a pasted text in curly quotes is not three errors.
            XCTAssertTrue(r.stderr.contains("pmo: 1 error in"), "\(h.query):\n\(r.stderr)")
        }
    }

    /// The fixes the hints give work.
    func testTheFixesRun() throws {
        for q in ["count(projects where status in [red, amber])", "count(projects where start > 2026-01-01)",
                  "count(projects where bac > $1M)", "count(projects where start > today - 2w)",
                  "count(projects where manager.name = \"Daniel Kim\")", "projects | count"] {
            let r = try PMOProcess.run(["-c", q])
            XCTAssertEqual(r.status, 0, "\(q): \(r.stderr)")
        }
    }

    func testMisspeltSubcommandIs64WithDidYouMean() throws {
        let r = try PMOProcess.run(["chek", "rules"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("unknown command 'chek'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("did you mean 'pmo check'?"), r.stderr)
        // A script file of that name still runs.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-habit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "count(projects)\n".write(to: dir.appendingPathComponent("chek"), atomically: true, encoding: .utf8)
        let script = try PMOProcess.run(["chek"], cwd: dir)
        XCTAssertEqual(script.status, 0, script.stderr)
        XCTAssertEqual(script.stdout, "37\n")
    }

    func testHelpOnAnUnknownCommandIs64() throws {
        let r = try PMOProcess.run(["help", "nosuch"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("no help on 'nosuch'"), r.stderr)
        let near = try PMOProcess.run(["help", "imprt"])
        XCTAssertEqual(near.status, 64)
        XCTAssertTrue(near.stderr.contains("did you mean 'import'?"), near.stderr)
        XCTAssertEqual(try PMOProcess.run(["help", "import"]).status, 0)
    }

    func testHelpAndCompletionShowEveryOptionAndValue() throws {
        let imp = try PMOProcess.run(["help", "import"])
        for option in ["--workspace", "--quiet", "--as", "--map", "--project"] {
            XCTAssertTrue(imp.stdout.contains(option), "pmo help import lacks \(option):\n\(imp.stdout)")
        }
        let check = try PMOProcess.run(["check", "--help"])
        XCTAssertTrue(check.stdout.contains("junit"), check.stdout)
        XCTAssertTrue(check.stdout.contains("sarif"), check.stdout)
        XCTAssertTrue(check.stdout.contains("jsonl"), check.stdout)
        for shell in ["bash", "zsh", "fish"] {
            let c = try PMOProcess.run(["--generate-completion-script", shell])
            XCTAssertEqual(c.status, 0, c.stderr)
            // fish names long options without their dashes ('workspace=').
            for word in ["junit", "sarif", "jsonl", shell == "fish" ? "'workspace='" : "--workspace", shell == "fish" ? "'quiet'" : "--quiet"] {
                XCTAssertTrue(c.stdout.contains(word), "\(shell) completion lacks \(word)")
            }
        }
    }
}
