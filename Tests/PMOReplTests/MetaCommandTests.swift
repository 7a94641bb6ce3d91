// The `.` commands' parser, the help texts (every example must compile) and the history location.
import PMOBase
import PMORender
@testable import PMORepl
import PMORuntime
import Portfolio
import XCTest

final class MetaCommandTests: XCTestCase {
    func parse(_ s: String) -> MetaCommand? { try? MetaCommand.parse(s).get() }

    func error(_ s: String) -> String? {
        if case .failure(let e) = MetaCommand.parse(s) { return e.message }
        return nil
    }

    func testCommandsAndArguments() {
        XCTAssertEqual(parse(".help"), .help(nil))
        XCTAssertEqual(parse("  .help where "), .help("where"))
        XCTAssertEqual(parse(".schema projects"), .schema("projects"))
        XCTAssertEqual(parse(".format csv"), .format(.csv))
        XCTAssertEqual(parse(".format MD"), .format(.md))
        XCTAssertEqual(parse(".format"), .format(nil))
        XCTAssertEqual(parse(".timer on"), .timer(true))
        XCTAssertEqual(parse(".timer OFF"), .timer(false))
        XCTAssertEqual(parse(".asof 2026-09-30"), .asOf(.day(Day(iso: "2026-09-30")!)))
        XCTAssertEqual(parse(".asof today"), .asOf(.today))
        XCTAssertEqual(parse(".asof"), .asOf(nil))
        XCTAssertEqual(parse(".gantt project \"PRJ-0001\""), .gantt("project \"PRJ-0001\""))
        XCTAssertEqual(error(".gantt"), ".gantt needs a project or tasks: .gantt project \"ID\" | TASKS")
        XCTAssertEqual(parse(".run reports/weekly.pmo"), .run("reports/weekly.pmo"))
        XCTAssertEqual(parse(".run \"my report.pmo\""), .run("my report.pmo"))
        XCTAssertEqual(parse(".load lib/common.pmo"), .load("lib/common.pmo"))
        XCTAssertEqual(parse(".open ~/data"), .open("~/data"))
        XCTAssertEqual(parse(".history"), .history)
        XCTAssertEqual(parse(".quit"), .quit)
        XCTAssertEqual(parse(".exit"), .quit)
        XCTAssertEqual(parse(".mode json"), .format(.json))
        XCTAssertEqual(parse(".format html"), .format(.html))
        XCTAssertEqual(parse(".format jsonl"), .format(.jsonl))
        XCTAssertEqual(parse(".expanded on"), .expanded(true))
        XCTAssertEqual(parse(".expanded off"), .expanded(false))
        XCTAssertEqual(parse(".expanded"), .expanded(nil))
        XCTAssertEqual(parse("\\x"), .expanded(nil))
        XCTAssertTrue(MetaCommand.looksLikeCommand(" \\x "))
    }

    func testMistakesSayWhatToType() {
        XCTAssertEqual(error(".fromat csv"), "unknown command '.fromat'; did you mean '.format'? (.help lists the commands)")
        XCTAssertEqual(error(".format xml"), "unknown format 'xml': use table, csv, json, jsonl, md or html")
        XCTAssertEqual(error(".expanded wide"), ".expanded takes on or off, not 'wide'")
        XCTAssertEqual(error(".timer maybe"), ".timer takes on or off, not 'maybe'")
        XCTAssertEqual(error(".asof yesterday"), "'yesterday' is not a date: write .asof YYYY-MM-DD or .asof today")
        XCTAssertEqual(error(".asof 2026-02-30"), "'2026-02-30' is not a date: write .asof YYYY-MM-DD or .asof today")
        XCTAssertEqual(error(".run"), ".run needs a script file: .run FILE")
        XCTAssertEqual(error(".open"), ".open needs a workspace file or a folder of CSV files: .open PATH")
        XCTAssertEqual(error(".quit now"), ".quit takes no argument")
        XCTAssertEqual(error(".help a b"), ".help takes one argument: .help [TOPIC]")
    }

    func testWhatCountsAsACommand() {
        XCTAssertTrue(MetaCommand.looksLikeCommand(".help"))
        XCTAssertTrue(MetaCommand.looksLikeCommand("  .q"))
        XCTAssertFalse(MetaCommand.looksLikeCommand(".5 * 2"))
        XCTAssertFalse(MetaCommand.looksLikeCommand("projects.count"))
        XCTAssertFalse(MetaCommand.looksLikeCommand("."))
    }

    func testHistoryLocation() {
        XCTAssertEqual(HistoryLocation.path(environment: ["HOME": "/home/ann"]), "/home/ann/.local/state/pmo/history")
        XCTAssertEqual(HistoryLocation.path(environment: ["HOME": "/home/ann", "XDG_STATE_HOME": "/s"]), "/s/pmo/history")
        XCTAssertEqual(HistoryLocation.path(environment: ["HOME": "/home/ann", "XDG_STATE_HOME": ""]), "/home/ann/.local/state/pmo/history")
        XCTAssertEqual(HistoryLocation.path(environment: ["HOME": "/h", "PMO_HISTFILE": "/tmp/h"]), "/tmp/h")
        XCTAssertNil(HistoryLocation.path(environment: ["HOME": "/h", "PMO_HISTORY": ""]))
        XCTAssertNil(HistoryLocation.path(environment: [:]))
    }

    func testHelpTopicsAnswer() throws {
        let session = try XCTUnwrap(DemoSession.make())
        XCTAssertTrue(Help.topic("where", session: session).contains("keep the rows"))
        XCTAssertTrue(Help.topic("order", session: session).contains("sort KEY"))
        let cpi = Help.topic("cpi", session: session)
        XCTAssertTrue(cpi.contains("on portfolios, programs, projects: number, computed at the as-of date — cost performance index"), cpi)
        XCTAssertTrue(cpi.contains("Example: projects | select id, cpi | take 5"), cpi)
        XCTAssertTrue(Help.topic("utilization", session: session).contains("utilization(PERIOD)"))
        XCTAssertTrue(Help.topic("amber", session: session).contains("amber is a value of rag (green, amber, red)"))
        XCTAssertTrue(Help.topic("risks", session: session).contains("risks — project risks"))
        XCTAssertTrue(Help.topic(".format", session: session).contains(".format table|csv|json|jsonl|md|html"))
        XCTAssertTrue(Help.topic("timer", session: session).contains(".timer on|off"))
        XCTAssertTrue(Help.topic("sum", session: session).hasPrefix("sum(X)"))
        XCTAssertEqual(Help.topic("wher", session: session), "No help on 'wher'. Did you mean 'where'? .help alone lists the topics.\n")
        XCTAssertTrue(Help.overview().contains(".schema [SET]"))
    }

    /// Every example line in the help (and every generated field example) compiles on the demo.
    func testHelpExamplesCompile() throws {
        let session = try XCTUnwrap(DemoSession.make())
        let starts = EntityKind.allCases.map { $0.setName + " " } + ["count(", "let ", "def ", "print ", "as of ", "assert ", "export ", "big "]
        var examples: [String] = []
        for text in HelpTopics.text.values.sorted() + [Help.overview()] {
            for line in text.split(separator: "\n") {
                var l = String(line.drop { $0 == " " })
                if l.hasPrefix("Example: ") { l = String(l.dropFirst(9)) }
                guard starts.contains(where: { l.hasPrefix($0) }), !l.contains(" — "), !l.contains("   "), !l.contains("PIPELINE"),
                      !l.contains("NAME"), !l.contains("COND") else { continue }
                examples.append(l)
            }
        }
        for schema in Catalog.schemas {
            for name in schema.allNames {
                guard let text = Help.field(name), let ex = text.split(separator: "\n").first(where: { $0.hasPrefix("Example: ") }) else { continue }
                examples.append(String(ex.dropFirst(9)))
            }
        }
        XCTAssertGreaterThan(examples.count, 40)
        // Definitions first, so later examples can use them.
        examples.sort { ($0.hasPrefix("let ") || $0.hasPrefix("def ") ? 0 : 1) < ($1.hasPrefix("let ") || $1.hasPrefix("def ") ? 0 : 1) }
        for ex in examples {
            let (_, diags) = session.compile(session.sources.add(name: "<help>", text: ex))
            XCTAssertTrue(diags.isEmpty, "help example does not compile: \(ex)\n\(diags.map(\.message))")
        }
    }
}
