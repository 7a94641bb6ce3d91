// The `schedule`, `report`, `section` and `chart` statements in scripts: parsed and printed
// canonically, their syntax errors, `schedule` as a contextual word, a bad cron expression as a
// check error with a caret inside the string, and sparklines.
import Foundation
import Testing
import PMOBase
import PMOSyntax
import Portfolio
@testable import PMORuntime

@Suite struct ScheduleStatementTests {
    @Test func reportScheduleAndChartParseAndPrintCanonically() {
        let text = """
        schedule '0 7 * * MON'
        report "Weekly" {
          section "Health" {
            chart rag(projects where status != green)
            let reds = projects where status = red
            reds | select id, t = trend(spi, 6)
          }

          section "People" { chart utilization(resources, weeks(2026-11-02, 2026-11-29)) }
        }
        let chart = 3
        chart + 1

        """
        let sources = SourceMap()
        let (script, diagnostics) = Parser.parse(sources.add(name: "r.pmo", text: text))
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        let printed = Printer.print(script)
        #expect(printed == """
        schedule "0 7 * * MON"
        report "Weekly" {
          section "Health" {
            chart rag(projects where status != green)
            let reds = projects where status = red
            reds | select id, t = trend(spi, 6)
          }
          section "People" {
            chart utilization(resources, weeks(2026-11-02, 2026-11-29))
          }
        }
        let chart = 3
        chart + 1

        """)
        let (again, _) = Parser.parse(sources.add(name: "again.pmo", text: printed))
        #expect(Printer.print(again) == printed)
    }

    @Test func reportSyntaxErrors() {
        func errors(_ text: String) -> [String] {
            Parser.parse(SourceMap().add(name: "e.pmo", text: text)).1.map(\.message)
        }
        #expect(errors("report \"R\" {\n  count(projects)\n}\n").first == "a report holds sections, as in section \"Red projects\" { ... }, but found 'count'")
        #expect(errors("report \"R\" {\n  section \"A\" {\n    section \"B\" { count(projects) }\n  }\n}\n").first == "a section cannot contain another section")
        #expect(errors("report \"R\" {\n  section \"A\" {\n    schedule \"@daily\"\n  }\n}\n").first == "'schedule' belongs at the top of the script, not inside a report")
        #expect(errors("schedule 42\n").first == "expected a cron expression string after 'schedule', as in schedule \"0 7 * * MON\", but found a number")
        #expect(errors("schedule \"{x} * * * *\"\n").first == "a schedule cannot contain '{...}'")
        #expect(errors("report \"R\" section \"A\" { }\n").first == "expected '{' to start the sections of report \"R\" but found 'section'")
    }

    @Test func scheduleIsAContextualWord() {
        // At the start of a statement and followed by a string it is the statement; elsewhere a name,
        // such as the schedule RAG of a status report.
        let sources = SourceMap()
        let text = """
        schedule "@daily"
        count(status_reports where schedule = red)
        let schedule = 3
        schedule + 1

        """
        let (script, diagnostics) = Parser.parse(sources.add(name: "c.pmo", text: text))
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        #expect(Printer.print(script) == text)
        #expect(ScheduleScanner.scan(sources.add(name: "d.pmo", text: text)).map(\.text) == ["@daily"])
        let store = Fixture.shared
        let session = Session(store: store, sources: sources, options: EngineOptions(asOf: Day(year: 2026, month: 11, day: 20)!),
                              readFile: { _ in nil })
        let (compiled, found) = session.compile(sources.add(name: "e.pmo", text: "count(status_reports where schedule = red)\n"))
        #expect(compiled != nil && found.isEmpty, "\(found.map(\.message))")
    }

    @Test func scheduleIsCheckedWhenTheScriptIsCompiled() {
        let sources = SourceMap()
        let store = PortfolioStore(tables: EntityKind.allCases.map { EntityTable(kind: $0) }, currency: "USD")
        let session = Session(store: store, sources: sources, options: EngineOptions(asOf: Day(year: 2026, month: 11, day: 20)!),
                              readFile: { _ in nil })
        let (ok, none) = session.compile(sources.add(name: "ok.pmo", text: "schedule \"@weekly\"\n"))
        #expect(ok != nil && none.isEmpty)
        let (bad, found) = session.compile(sources.add(name: "bad.pmo", text: "schedule \"0 7 * * FUN\"\n"))
        #expect(bad == nil)
        #expect(found.first?.message.hasPrefix("invalid schedule: day of week: 'FUN'") == true)
        if let d = found.first, let file = sources.file(d.span.file) {
            #expect(file.text(d.span) == "FUN")
        }
    }

    @Test func sparklines() {
        #expect(Sparkline.render([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.render([5, nil, 5]) == "▄ ▄")
        #expect(Sparkline.render([]) == "")
        #expect(Sparkline.render([0.9, 1.1]) == "▁█")
    }
}
