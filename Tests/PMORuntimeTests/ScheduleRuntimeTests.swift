// The schedule fields where a project cannot be scheduled: a runtime error naming the project and the
// whole cycle, never a silent none; and the graph functions on a cycle.
import Foundation
import Testing
import PMOBase
import PMOSyntax
import Portfolio
@testable import PMORuntime

@Suite struct ScheduleRuntimeTests {
    static func session(_ files: [String: String]) throws -> Session {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-sched-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let store = try PortfolioLoader.load(directory: dir.path)
        return Session(store: store, sources: SourceMap(), options: EngineOptions(asOf: Day(iso: "2026-01-01")!), readFile: { _ in nil })
    }

    static let cycle: [String: String] = [
        "projects.csv": "id,name,start\nP1,Plan,2026-01-05\nP2,Other,2026-01-05\n",
        "tasks.csv": "id,project,name,start,finish\nT1,P1,A,2026-01-05,2026-01-09\nT2,P1,B,2026-01-12,2026-01-13\nT3,P1,C,2026-01-12,2026-01-13\nU1,P2,D,2026-01-05,2026-01-06\n",
        "dependencies.csv": "from,to,type,lag\nT1,T2,FS,0d\nT2,T3,FS,0d\nT3,T2,SS,1bd\nP1,P2,FS,0d\nP2,P1,FS,0d\n",
    ]

    @Test func aCycleIsARuntimeErrorThatPrintsTheWholeCycle() throws {
        let s = try ScheduleRuntimeTests.session(ScheduleRuntimeTests.cycle)
        let r = Fixture.run(#"tasks where project.id = "P1" | select id, early_start"#, session: s)
        #expect(r.diagnostics.isEmpty, "\(r.rendered)")
        #expect(r.runtimeError?.message == "project P1 has no schedule: dependency cycle: T2 → T3 → T2", "\(String(describing: r.runtimeError))")
        // The other project is scheduled.
        let ok = Fixture.run(#"tasks where project.id = "P2" | select id, early_start, critical"#, session: s)
        #expect(ok.runtimeError == nil)
    }

    @Test func scheduleProblemsListsFatalProblemsAndWarnings() throws {
        var files = ScheduleRuntimeTests.cycle
        files["tasks.csv"]! += "U2,P2,E,2026-01-07,2026-01-08\n"
        files["dependencies.csv"]! += "U1,U2,FS,400d\n"
        let s = try ScheduleRuntimeTests.session(files)
        let r = Fixture.run("schedule_problems", session: s)
        #expect(r.runtimeError == nil && r.diagnostics.isEmpty, "\(r.rendered)")
        guard case .table(let t)? = r.outputs.last else { Issue.record("no table"); return }
        #expect(t.rows.map { $0.map { Display.text($0, store: nil) } } == [
            ["P1", "true", "dependency cycle: T2 → T3 → T2"],
            ["P2", "false", "the lag of the FS + 400d link from U1 to U2 is longer than the whole project (4 working days)"],
        ])
        // The warning does not stop P2's schedule: U2 starts 400 calendar days after U1's finish.
        let ok = Fixture.run(#"print task "U2".early_start"#, session: s)
        #expect(ok.outputs.compactMap { o -> String? in if case .text(let t) = o { return t }; return nil } == ["2027-02-11"])
    }

    @Test func graphFunctionsOnACycleEnd() throws {
        let s = try ScheduleRuntimeTests.session(ScheduleRuntimeTests.cycle)
        let r = Fixture.run(#"""
            print count(downstream(project "P1"))
            print depends_on(project "P1", project "P1")
            print count(upstream(task "T3"))
            dependency_cycles | select kind, path
            """#, session: s)
        #expect(r.runtimeError == nil && r.diagnostics.isEmpty, "\(r.rendered) \(String(describing: r.runtimeError))")
        let texts = r.outputs.compactMap { o -> String? in if case .text(let t) = o { return t }; return nil }
        #expect(texts == ["1", "true", "2"])
        guard case .table(let t)? = r.outputs.last else { Issue.record("no table"); return }
        #expect(t.rows.map { $0.map { Display.text($0, store: nil) } } == [["project", "P1 → P2 → P1"], ["task", "T2 → T3 → T2"]])
    }
}
