// Vectorised stages (where, extend, select and sort over whole columns, sort then take as a bounded heap)
// give exactly the rows of the row-by-row evaluation. Each query is compared with a form the batch
// path does not take (`... and true`, `if true then ... else none`, a `where true` between sort and take).
import Foundation
import Testing
import PMOBase
import PMOSyntax
import Portfolio
@testable import PMORuntime

@Suite struct VectorisedTests {
    /// Resources with none and zero capacity, and open-ended, overlapping, requested, stateless and
    /// percentless allocations.
    static let capacityFiles: [String: String] = Fixture.files.merging([
        "resources.csv": """
        id,name,role,department,capacity,rate,active
        RES-1,Kim,Developer,IT,40,100,true
        RES-2,Lee,Analyst,Finance,40,80,false
        RES-3,Max,Tester,IT,0,60,
        RES-4,Ola,Tester,IT,,60,true
        RES-5,Pia,Lead,IT,37.5,90,true
        RES-6,Quin,Lead,IT,40,90,true
        """ + "\n",
        "allocations.csv": """
        resource,project,start,finish,percent,state
        RES-1,PRJ-1,2026-01-01,2026-06-30,0.6,approved
        RES-1,PRJ-2,2026-03-15,,0.5,approved
        RES-1,PRJ-3,,2026-02-10,30%,requested
        RES-2,PRJ-1,2026-01-01,2026-12-31,10%,approved
        RES-2,PRJ-2,2026-01-01,2026-12-31,20%,approved
        RES-2,PRJ-3,2026-01-01,2026-12-31,70%,approved
        RES-2,PRJ-3,2026-06-30,2026-06-30,0.01%,approved
        RES-3,PRJ-1,2026-05-01,2026-05-31,10%,approved
        RES-4,PRJ-1,2026-02-01,2026-02-28,20%,approved
        RES-5,PRJ-1,,,100%,approved
        RES-5,PRJ-2,2026-06-15,,50%,approved
        RES-6,PRJ-1,2026-06-01,2026-06-30,50%,
        RES-6,PRJ-1,2026-06-01,2026-06-30,,approved
        RES-6,PRJ-1,2026-06-12,2026-06-03,80%,approved
        RES-6,PRJ-2,2026-07-04,2026-07-05,100%,approved
        """ + "\n",
    ]) { _, new in new }

    static let store: PortfolioStore? = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-vectorised-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for (name, text) in capacityFiles {
                try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
            return try PortfolioLoader.load(directory: dir.path)
        } catch { return nil }
    }()

    /// Every cell of the last table `text` produces (on `store`, else the shared fixture), as text.
    static func cells(_ text: String, capacity: Bool = true) -> [[String]] {
        let st = capacity ? store ?? Fixture.shared : Fixture.shared
        let session = Session(store: st, sources: SourceMap(),
                              options: EngineOptions(asOf: Day(year: 2026, month: 11, day: 20) ?? Day(raw: 0)),
                              readFile: { _ in nil })
        let r = Fixture.run(text, session: session)
        guard r.diagnostics.isEmpty, r.runtimeError == nil, case .table(let t)? = r.outputs.last else {
            return [["ERROR: " + r.rendered + (r.runtimeError?.message ?? "")]]
        }
        return t.rows.map { $0.map { Display.text($0, store: st) } }
    }

    static let ranges = ["weeks(2025-12-01, 2027-01-31)", "months(2025-11-01, 2027-02-28)",
                         "[2026-06-06, 2026-06-08, 2026-06-30, 2026-02-28, 2026-07-04]"]

    @Test func capacityFieldsOverExpandedPeriods() {
        #expect(VectorisedTests.store != nil)
        for list in VectorisedTests.ranges {
            let base = "resources | expand w in \(list)"
            let fast = VectorisedTests.cells("\(base) | where overallocated(w) | extend u = utilization(w), c = capacity(w), a = allocated(w), q = requested(w) | select id, w, u, c, a, q")
            let slow = VectorisedTests.cells("\(base) | where overallocated(w) and true | extend u = if true then utilization(w) else none, c = if true then capacity(w) else none, a = if true then allocated(w) else none, q = if true then requested(w) else none | select id, w, u, c, a, q")
            #expect(!fast.isEmpty)
            #expect(fast == slow)
            let all = VectorisedTests.cells("\(base) | extend o = overallocated(w), u = utilization(w) | select id, w, o, u")
            let allSlow = VectorisedTests.cells("\(base) | extend o = if true then overallocated(w) else none, u = if true then utilization(w) else none | select id, w, o, u")
            #expect(all == allSlow)
        }
    }

    @Test func capacityFieldsWithAConstantPeriod() {
        for p in ["2026-06", "2026-W27", "2026-06-06", "2026-Q2", "2026-07-04"] {
            let fast = VectorisedTests.cells("resources where overallocated(\(p)) | extend u = utilization(\(p)) | select id, u")
            let slow = VectorisedTests.cells("resources where overallocated(\(p)) and true | extend u = if true then utilization(\(p)) else none | select id, u")
            #expect(fast == slow)
        }
        // RES-1 110% from 2026-03-15, RES-2 100.01% on the 30th, RES-5 150% from the 15th; RES-3 (no
        // capacity) is allocated in May only, when RES-5 is at exactly 100%.
        #expect(VectorisedTests.cells("resources where overallocated(2026-06) | select id") == [["RES-1"], ["RES-2"], ["RES-5"]])
        #expect(VectorisedTests.cells("resources where overallocated(2026-05) | select id") == [["RES-1"], ["RES-3"]])
    }

    @Test func booleanFields() {
        for q in ["milestones where overdue", "resources where active", "milestones where key"] {
            let fast = VectorisedTests.cells("\(q) | select id")
            let slow = VectorisedTests.cells("\(q) and true | select id")
            #expect(fast == slow)
        }
        #expect(VectorisedTests.cells("milestones where overdue | select id", capacity: false) == [["MS-2"], ["MS-3"]])
        #expect(VectorisedTests.cells("resources where active | select id") == [["RES-1"], ["RES-4"], ["RES-5"], ["RES-6"]])
        // A different as-of date moves what is overdue.
        #expect(VectorisedTests.cells("milestones | as of 2026-09-10 | where overdue | select id", capacity: false) == [["MS-2"]])
    }

    @Test func storedFieldAgainstAConstant() {
        // Each condition is compared with the same condition forced row by row (`and true`), on both
        // orders of its operands; none, a value the field cannot hold and another currency included.
        let conditions = [
            "projects where phase = execution", "projects where phase != execution", "projects where phase = 'planning'",
            "projects where execution = phase", "projects where phase < execution", "projects where phase >= planning",
            "projects where bac > $1M", "projects where bac <= 800000", "projects where $1M < bac", "projects where bac = 2000000",
            "projects where bac != $800000", "projects where contingency = $100000", "projects where contingency != 0",
            "projects where start < 2026-03-01", "projects where finish >= 2026-12-15", "projects where 2026-06-01 = start",
            "projects where priority > 30", "projects where priority = 10", "projects where code = \"AP\"",
            "projects where code != \"AP\"", "projects where code = \"nothing\"", "projects where code != \"nothing\"",
            "projects where id = \"PRJ-3\"", "risks where state = open", "risks where probability > 50%",
            "risks where cost_impact >= $200000", "resources where capacity > 37", "resources where capacity = 0", "resources where capacity > capacity / 2",
            "issues where state != closed", "milestones where completed > 2026-01-01",
        ]
        for c in conditions {
            let fast = VectorisedTests.cells("\(c) | select id", capacity: false)
            let slow = VectorisedTests.cells("\(c) and true | select id", capacity: false)
            let failed = fast.first?.first?.hasPrefix("ERROR") ?? false
            #expect(!failed, "\(c): \(fast)")
            #expect(fast == slow, "\(c)")
        }
        #expect(VectorisedTests.cells("projects where bac > $1M | select id", capacity: false) == [["PRJ-1"], ["PRJ-3"]])
        #expect(VectorisedTests.cells("risks where state = open | select id", capacity: false) == [["RSK-1"], ["RSK-2"]])
        // A project's status is its latest report's RAG, not the stored column: not taken column-wise.
        #expect(VectorisedTests.cells("projects where status = red | select id", capacity: false) == [["PRJ-1"]])
        #expect(VectorisedTests.cells("projects where status = amber | select id", capacity: false) == [["PRJ-3"]])
    }

    @Test func sortThenTakeKeepsTheFirstRows() {
        let base = "resources | expand w in weeks(2026-01-01, 2026-12-31) | extend u = utilization(w)"
        for keys in ["u desc, id, w", "u, w desc", "id desc", "w", "u desc"] {
            for n in [0, 1, 3, 20, 500, 1000] {
                let fast = VectorisedTests.cells("\(base) | sort \(keys) | take \(n) | select id, w, u")
                let slow = VectorisedTests.cells("\(base) | sort \(keys) | where true | take \(n) | select id, w, u")
                #expect(fast == slow, "sort \(keys) | take \(n)")
            }
        }
        let t = VectorisedTests.cells("let load = \(base)\nload | sort u desc, id, w | take 4 | select id, w, u")
        #expect(t.map { $0[0] } == ["RES-5", "RES-5", "RES-5", "RES-5"])
    }

    @Test func sortedFirstRowsMatchAFullSort() {
        // Many equal keys: the heap must keep the stable order of a full sort.
        let keys = (0..<200).map { ($0 * 7919) % 13 }
        let less: (Int, Int) -> Bool = { a, b in keys[a] != keys[b] ? keys[a] < keys[b] : a < b }
        let full = Array(0..<200).sorted(by: less)
        for k in [0, 1, 2, 12, 13, 14, 100, 199, 200] {
            #expect(Compiler.firstRows(k, of: 200, by: less) == Array(full.prefix(k)))
        }
    }
}
