// `explain FIELD of ENTITY`: a computed field's formula, each input's value and where it came from.
import PMOBase
import PMOSyntax
import Portfolio

/// An explanation of one computed value, ready to print.
struct Explanation {
    var title: String
    var formula: String
    var inputs: [(name: String, value: String, source: String)]

    var text: String {
        var lines = [title, "  " + formula]
        let width = inputs.map(\.name.count).max() ?? 0
        let vwidth = inputs.map(\.value.count).max() ?? 0
        for i in inputs {
            let name = i.name + String(repeating: " ", count: max(0, width - i.name.count))
            let value = String(repeating: " ", count: max(0, vwidth - i.value.count)) + i.value
            lines.append("  \(name) = \(value)   \(i.source)")
        }
        return lines.joined(separator: "\n")
    }
}

enum Explainer {
    static func money(_ f: Fixed?, _ c: String) -> String { f.map { Display.money($0, c) } ?? "none" }
    static func ratio(_ d: Double?) -> String { d.map(Display.real) ?? "none" }

    /// Explains `field` (with an optional period argument) of entity `row` of `kind` at `ctx.asOf`.
    static func explain(_ field: String, period: Period?, kind: EntityKind, row: Int32, ctx: Ctx, value: Value) -> Explanation? {
        let st = ctx.store
        let label = "\(kind.singular) \"\(Display.entityLabel(st, kind, row))\""
        let name = st.table(kind).column("name")?.string(Int(row)).map { " (\($0))" } ?? ""
        let asOf = ctx.asOf
        let shown = Display.text(value, store: st)
        let title = "\(field)\(period.map { "(\($0))" } ?? "") of \(label)\(name) as of \(asOf) = \(shown)"
        let cur = st.currency
        switch (kind, field) {
        case (.project, "pv"), (.project, "ev"), (.project, "ac"), (.project, "cv"), (.project, "sv"), (.project, "cpi"),
             (.project, "spi"), (.project, "eac"), (.project, "etc"), (.project, "vac"), (.project, "tcpi"):
            let e = st.evm(project: row, asOf: asOf)
            let src = e.statusReport.flatMap { r in
                st.table(.statusReport).column("as_of").map { "status report of \(Day(raw: $0.codes[Int(r)]))" }
            } ?? "no status report on or before \(asOf)"
            return evm(field, e, title: title, reportSource: src, bacSource: "bac of the project", currency: cur)
        case (.program, _), (.portfolio, _):
            guard let ri = Catalog.schemas[kind.rawValue].toMany.firstIndex(where: { $0.name == "projects" }) else { return nil }
            let projects = st.related(kind, relationship: ri, row: row)
            let e = st.evmRollup(projects: projects, asOf: asOf)
            let src = "Σ over its \(projects.count) projects' latest status reports"
            return evm(field, e, title: title, reportSource: src, bacSource: "Σ bac of its \(projects.count) projects", currency: cur)
        case (.project, "actual_cost"):
            let rows = st.timesheetsByProject.slice(row)
            var n = 0
            var first: Day?, last: Day?
            if let wk = st.table(.timesheet).column("week") {
                for r in rows where Day(raw: wk.codes[Int(r)]) <= asOf {
                    n += 1
                    let d = Day(raw: wk.codes[Int(r)])
                    if first == nil || d < first! { first = d }
                    if last == nil || d > last! { last = d }
                }
            }
            let span = first.map { f in "weeks \(f) to \(last ?? f)" } ?? "no weeks"
            return Explanation(title: title, formula: "actual_cost = Σ timesheets.cost (week ≤ \(asOf))",
                               inputs: [("Σ cost", shown, "\(n) timesheet rows, \(span)")])
        case (.project, "status"):
            if let r = st.latestStatusReport(project: row, asOf: asOf), let d = st.table(.statusReport).column("as_of") {
                return Explanation(title: title, formula: "status = overall of the latest status report",
                                   inputs: [("overall", shown, "status report of \(Day(raw: d.codes[Int(r)]))")])
            }
            return Explanation(title: title, formula: "status = the imported status (no status report on or before \(asOf))",
                               inputs: [("status", shown, "projects.status")])
        case (.project, "computed_status"):
            let e = st.evm(project: row, asOf: asOf)
            let t = st.thresholds
            func band(_ d: Double?) -> String { d.map { ["green", "amber", "red"][Int(st.band($0))] } ?? "none" }
            return Explanation(title: title,
                               formula: "computed_status = worse of the CPI and SPI bands (green ≥ \(t.green), amber ≥ \(t.amber), else red)",
                               inputs: [("cpi", ratio(e.cpi), "band \(band(e.cpi))"), ("spi", ratio(e.spi), "band \(band(e.spi))")])
        case (.risk, "level"), (.risk, "score"), (.risk, "exposure"):
            let t = st.table(.risk)
            let p = t.column("probability").flatMap { c in c.nulls.isNone(Int(row)) ? nil : Fixed(units: c.ints[Int(row)]) }
            let impact = t.column("impact").flatMap { c in c.nulls.isNone(Int(row)) ? nil : c.ints[Int(row)] }
            let cost = t.column("cost_impact").flatMap { c in c.nulls.isNone(Int(row)) ? nil : Fixed(units: c.ints[Int(row)]) }
            let formula = field == "exposure" ? "exposure = probability × cost_impact"
                : field == "score" ? "score = level × impact (level 1-5 from probability: ≤10% 1, ≤30% 2, ≤50% 3, ≤70% 4, else 5)"
                : "level = 1-5 from probability (≤10% 1, ≤30% 2, ≤50% 3, ≤70% 4, else 5)"
            var inputs = [("probability", p.map(Display.percent) ?? "none", "risks.probability"),
                          ("level", st.riskLevel(row).map(String.init) ?? "none", "from the probability")]
            if field == "score" { inputs.append(("impact", impact.map { String($0) } ?? "none", "risks.impact")) }
            if field == "exposure" { inputs.append(("cost_impact", money(cost, cur), "risks.cost_impact")) }
            return Explanation(title: title, formula: formula, inputs: inputs)
        case (.milestone, "overdue"), (.milestone, "slip"):
            let t = st.table(.milestone)
            func date(_ n: String) -> String {
                t.column(n).map { c in c.nulls.isNone(Int(row)) ? "none" : Day(raw: c.codes[Int(row)]).description } ?? "none"
            }
            let formula = field == "overdue" ? "overdue = due < \(asOf) and not completed by then"
                : "slip = (completed, else forecast, else due) - baseline_due, in days"
            return Explanation(title: title, formula: formula, inputs: [
                ("due", date("due"), "milestones.due"), ("completed", date("completed"), "milestones.completed"),
                ("forecast", date("forecast"), "milestones.forecast"), ("baseline_due", date("baseline_due"), "milestones.baseline_due"),
            ])
        case (.resource, "capacity"), (.resource, "allocated"), (.resource, "requested"), (.resource, "utilization"), (.resource, "overallocated"):
            guard let p = period else { return nil }
            let weekly = st.table(.resource).column("capacity").flatMap { c in c.nulls.isNone(Int(row)) ? nil : Fixed(units: c.ints[Int(row)]) }
            let days = Day.workingDays(from: p.start, to: p.end)
            var inputs: [(String, String, String)] = [
                ("capacity", st.capacity(resource: row, period: p).map { Display.trimmed($0, digits: 2) + "h" } ?? "none",
                 "\(weekly.map { Display.trimmed($0, digits: 2) } ?? "none") h/week × \(days) working days / 5"),
            ]
            if let ai = Catalog.schemas[EntityKind.resource.rawValue].toMany.firstIndex(where: { $0.name == "allocations" }) {
                let at = st.table(.allocation)
                for a in st.related(.resource, relationship: ai, row: row) {
                    let proj = at.column("project").map { c in Display.entityLabel(st, .project, c.codes[Int(a)]) } ?? "?"
                    let pct = at.column("percent").flatMap { c in c.nulls.isNone(Int(a)) ? nil : Fixed(units: c.ints[Int(a)]) }
                    let state = at.column("state").map { c in c.smalls[Int(a)] == Column.noneSmall ? "none" : EnumType.allocationState.cases[Int(c.smalls[Int(a)])] } ?? "?"
                    inputs.append(("allocation", pct.map(Display.percent) ?? "none", "\(proj), \(state)"))
                }
            }
            inputs.append(("allocated", st.allocated(resource: row, period: p, approved: true).map { Display.trimmed($0, digits: 2) + "h" } ?? "none",
                           "Σ approved percent × weekly capacity × overlapping working days / 5"))
            return Explanation(title: title, formula: "utilization = allocated / capacity; overallocated = allocated > capacity", inputs: inputs)
        default:
            // Other computed fields: their definition from the model's catalogue.
            guard let def = Catalog.schemas[kind.rawValue].computedDef(field) else { return nil }
            return Explanation(title: title, formula: "\(field) = \(def.doc)", inputs: [])
        }
    }

    static func evm(_ field: String, _ e: EVMFigures, title: String, reportSource: String, bacSource: String, currency c: String) -> Explanation {
        let formulas: [String: String] = [
            "pv": "pv = planned value", "ev": "ev = earned value", "ac": "ac = actual cost",
            "bac": "bac = budget at completion",
            "cv": "cv = ev - ac", "sv": "sv = ev - pv", "cpi": "cpi = ev / ac (none when ac = 0)",
            "spi": "spi = ev / pv (none when pv = 0)", "eac": "eac = bac / cpi (none when cpi is none or 0)",
            "etc": "etc = eac - ac", "vac": "vac = bac - eac", "tcpi": "tcpi = (bac - ev) / (bac - ac) (none when bac = ac)",
        ]
        var inputs: [(String, String, String)] = []
        let needs: [String: [String]] = [
            "pv": ["pv"], "ev": ["ev"], "ac": ["ac"], "bac": ["bac"], "cv": ["ev", "ac"], "sv": ["ev", "pv"],
            "cpi": ["ev", "ac"], "spi": ["ev", "pv"], "eac": ["bac", "ev", "ac", "cpi"], "etc": ["bac", "ev", "ac", "eac"],
            "vac": ["bac", "ev", "ac", "eac"], "tcpi": ["bac", "ev", "ac"],
        ]
        for n in needs[field] ?? [] {
            switch n {
            case "pv": inputs.append(("pv", money(e.pv, c), reportSource))
            case "ev": inputs.append(("ev", money(e.ev, c), reportSource))
            case "ac": inputs.append(("ac", money(e.ac, c), reportSource))
            case "bac": inputs.append(("bac", money(e.bac, c), bacSource))
            case "cpi": inputs.append(("cpi", ratio(e.cpi), "ev / ac"))
            case "eac": inputs.append(("eac", money(e.eac, c), "bac / cpi"))
            default: break
            }
        }
        return Explanation(title: title, formula: formulas[field] ?? field, inputs: inputs)
    }
}
