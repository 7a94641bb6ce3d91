// The REPL loop with scripted input: continuation, persistence, history entries, commands.
import PMOBase
import PMORender
@testable import PMORepl
import PMORuntime
import PMOSyntax
import Foundation
import XCTest

final class ReplLoopTests: XCTestCase {
    /// What the REPL wrote to standard output and error.
    final class Transcript {
        var out = ""
        var err = ""
    }

    var transcript = Transcript()

    func makeRepl(_ inputs: [LineInput]) throws -> (Repl, ScriptedLineReader, TestHost) {
        let host = TestHost(try XCTUnwrap(DemoSession.make()))
        let reader = ScriptedLineReader(inputs)
        var settings = ReplSettings(color: false, format: .table, quiet: true, today: Day(iso: "2026-11-22")!,
                                    paging: false, environment: [:])
        let t = Transcript()
        transcript = t
        settings.out = { t.out += $0 }
        settings.err = { t.err += $0 }
        return (Repl(host: host, reader: reader, settings: settings), reader, host)
    }

    func testIncompleteInputContinuesAndIsOneHistoryEntry() throws {
        let (repl, reader, host) = try makeRepl([.line("let first = projects |"), .line("  sort id |"), .line("  take 1"), .line("def twice(x) = x * 2")])
        XCTAssertEqual(repl.run(), 0)
        XCTAssertEqual(reader.prompts, ["pmo> ", "...> ", "...> ", "pmo> ", "pmo> "])
        XCTAssertEqual(reader.historyEntries, ["let first = projects |\n  sort id |\n  take 1", "def twice(x) = x * 2"])
        XCTAssertEqual(Set(host.session.userNames), ["first", "twice"])
    }

    /// A line that begins with a stage keyword continues the pipeline entered before it (language.md "Layout").
    func testAStageLineContinuesThePipelineAbove() throws {
        let (repl, reader, _) = try makeRepl([.line("projects where status = red"), .line("  sort bac desc"), .line("take 2"),
                                              .line("select id"), .line("count(projects)"), .line("where x")])
        XCTAssertEqual(repl.run(), 0)
        XCTAssertEqual(reader.historyEntries[3], "projects where status = red\n  sort bac desc\ntake 2\nselect id")
        XCTAssertTrue(transcript.out.contains("│ id       │\n├──────────┤\n│ PRJ-0001 │\n│ PRJ-0030 │\n└──────────┘"), transcript.out)
        // After a value that is not a pipeline... `count(projects)` is one too: `where x` continues it and is refused.
        XCTAssertTrue(transcript.err.contains("error:"), transcript.err)
    }

    /// A line beyond the script limits at the prompt (a 5 MB token, a line of 64 KiB and one byte, a
    /// 20 MB paste) is refused at once quoting a short prefix, as `pmo run` refuses it (issue 19); what
    /// was pending goes with it and the session goes on.
    func testAnOversizedLineIsRefusedQuotingAShortPrefix() throws {
        let huge = "let a = \"" + String(repeating: "x", count: 5_000_000) + "\""
        let justOver = "let b = " + String(repeating: "1", count: ScriptLimits.maxLineBytes - 7)
        let giant = String(repeating: "y", count: 20_000_000)
        let (repl, _, host) = try makeRepl([.line("let p = (1 +"), .line(huge), .line(justOver), .line(giant), .line("let c = 3")])
        let started = Date()
        XCTAssertEqual(repl.run(), 0)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertEqual(host.session.userNames, ["c"])
        XCTAssertTrue(transcript.err.contains("<input>:1: line 1 is 5000010 bytes long (it starts 'let a = \"\(String(repeating: "x", count: 31))...')"), transcript.err)
        XCTAssertTrue(transcript.err.contains("line 1 is \(ScriptLimits.maxLineBytes + 1) bytes long"), transcript.err)
        XCTAssertTrue(transcript.err.contains("<input> is 20000000 bytes; an input may be at most 8388608 bytes"), transcript.err)
        XCTAssertLessThan(transcript.err.utf8.count, 1_000)
        // Lines within the limit accumulate up to the script size limit (8 MB), no further.
        XCTAssertNil(ScriptLimits.inputProblem("1 +", pendingBytes: ScriptLimits.maxBytes - 3, name: "<input>"))
        XCTAssertNotNil(ScriptLimits.inputProblem("1 +", pendingBytes: ScriptLimits.maxBytes - 2, name: "<input>"))
    }

    func testCtrlCDropsThePendingInput() throws {
        let (repl, reader, host) = try makeRepl([.line("let a = projects |"), .interrupted, .line("let b = 1")])
        XCTAssertEqual(repl.run(), 0)
        XCTAssertEqual(reader.prompts, ["pmo> ", "...> ", "pmo> ", "pmo> "])
        XCTAssertEqual(host.session.userNames, ["b"])
    }

    func testAnEmptyLineRunsWhatIsPendingAndErrorsDoNotEndTheSession() throws {
        let (repl, reader, host) = try makeRepl([.line("let a = (1 +"), .line(""), .line("let b = nosuchname"), .line("let c = 3")])
        XCTAssertEqual(repl.run(), 0)
        XCTAssertEqual(reader.prompts.count, 5)
        XCTAssertEqual(host.session.userNames, ["c"])
        XCTAssertEqual(transcript.err, """
        <input>:1:13: error: expected an expression after '+' but found end of input
         1 | let a = (1 +
           |             ^
        <input>:1:9: error: unknown name 'nosuchname'
         1 | let b = nosuchname
           |         ^^^^^^^^^^

        """)
    }

    func testResultsInTheChosenFormat() throws {
        let (repl, _, _) = try makeRepl([.line("projects | sort id | take 2 | select id, status"), .line(".format csv"),
                                         .line("projects | sort id | take 2 | select id, status"), .line("count(projects)")])
        XCTAssertEqual(repl.run(), 0)
        XCTAssertTrue(transcript.out.hasPrefix("┌──────────┬────────┐\n│ id       │ status │\n"), transcript.out)
        XCTAssertTrue(transcript.out.hasSuffix("results are shown as csv\nid,status\r\nPRJ-0001,red\r\nPRJ-0002,amber\r\n37\r\n\n"),
                      transcript.out)
        XCTAssertEqual(transcript.err, "")
    }

    func testCommandMistakesAreReported() throws {
        let (repl, _, _) = try makeRepl([.line(".schema projcts"), .line(".frmat csv"), .line(".run /nonexistent/x.pmo")])
        XCTAssertEqual(repl.run(), 0)
        XCTAssertEqual(transcript.err, """
        error: no entity set 'projcts'; did you mean 'projects'? (.schema alone lists them)
        error: unknown command '.frmat'; did you mean '.format'? (.help lists the commands)
        error: cannot read '/nonexistent/x.pmo': no such file

        """)
    }

    func testCommandsChangeSettingsAndQuitEndsTheLoop() throws {
        let (repl, reader, host) = try makeRepl([.line(".format csv"), .line(".timer on"), .line(".asof 2026-09-30"),
                                                 .line(".quit"), .line("let never = 1")])
        XCTAssertEqual(repl.run(), 0)
        XCTAssertEqual(repl.settings.format, .csv)
        XCTAssertTrue(repl.timer)
        XCTAssertEqual(host.session.asOf, Day(iso: "2026-09-30"))
        XCTAssertTrue(repl.rightPrompt.contains("as of 2026-09-30"))
        XCTAssertEqual(reader.prompts.count, 4)
        XCTAssertTrue(host.session.userNames.isEmpty)
        XCTAssertEqual(reader.historyEntries, [".format csv", ".timer on", ".asof 2026-09-30", ".quit"])
    }

    func testRightPromptOmitsTodaysDate() throws {
        let (repl, _, host) = try makeRepl([])
        host.session.asOf = Day(iso: "2026-11-22")!
        XCTAssertEqual(repl.rightPrompt, "demo")
        host.session.asOf = Day(iso: "2026-11-20")!
        XCTAssertEqual(repl.rightPrompt, "demo · as of 2026-11-20")
    }

    func testLoadTakesOnlyDefinitions() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-load-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("defs.pmo")
        try "let reds = projects where status = red\ndef half(x) = x / 2\n".write(to: file, atomically: true, encoding: .utf8)
        let (repl, _, host) = try makeRepl([.line(".load \(file.path)")])
        XCTAssertEqual(repl.run(), 0)
        XCTAssertEqual(Set(host.session.userNames), ["reds", "half"])
    }

    func testTimeText() {
        XCTAssertEqual(Repl.timeText(0.01234), "time: 12.3 ms\n")
        XCTAssertEqual(Repl.timeText(1.5), "time: 1.50 s\n")
        XCTAssertEqual(Repl.timeText(2.05), "time: 2.05 s\n")
    }
}

final class PromptHabitTests: XCTestCase {
    func testTablesHeadersOutputAndOnce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-once-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let once = dir.appendingPathComponent("once.csv").path, out = dir.appendingPathComponent("out.txt").path
        let host = TestHost(try XCTUnwrap(DemoSession.make()))
        let reader = ScriptedLineReader([
            .line(".tables"), .line(".format csv"), .line(".headers off"), .line(".once \(once)"),
            .line("projects | sort id | select id | take 2"), .line("count(projects)"),
            .line(".output \(out)"), .line("count(risks)"), .line("count(issues)"), .line(".output"), .line("1 + 1"),
        ])
        var settings = ReplSettings(color: false, format: .table, quiet: true, today: Day(iso: "2026-11-22")!,
                                    paging: false, environment: [:])
        var screen = ""
        settings.out = { screen += $0 }
        settings.err = { screen += $0 }
        XCTAssertEqual(Repl(host: host, reader: reader, settings: settings).run(), 0)
        let text = screen.replacingOccurrences(of: "\r\n", with: "\n")
        XCTAssertTrue(text.contains("│ projects "), text)  // .tables: the sets and their rows
        func file(_ p: String) throws -> String { try String(contentsOfFile: p, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n") }
        XCTAssertEqual(try file(once), "PRJ-0001\nPRJ-0002\n")  // .headers off: no header row
        XCTAssertTrue(text.contains("\n37\n"), text)  // after .once, results are on the screen again
        XCTAssertEqual(try file(out), "70\n54\n")
        XCTAssertTrue(text.contains("results are shown on the screen\n2"), text)
    }

    /// `.format html` is accepted at the prompt (it was refused): the next result is an HTML page.
    func testFormatHTMLAtThePrompt() throws {
        let host = TestHost(try XCTUnwrap(DemoSession.make()))
        let reader = ScriptedLineReader([.line(".format html"), .line("projects | sort id | select id, status | take 1")])
        var settings = ReplSettings(color: false, format: .table, quiet: true, today: Day(iso: "2026-11-22")!,
                                    paging: false, environment: [:])
        var screen = ""
        settings.out = { screen += $0 }
        settings.err = { screen += $0 }
        XCTAssertEqual(Repl(host: host, reader: reader, settings: settings).run(), 0)
        XCTAssertFalse(screen.contains("error"), screen)
        XCTAssertTrue(screen.contains("<!doctype html>"), screen)
        XCTAssertTrue(screen.contains("<td class=\"nowrap\">PRJ-0001</td>"), screen)
    }

    func testNewCommandsParse() {
        XCTAssertEqual(try MetaCommand.parse(".tables").get(), .schema(nil))
        XCTAssertEqual(try MetaCommand.parse(".headers off").get(), .headers(false))
        XCTAssertEqual(try MetaCommand.parse(".once out.csv").get(), .output("out.csv", once: true))
        XCTAssertEqual(try MetaCommand.parse(".output").get(), .output(nil, once: false))
        XCTAssertEqual(try MetaCommand.parse(".wrap on").get(), .wrap(true))
    }
}
