// Reports, charts and schedules in a script. `report "TITLE" { section "NAME" { ... } }` runs each
// section's statements in order, emitting `.reportTitle` and `.section` markers so that renderers can
// build a document; a section whose statement fails stops the run with an error naming the section.
// `chart KIND(...)` computes a chart's figures (Charts.swift). `schedule "CRON"` is checked here and
// does nothing when the script runs.
import PMOBase
import PMOSyntax
import Portfolio

/// The compiled form of `report`, `chart` and `schedule`.
enum ReportStep {
    case document(title: String, sections: [CompiledSection])
    case chart(ChartStep)
}

struct CompiledSection {
    var title: String
    var span: Span
    var steps: [CompiledScript.Step]
}

struct ChartStep {
    var kind: Chart.Kind
    var data: Eval
    var readers: [(ResultColumn, VType, RowReader?)]
    /// `utilization`: the periods; `bars`: nil.
    var periods: Eval?
    /// `bars`: the column to draw, when named.
    var column: String?
    var span: Span
}

extension Session {
    func compileReporting(_ st: Stmt, _ c: Compiler, _ file: SourceFile, _ steps: inout [CompiledScript.Step],
                          _ using: inout Set<String>) {
        switch st.kind {
        case .schedule(let text, let span):
            do {
                _ = try CronSchedule(parsing: text)
            } catch {
                c.error("invalid schedule: \(error.message)", ScheduleScanner.errorSpan(error, in: span, file: file),
                        help: "five fields: minute hour day-of-month month day-of-week, as in \"0 7 * * MON\", or @daily")
            }
        case .report(let r):
            var sections: [CompiledSection] = []
            for s in r.sections {
                var inner: [CompiledScript.Step] = []
                for body in s.body { compileStatement(body, c, file, &inner, &using) }
                sections.append(CompiledSection(title: s.title, span: s.titleSpan, steps: inner))
            }
            steps.append(.reporting(.document(title: r.title, sections: sections)))
        case .chart(let kind, let args):
            if let step = compileChart(kind, args, c, st.span) { steps.append(.reporting(.chart(step))) }
        default:
            break
        }
    }

    func compileChart(_ kindName: Name, _ args: [Expr], _ c: Compiler, _ span: Span) -> ChartStep? {
        guard let kind = Chart.Kind(rawValue: kindName.text.lowercased()) else {
            let names = Chart.Kind.allCases.map(\.rawValue)
            let hint = Suggest.closest(to: kindName.text, in: names).map { "did you mean '\($0)'? " } ?? ""
            c.error("unknown chart '\(kindName.text)'", kindName.span, help: hint + "charts: " + names.joined(separator: ", "))
            return nil
        }
        let arity: ClosedRange<Int> = (kind == .utilization || kind == .bars) ? 1...2 : 1...1
        guard arity.contains(args.count) else {
            c.error("'chart \(kind.rawValue)' takes \(arity.upperBound == 1 ? "one argument" : "one or two arguments") but was given \(args.count)",
                    span, help: "as in \(kind.usage)")
            return nil
        }
        let data = c.compile(args[0])
        let wanted: EntityKind?
        switch kind {
        case .rag, .cpiSpi, .evTrend: wanted = .project
        case .slip: wanted = .milestone
        case .gantt: wanted = .task
        case .dependencies: wanted = .project
        case .utilization: wanted = .resource
        case .bars: wanted = nil
        }
        if let wanted {
            switch data.type {
            case .rows(let k) where k == wanted: break
            case .any: break
            default:
                c.error("'chart \(kind.rawValue)' needs a set of \(wanted.setName) but found \(data.type)", args[0].span,
                        help: "as in \(kind.usage)")
            }
        } else {
            switch data.type {
            case .table, .rows, .any: break
            default:
                c.error("'chart bars' needs a table (a grouped result) or a set but found \(data.type)", args[0].span,
                        help: "as in \(kind.usage)")
            }
        }
        var step = ChartStep(kind: kind, data: data.eval, readers: readers(for: data.type, c, args[0].span),
                             periods: nil, column: nil, span: span)
        if args.count == 2 && kind == .utilization {
            let p = c.compile(args[1])
            switch p.type {
            case .list(.period), .list(.date), .list(.any), .period, .date, .any: break
            default:
                c.error("the periods of 'chart utilization' must be a period or a list of periods but found \(p.type)", args[1].span,
                        help: "as in weeks(2026-11-02, 2026-12-27), or 2026-12 for the weeks of December")
            }
            step.periods = p.eval
        }
        if args.count == 2 && kind == .bars {
            switch args[1].kind {
            case .name(let n): step.column = n
            case .literal(.string(let s)): step.column = s
            default:
                c.error("the second argument of 'chart bars' names the column to draw, such as n or \"bac\"", args[1].span)
            }
            if let name = step.column, case .table(let cols, nil) = data.type, !cols.contains(where: { $0.name == name }) {
                let hint = Suggest.closest(to: name, in: cols.map(\.name)).map { "did you mean '\($0)'?" }
                c.error("the table has no column '\(name)'", args[1].span, help: hint)
            }
        }
        return step
    }

    func executeReporting(_ step: ReportStep, _ ctx: Ctx, _ emit: (Output) -> Void) throws {
        switch step {
        case .document(let title, let sections):
            emit(.reportTitle(title))
            for s in sections {
                emit(.section(s.title))
                do {
                    for inner in s.steps { try execute(inner, ctx, emit) }
                } catch let e as RuntimeError {
                    var failed = e
                    failed.message = "section \"\(s.title)\" of report \"\(title)\" failed: \(e.message)"
                    throw failed
                }
            }
        case .chart(let c):
            emit(.chart(try chart(c, ctx)))
        }
    }

    func chart(_ c: ChartStep, _ ctx: Ctx) throws -> Chart {
        let v = try c.data(ctx)
        func rows(_ k: EntityKind) throws -> [Int32] {
            switch v {
            case .rows(let got, let r) where got == k: return r
            case .entity(let got, let r) where got == k: return [r]
            case .none: return []
            default: throw RuntimeError("'chart \(c.kind.rawValue)' needs a set of \(k.setName) but got \(v.typeName)", at: c.span)
            }
        }
        switch c.kind {
        case .rag: return try ChartMaker.rag(try rows(.project), store: store, asOf: ctx.asOf, span: c.span)
        case .cpiSpi: return ChartMaker.cpiSpi(try rows(.project), store: store, asOf: ctx.asOf)
        case .slip: return ChartMaker.slip(try rows(.milestone), store: store, asOf: ctx.asOf)
        case .evTrend: return ChartMaker.evTrend(try rows(.project), store: store, asOf: ctx.asOf)
        case .gantt: return ChartMaker.gantt(try rows(.task), store: store, asOf: ctx.asOf)
        case .dependencies: return ChartMaker.network(try rows(.project), store: store, asOf: ctx.asOf)
        case .utilization:
            let periods = try chartPeriods(c, ctx)
            return ChartMaker.utilization(try rows(.resource), periods: periods, store: store)
        case .bars:
            guard case .table(let t) = try output(v, c.readers, ctx) else {
                throw RuntimeError("'chart bars' needs a table or a set but got \(v.typeName)", at: c.span)
            }
            return try barsChart(t, column: c.column, span: c.span)
        }
    }

    /// The weeks of a utilisation chart: the given periods (a month or a range is split into its
    /// weeks), else the eight weeks from the as-of date's.
    func chartPeriods(_ c: ChartStep, _ ctx: Ctx) throws -> [Period] {
        func weeks(_ p: Period) throws -> [Period] {
            if p.kind == .week { return [p] }
            guard let list = Period.list(.week, from: p.start, to: p.end, limit: 520) else {
                throw RuntimeError("too many weeks between \(p.start) and \(p.end) for a heat map (at most 520)", at: c.span)
            }
            return list
        }
        guard let ev = c.periods else {
            let first = Period.week(containing: ctx.asOf)
            guard let end = first.start.adding(days: 8 * 7 - 1) else { return [first] }
            return try weeks(Period.range(first.start, end))
        }
        var out: [Period] = []
        switch try ev(ctx) {
        case .list(let items):
            for item in items {
                switch item {
                case .period(let p): out += try weeks(p)
                case .date(let d): out.append(Period.week(containing: d))
                default: throw RuntimeError("'chart utilization' needs periods but the list holds \(item.typeName)", at: c.span)
                }
            }
        case .period(let p): out = try weeks(p)
        case .date(let d): out = [Period.week(containing: d)]
        case let other: throw RuntimeError("'chart utilization' needs periods but got \(other.typeName)", at: c.span)
        }
        if out.count > 520 { throw RuntimeError("too many weeks for a heat map (\(out.count); at most 520)", at: c.span) }
        return out
    }

    /// Bars of a table: the first column that is not a number labels the bars; the named column (else
    /// the first numeric one) sets their length.
    func barsChart(_ t: ResultTable, column: String?, span: Span) throws -> Chart {
        func numeric(_ k: ColumnKind) -> Bool {
            switch k {
            case .number, .money, .percent, .hours, .duration: return true
            default: return false
            }
        }
        let valueIndex: Int
        if let column {
            guard let i = t.columns.firstIndex(where: { $0.name == column }) else {
                throw RuntimeError("the table has no column '\(column)' (it has \(t.columns.map(\.name).joined(separator: ", ")))", at: span)
            }
            valueIndex = i
        } else {
            guard let i = t.columns.firstIndex(where: { numeric($0.kind) }) else {
                throw RuntimeError("'chart bars' needs a column of numbers, money or percentages to draw", at: span,
                                   help: "add one, as in select status, n = count()")
            }
            valueIndex = i
        }
        let labelIndex = t.columns.indices.first { $0 != valueIndex && !numeric(t.columns[$0].kind) }
            ?? t.columns.indices.first { $0 != valueIndex } ?? valueIndex
        return ChartMaker.bars(t, labelColumn: labelIndex, valueColumn: valueIndex, store: store)
    }
}
