// Charts: what `chart KIND(...)` computes. The runtime works out the figures (from the same
// computed fields queries use, at the script's as-of date); PMORender draws them as SVG for HTML and
// Markdown and as text at a terminal. Each chart also carries its figures as a table, for CSV and
// JSON and for readers who want the numbers.
//
//   chart rag(projects)                          portfolio RAG summary: projects and BAC by status
//   chart cpi_spi(projects)                      CPI against SPI, one bubble per project, size = BAC
//   chart slip(milestones)                       milestone slip: baseline to forecast (or completion)
//   chart utilization(resources [, PERIODS])     utilisation heat map, resource by week
//   chart ev_trend(projects)                     PV, EV and AC summed over the status report dates
//   chart bars(TABLE [, "COLUMN"])               horizontal bars of a grouped result
//   chart gantt(tasks)                           Gantt chart: CPM bars, baselines, critical path, milestones, today
//   chart dependencies(projects)                 project network (ChartsSchedule.swift)
import PMOBase
import PMOSyntax
import Portfolio

/// A chart ready to draw.
public struct Chart: Hashable, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case rag, cpiSpi = "cpi_spi", slip, utilization, evTrend = "ev_trend", bars, gantt, dependencies

        /// What each chart takes, for messages and `help`.
        public var usage: String {
            switch self {
            case .rag: return "chart rag(projects)"
            case .cpiSpi: return "chart cpi_spi(projects)"
            case .slip: return "chart slip(milestones)"
            case .utilization: return "chart utilization(resources, weeks(2026-11-02, 2026-12-27))"
            case .evTrend: return "chart ev_trend(projects)"
            case .bars: return "chart bars(projects | group by status | select status, n = count())"
            case .gantt: return "chart gantt(tasks where project.id = \"PRJ-0001\")"
            case .dependencies: return "chart dependencies(projects where program.name = \"ERP\")"
            }
        }
    }

    public var kind: Kind
    public var title: String
    /// A line under the title: the as-of date and what was counted.
    public var note: String
    public var payload: ChartPayload
    /// The figures as a table.
    public var data: ResultTable
    public var currency: String
}

public enum ChartPayload: Hashable, Sendable {
    case categories([ChartCategory])
    case bubbles([ChartBubble])
    case slips([ChartSlip])
    case heatmap(ChartHeatmap)
    case series(ChartSeries)
    case bars([ChartBar])
    case gantt(ChartGantt)
    case network(ChartNetwork)
}

/// One status of a RAG summary.
public struct ChartCategory: Hashable, Sendable {
    /// `green`, `amber`, `red` or `none`.
    public var label: String
    public var count: Int
    public var amount: Fixed
}

/// One project of the CPI/SPI chart.
public struct ChartBubble: Hashable, Sendable {
    public var label: String
    public var name: String
    public var spi: Double
    public var cpi: Double
    public var size: Fixed
    /// `green`, `amber`, `red`, or nil.
    public var status: String?
}

/// One milestone of the slip chart.
public struct ChartSlip: Hashable, Sendable {
    public var label: String
    public var name: String
    public var project: String
    public var baseline: Day
    /// The completion date, else the forecast, else the due date.
    public var actual: Day
    public var days: Int
    public var done: Bool
}

/// A grid of fractions (1 = 100%); nil where there is no value.
public struct ChartHeatmap: Hashable, Sendable {
    public var rows: [String]
    public var columns: [String]
    public var cells: [[Double?]]
}

/// Lines over dates.
public struct ChartSeries: Hashable, Sendable {
    public var dates: [Day]
    public var lines: [ChartLine]
}

public struct ChartLine: Hashable, Sendable {
    public var name: String
    public var values: [Fixed?]
}

/// One bar.
public struct ChartBar: Hashable, Sendable {
    public var label: String
    public var value: Double
    /// The value as a person reads it (`$1,500,000.00`, `85%`).
    public var text: String
}

/// Computing charts from the store at an as-of date.
enum ChartMaker {
    static let ragNames = ["green", "amber", "red"]

    static func ragName(_ code: UInt8?) -> String? {
        guard let c = code, Int(c) < ragNames.count else { return nil }
        return ragNames[Int(c)]
    }

    static func plural(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }

    /// Projects and their BAC by reported status.
    static func rag(_ rows: [Int32], store: PortfolioStore, asOf: Day, span: Span) throws -> Chart {
        let labels = ragNames + ["none"]
        var counts = [0, 0, 0, 0]
        var amounts = [Fixed](repeating: Fixed(units: 0), count: 4)
        for r in rows {
            let i = store.projectStatus(project: r, asOf: asOf).map { min(Int($0), 2) } ?? 3
            counts[i] += 1
            if let bac = store.evm(project: r, asOf: asOf).bac {
                guard let sum = amounts[i].adding(bac) else {
                    throw RuntimeError("the total BAC of the \(labels[i]) projects is too large for a money amount", at: span)
                }
                amounts[i] = sum
            }
        }
        var cats: [ChartCategory] = []
        for i in 0..<4 where counts[i] > 0 || i < 3 {
            cats.append(ChartCategory(label: labels[i], count: counts[i], amount: amounts[i]))
        }
        let data = ResultTable(columns: [ResultColumn(name: "status", kind: .text), ResultColumn(name: "projects", kind: .number),
                                         ResultColumn(name: "bac", kind: .money)],
                               rows: cats.map { [.string($0.label), .int(Int64($0.count)), .money($0.amount, currency: store.currency)] })
        return Chart(kind: .rag, title: "Portfolio RAG summary",
                     note: "\(plural(rows.count, "project", "projects")) by reported status, as of \(asOf)",
                     payload: .categories(cats), data: data, currency: store.currency)
    }

    /// CPI against SPI per project (projects without both are left out and counted in the note).
    static func cpiSpi(_ rows: [Int32], store: PortfolioStore, asOf: Day) -> Chart {
        var bubbles: [ChartBubble] = []
        for r in rows {
            let f = store.evm(project: r, asOf: asOf)
            guard let cpi = f.cpi, let spi = f.spi, cpi.isFinite, spi.isFinite else { continue }
            let name = store.table(.project).column("name")?.string(Int(r)) ?? ""
            bubbles.append(ChartBubble(label: Display.entityLabel(store, .project, r), name: name, spi: spi, cpi: cpi,
                                       size: f.bac ?? Fixed(units: 0),
                                       status: ragName(store.projectStatus(project: r, asOf: asOf))))
        }
        let left = rows.count - bubbles.count
        var note = "\(plural(bubbles.count, "project", "projects")) as of \(asOf); bubble area = BAC"
        if left > 0 { note += "; \(left) without earned value left out" }
        let data = ResultTable(columns: [ResultColumn(name: "project", kind: .text), ResultColumn(name: "name", kind: .text),
                                         ResultColumn(name: "spi", kind: .number), ResultColumn(name: "cpi", kind: .number),
                                         ResultColumn(name: "bac", kind: .money), ResultColumn(name: "status", kind: .text)],
                               rows: bubbles.map { [.string($0.label), .string($0.name), .real($0.spi), .real($0.cpi),
                                                    .money($0.size, currency: store.currency), $0.status.map { .string($0) } ?? .none] })
        return Chart(kind: .cpiSpi, title: "CPI versus SPI", note: note, payload: .bubbles(bubbles), data: data,
                     currency: store.currency)
    }

    /// The milestones with the most slip (at most `limit`), latest first.
    static func slip(_ rows: [Int32], store: PortfolioStore, asOf: Day, limit: Int = 25) -> Chart {
        let t = store.table(.milestone)
        func day(_ col: String, _ r: Int32) -> Day? {
            guard let c = t.column(col), !c.isNone(Int(r)) else { return nil }
            return Day(raw: c.codes[Int(r)])
        }
        var slips: [ChartSlip] = []
        for r in rows {
            guard let base = day("baseline_due", r), let days = store.milestoneSlip(r) else { continue }
            let done = day("completed", r)
            guard let actual = done ?? day("forecast", r) ?? day("due", r) else { continue }
            let project: String = {
                guard let c = t.column("project"), !c.isNone(Int(r)) else { return "" }
                return Display.entityLabel(store, .project, c.codes[Int(r)])
            }()
            slips.append(ChartSlip(label: Display.entityLabel(store, .milestone, r), name: t.column("name")?.string(Int(r)) ?? "",
                                   project: project, baseline: base, actual: actual, days: days,
                                   done: done.map { $0 <= asOf } ?? false))
        }
        let total = slips.count
        slips.sort { ($0.days, $1.label) > ($1.days, $0.label) }
        if slips.count > limit { slips = Array(slips.prefix(limit)) }
        var note = "days from baseline to forecast (or completion), as of \(asOf)"
        if total > slips.count { note += "; the \(slips.count) largest of \(total)" }
        let data = ResultTable(columns: [ResultColumn(name: "milestone", kind: .text), ResultColumn(name: "name", kind: .text),
                                         ResultColumn(name: "project", kind: .text), ResultColumn(name: "baseline", kind: .date),
                                         ResultColumn(name: "forecast", kind: .date), ResultColumn(name: "slip_days", kind: .number),
                                         ResultColumn(name: "done", kind: .bool)],
                               rows: slips.map { [.string($0.label), .string($0.name), .string($0.project), .date($0.baseline),
                                                  .date($0.actual), .int(Int64($0.days)), .bool($0.done)] })
        return Chart(kind: .slip, title: "Milestone slip", note: note, payload: .slips(slips), data: data, currency: store.currency)
    }

    /// Utilisation of each resource in each period (at most `limit` resources, the busiest first).
    static func utilization(_ rows: [Int32], periods: [Period], store: PortfolioStore, limit: Int = 40) -> Chart {
        var entries: [(label: String, cells: [Double?], peak: Double)] = []
        for r in rows {
            let cells: [Double?] = periods.map { p in store.utilization(resource: r, period: p).map { Double($0.units) / 10_000 } }
            let peak = cells.compactMap { $0 }.max() ?? -1
            let name = store.table(.resource).column("name")?.string(Int(r))
            let id = Display.entityLabel(store, .resource, r)
            entries.append((name.map { "\(id) \($0)" } ?? id, cells, peak))
        }
        let total = entries.count
        entries.sort { ($0.peak, $1.label) > ($1.peak, $0.label) }
        if entries.count > limit { entries = Array(entries.prefix(limit)) }
        let columns = periods.map(\.description)
        var note = "allocated hours over capacity"
        if let first = periods.first, let last = periods.last { note += ", \(first.start) to \(last.end)" }
        if total > entries.count { note += "; the \(entries.count) busiest of \(total) resources" }
        var tableColumns = [ResultColumn(name: "resource", kind: .text)]
        tableColumns += columns.map { ResultColumn(name: $0, kind: .percent) }
        let data = ResultTable(columns: tableColumns, rows: entries.map { e in
            [.string(e.label)] + e.cells.map { c in c.flatMap { Fixed($0) }.map { .percent($0) } ?? .none }
        })
        return Chart(kind: .utilization, title: "Resource utilisation by week", note: note,
                     payload: .heatmap(ChartHeatmap(rows: entries.map(\.label), columns: columns, cells: entries.map(\.cells))),
                     data: data, currency: store.currency)
    }

    /// PV, EV and AC of the projects summed at each status report date up to `asOf`. Dates on which
    /// fewer than half of the projects had reported yet are left out (their sums would mostly show who
    /// had started reporting, not how the work went); the note says so.
    static func evTrend(_ rows: [Int32], store: PortfolioStore, asOf: Day) -> Chart {
        let all = reportDates(projects: rows, store: store, asOf: asOf)
        let reporting = all.map { d in rows.reduce(0) { $0 + (store.latestStatusReport(project: $1, asOf: d) == nil ? 0 : 1) } }
        let most = reporting.max() ?? 0
        let dates = zip(all, reporting).filter { $0.1 * 2 >= most }.map(\.0)
        var pv: [Fixed?] = [], ev: [Fixed?] = [], ac: [Fixed?] = []
        for d in dates {
            let f = store.evmRollup(projects: rows, asOf: d)
            pv.append(f.pv); ev.append(f.ev); ac.append(f.ac)
        }
        let cur = store.currency
        func money(_ f: Fixed?) -> Value { f.map { .money($0, currency: cur) } ?? .none }
        let data = ResultTable(columns: [ResultColumn(name: "as_of", kind: .date), ResultColumn(name: "pv", kind: .money),
                                         ResultColumn(name: "ev", kind: .money), ResultColumn(name: "ac", kind: .money)],
                               rows: dates.indices.map { i in [.date(dates[i]), money(pv[i]), money(ev[i]), money(ac[i])] })
        var note = "\(plural(rows.count, "project", "projects")), \(plural(dates.count, "status date", "status dates")) up to \(asOf)"
        if dates.count < all.count, let first = dates.first {
            note += "; from \(first), when at least half of them had reported"
        }
        return Chart(kind: .evTrend, title: "Earned value trend", note: note,
                     payload: .series(ChartSeries(dates: dates, lines: [ChartLine(name: "PV", values: pv),
                                                                        ChartLine(name: "EV", values: ev),
                                                                        ChartLine(name: "AC", values: ac)])),
                     data: data, currency: cur)
    }

    /// The distinct as-of dates of the projects' status reports, up to `asOf`, in order.
    static func reportDates<C: Collection>(projects: C, store: PortfolioStore, asOf: Day) -> [Day] where C.Element == Int32 {
        guard let col = store.table(.statusReport).column("as_of") else { return [] }
        var seen = Set<Int32>()
        for p in projects {
            for r in store.statusByProject.slice(p) {
                let d = col.codes[Int(r)]
                if d <= asOf.raw && !col.isNone(Int(r)) { seen.insert(d) }
            }
        }
        return seen.sorted().map { Day(raw: $0) }
    }

    /// Bars from a table: labels from `labelColumn`, lengths from `valueColumn`.
    static func bars(_ t: ResultTable, labelColumn: Int, valueColumn: Int, store: PortfolioStore) -> Chart {
        var bars: [ChartBar] = []
        for row in t.rows {
            let label = labelColumn < row.count ? Display.text(row[labelColumn], store: store) : ""
            let v = valueColumn < row.count ? row[valueColumn] : .none
            guard let x = number(v) else { continue }
            bars.append(ChartBar(label: label, value: x, text: Display.text(v, store: store)))
        }
        let valueName = valueColumn < t.columns.count ? t.columns[valueColumn].name : "value"
        let labelName = labelColumn < t.columns.count ? t.columns[labelColumn].name : "label"
        let data = ResultTable(columns: [t.columns[labelColumn], t.columns[valueColumn]],
                               rows: t.rows.map { [$0[labelColumn], $0[valueColumn]] })
        return Chart(kind: .bars, title: "\(valueName) by \(labelName)", note: plural(bars.count, "bar", "bars"),
                     payload: .bars(bars), data: data, currency: store.currency)
    }

    /// A value as a plain number for drawing (money by its amount, percentages as fractions).
    static func number(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .real(let d): return d.isFinite ? d : nil
        case .money(let f, _), .percent(let f), .hours(let f): return Double(f.units) / 10_000
        case .duration(let d): return d.approximateDays
        default: return nil
        }
    }
}

/// Sparklines: one block character per value, scaled between the smallest and largest (▁ to █);
/// a missing value is a space. All values equal draw a flat middle line.
public enum Sparkline {
    public static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public static func render(_ values: [Double?]) -> String {
        let known = values.compactMap { $0 }.filter(\.isFinite)
        guard let lo = known.min(), let hi = known.max() else { return String(repeating: " ", count: values.count) }
        return render(values, low: lo, high: hi)
    }

    /// On a given scale (to compare several lines drawn one above the other).
    public static func render(_ values: [Double?], low lo: Double, high hi: Double) -> String {
        String(values.map { v -> Character in
            guard let v, v.isFinite else { return " " }
            if hi == lo { return blocks[3] }
            let i = Int(((v - lo) / (hi - lo) * Double(blocks.count - 1)).rounded())
            return blocks[max(0, min(blocks.count - 1, i))]
        })
    }
}
