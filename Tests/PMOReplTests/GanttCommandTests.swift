// `.gantt` at the prompt: a project's tasks as a compact text Gantt chart, the critical task marked.
import PMOBase
@testable import PMORepl
import XCTest

final class GanttCommandTests: XCTestCase {
    func testGanttOfAProject() throws {
        let host = TestHost(try XCTUnwrap(DemoSession.make()))
        let reader = ScriptedLineReader([.line(#".gantt project "PRJ-0030""#), .line(".gantt")])
        var settings = ReplSettings(color: false, format: .table, quiet: true, today: Day(iso: "2026-11-20")!,
                                    paging: false, environment: [:])
        let t = ReplLoopTests.Transcript()
        settings.out = { t.out += $0 }
        settings.err = { t.err += $0 }
        XCTAssertEqual(Repl(host: host, reader: reader, settings: settings).run(), 0)
        XCTAssertTrue(t.out.contains("Gantt chart\n7 tasks, 1 critical"), t.out)
        let launch = t.out.split(separator: "\n").first { $0.contains("TSK-00186 Launch and hypercare") } ?? ""
        XCTAssertTrue(launch.hasSuffix(" !"), t.out)
        XCTAssertEqual(t.err, "error: .gantt needs a project or tasks: .gantt project \"ID\" | TASKS\n")
    }
}
