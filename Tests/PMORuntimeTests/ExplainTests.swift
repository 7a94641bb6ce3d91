// `explain`: formulas with their inputs and sources.
import Testing
@testable import PMORuntime

@Suite struct ExplainTests {
    func text(_ q: String) -> String {
        let r = Fixture.run(q)
        guard r.diagnostics.isEmpty else { return r.rendered }
        guard case .text(let t)? = r.outputs.first else { return "no text: \(r.outputs) \(r.runtimeError?.message ?? "")" }
        // Columns are aligned with spaces; compare with runs of spaces collapsed.
        return t.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }.joined(separator: "\n")
    }

    @Test func cpiNamesItsStatusReport() {
        let t = text("explain cpi of project \"PRJ-1\"")
        #expect(t.hasPrefix("cpi of project \"PRJ-1\" (Apollo) as of 2026-11-20 = 0.85"))
        #expect(t.contains("cpi = ev / ac"))
        #expect(t.contains("ev = $850,000.00 status report of 2026-11-13"))
        #expect(t.contains("ac = $1,000,000.00 status report of 2026-11-13"))
    }

    @Test func undefinedRatioSaysWhy() {
        let t = text("explain cpi of project \"PRJ-2\"")
        #expect(t.contains("= none"))
        #expect(t.contains("none when ac = 0"))
    }

    @Test func programRollsUpFromSums() {
        let t = text("explain spi of program \"PRG-1\"")
        #expect(t.contains("Σ over its 2 projects"))
    }

    @Test func actualCostCountsTimesheetRows() {
        #expect(text("explain actual_cost of project \"PRJ-1\"").contains("3 timesheet rows, weeks 2026-11-02 to 2026-11-09"))
    }

    @Test func utilizationListsAllocations() {
        let t = text("explain utilization(2026-12) of resource \"RES-2\"")
        #expect(t.contains("= 100%"))
        #expect(t.contains("allocation = 10% PRJ-1, approved"))
    }

    @Test func explainNeedsAnEntityAndAField() {
        #expect(text("explain cpi of projects").contains("'explain' needs one entity"))
        #expect(text("explain cpx of project \"PRJ-1\"").contains("did you mean 'cpi'?"))
        #expect(text("explain utilization of resource \"RES-1\"").contains("needs a period"))
    }
}
