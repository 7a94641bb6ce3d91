// A `let` is the pipeline it names (issue 12, item 2): `P | S` and `let x = P` then `x | S` give the same
// table or the same error. And after `group by` a value is a key or an aggregate, never an arbitrary row.
import Testing
import PMOBase
import PMOSyntax
@testable import PMORuntime

@Suite struct PipelineShapeTests {
    /// The answer of a run as comparable text: the table's cells, or the errors' messages (no locations).
    static func answer(_ r: Fixture.Run) -> String {
        if !r.diagnostics.isEmpty { return "ERROR " + r.diagnostics.map { $0.message + " | " + ($0.help ?? "") }.joined(separator: "; ") }
        if let e = r.runtimeError { return "RUNTIME " + e.message }
        guard case .table(let t)? = r.outputs.last else { return "OTHER \(r.outputs)" }
        return t.columns.map(\.name).joined(separator: ",") + "\n"
            + t.rows.map { $0.map { Display.text($0, store: Fixture.shared) }.joined(separator: ",") }.joined(separator: "\n")
    }

    /// (the named part, the stages after it, whether it answers)
    @Test(arguments: [
        ("projects where bac > $1M | extend o = bac - ac", "select id, program.name, actual_cost, o", true),
        ("projects | sort bac desc | take 3", "select id, manager.name", true),
        ("projects | select id, bac", "where bac > $1M | select id", true),
        ("projects | select id, bac", "where ac > $1M", false),
        ("projects | select id, bac", "sort status", false),
        ("projects | select id, bac", "select id, name", false),
        ("projects | select id, b = bac", "extend c = b * 2 | select id, c", true),
        ("projects | group by program | select program, n = count()", "select program.name, n", true),
        ("projects | group by program | select program, n = count()", "where bac > $1M", false),
        ("projects | aggregate n = count(), total = sum(bac)", "select n, total", true),
        ("projects | distinct program", "select program.name", true),
        ("projects | distinct program", "where status = red", false),
        ("resources | expand w in weeks(2026-W47, 2026-W48)", "select name, w, u = utilization(w)", true),
    ])
    func letAndPipelineAgree(_ named: String, _ rest: String, _ answers: Bool) {
        let inline = Self.answer(Fixture.run("\(named) | \(rest)"))
        let viaLet = Self.answer(Fixture.run("let x = \(named)\nx | \(rest)"))
        #expect(inline == viaLet, "\(named) | \(rest)")
        #expect(inline.hasPrefix("ERROR") != answers, "\(named) | \(rest): \(inline)")
    }

    @Test func afterSelectTheErrorListsTheColumns() {
        let r = Fixture.run("projects | select id, bac | sort status")
        #expect(r.rendered.contains("test.pmo:1:34: error: the rows here are a table with the columns id, bac; it has no column 'status'"), "\(r.rendered)")
        #expect(r.rendered.contains("filter or sort before 'select'"), "\(r.rendered)")
    }

    /// A value that is neither a group key nor inside an aggregate is a check error with a hint.
    @Test(arguments: [
        ("projects | group by program | select program, n = count(), name", "1:60", "'name' is not a group key and is not inside an aggregate"),
        ("projects | group by program.name | select program.name, bac", "1:57", "'bac' is not a group key"),
        ("projects | extend b = bac | group by program | select program, b", "1:64", "'b' is not a group key"),
        ("projects | group by program | aggregate n = count(), s = status", "1:58", "'status' is not a group key"),
        ("projects | aggregate n = count(), x = name", "1:39", "'name' is not a group key and is not inside an aggregate: it would be one arbitrary row of the group; in 'aggregate' every value must be an aggregate"),
        ("projects | group by program | select program, t = this", "1:51", "'this' is not a group key"),
        ("projects | group by program | select program, n = count(milestones)", "1:57", "'milestones' is a collection of one row of the group"),
        ("projects | group by program | select program, c = sum(timesheets.cost)", "1:55", "'timesheets.cost' is a collection of one row of the group"),
        ("resources | group by role | select role, u = utilization(2026-11)", "1:46", "'utilization' is not a group key"),
    ])
    func ungroupedValuesAreCheckErrors(_ text: String, _ at: String, _ message: String) {
        let r = Fixture.run(text)
        #expect(r.rendered.contains("test.pmo:\(at): error: \(message)"), "\(text): \(r.rendered)")
        #expect(r.rendered.contains("help: "), "\(text): \(r.rendered)")
    }

    /// Keys, expressions written as keys, paths from a key and aggregates are accepted.
    @Test(arguments: [
        ("projects | group by program.name | select program.name, n = count() | sort name", ["Commerce", "ERP"]),
        ("projects | group by program | select program.name, n = count(), b = sum(bac) | sort name", ["Commerce", "ERP"]),
        ("projects | group by p = program | select p.name | sort name", ["Commerce", "ERP"]),
        ("projects | group by program | select n = sum(count(milestones)), program | sort n", ["0", "4"]),
        ("projects | extend m = count(milestones) | group by program | select t = sum(m) | sort t", ["0", "4"]),
        ("projects | group by status | select status, names = list(name) | sort status | take 1", ["green"]),
    ])
    func keysAndAggregatesAreAccepted(_ text: String, _ want: [String]) {
        #expect(Fixture.column(text) == want, "\(text)")
    }
}
