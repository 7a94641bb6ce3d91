// `trend(EXPR [, N])`: a sparkline of an expression over the status report dates — the expression is
// worked out as of each of the last N dates (default 12) and drawn with ▁▂▃▄▅▆▇█. For a project row
// the dates are that project's reports; elsewhere every status report date of the portfolio.
//
//   projects where status = red | select id, spi, trend = trend(spi)
//   trend(count(projects where status = red))
import PMOBase
import PMOSyntax
import Portfolio

extension Compiler {
    static let trendDefaultPoints = 12
    static let trendMaxPoints = 200

    /// `trend(...)` anywhere: the sparkline of its own values (lowest ▁, highest █) and the latest value.
    func trend(_ args: [Expr], _ span: Span) -> Compiled {
        guard let series = trendSeries(args, span) else { return .poisoned }
        return Compiled(.string, { ctx in
            guard let s = try series(ctx) else { return .none }
            return .string(Sparkline.cell(s.values, last: s.last, low: nil, high: nil))
        })
    }

    /// `NAME = trend(...)` as a column of `select`/`extend`: every row's sparkline on one shared scale
    /// (the column's lowest to highest value), so different trends look different, with the latest
    /// value after it; the scale is a note under the table.
    func trendColumn(_ item: ProjectionItem) -> (series: (Ctx) throws -> TrendSeries?, points: Int)? {
        guard case .call(let name, let args) = item.expr.kind, name.text == "trend", state.functions["trend"] == nil,
              (1...2).contains(args.count) else { return nil }
        guard let series = trendSeries(args, item.expr.span) else { return nil }
        var points = Compiler.trendDefaultPoints
        if args.count == 2, case .literal(.integer(let n)) = args[1].kind { points = Int(n) }
        return (series, points)
    }

    /// The values of a trend, oldest first, and the latest value; nil when there are no report dates.
    func trendSeries(_ args: [Expr], _ span: Span) -> ((Ctx) throws -> TrendSeries?)? {
        let value = compile(args[0])
        switch value.type {
        case .int, .real, .percent, .hours, .money, .duration, .any: break
        default:
            error("'trend' draws numbers, money or percentages over time but found \(value.type)", args[0].span,
                  help: "as in trend(spi) or trend(count(projects where status = red))")
        }
        var points = Compiler.trendDefaultPoints
        if args.count == 2 {
            guard case .literal(.integer(let n)) = args[1].kind, n >= 2, n <= Int64(Compiler.trendMaxPoints) else {
                error("the number of points of 'trend' must be a whole number from 2 to \(Compiler.trendMaxPoints)", args[1].span)
                return nil
            }
            points = Int(n)
        }
        // The innermost project row in scope, if any: its own reports give the dates.
        let projectLevel = scopes.indices.reversed().first { scopes[$0].shape.kind == .project }
        let ev = value.eval
        return { ctx in
            var project: Int32?
            if let level = projectLevel {
                let r = ctx.entityRows[ctx.base + level]
                if r >= 0 { project = r }
            }
            let dates: [Day]
            if let project {
                dates = ChartMaker.reportDates(projects: CollectionOfOne(project), store: ctx.store, asOf: ctx.asOf)
            } else {
                let all = Int32(0)..<Int32(ctx.store.table(.project).count)
                dates = ChartMaker.reportDates(projects: all, store: ctx.store, asOf: ctx.asOf)
            }
            if dates.isEmpty { return nil }
            let saved = ctx.asOf
            defer { ctx.asOf = saved }
            var values: [Double?] = []
            var last = Value.none
            for d in dates.suffix(points) {
                try ctx.tick(at: span)
                ctx.asOf = d
                last = try ev(ctx)
                values.append(ChartMaker.number(last))
            }
            return TrendSeries(values: values, last: Display.text(last, store: ctx.store))
        }
    }

    /// Turns a column of `trendColumn` series into text cells on one scale; returns the note for the table.
    static func shareTrendScale(_ column: inout [Value], series: [TrendSeries?], name: String, points: Int) -> String? {
        let known = series.flatMap { $0?.values.compactMap { $0 } ?? [] }.filter(\.isFinite)
        guard let lo = known.min(), let hi = known.max() else {
            column = series.map { $0.map { .string(Sparkline.cell($0.values, last: $0.last, low: nil, high: nil)) } ?? .none }
            return nil
        }
        column = series.map { $0.map { .string(Sparkline.cell($0.values, last: $0.last, low: lo, high: hi)) } ?? .none }
        let f = { (d: Double) in Fixed(d).map { Display.trimmed($0, digits: 2) } ?? String(d) }
        return "\(name): one scale for every row, ▁ = \(f(lo)) to █ = \(f(hi)), over at most the last \(points) status dates; "
            + "the number is the latest value"
    }
}

/// The values of one trend, oldest first, and the text of the latest.
struct TrendSeries {
    var values: [Double?]
    var last: String
}

extension Sparkline {
    /// A sparkline and the latest value: `▃▄▆█ 0.82`. With no scale, its own lowest to highest.
    public static func cell(_ values: [Double?], last: String, low: Double?, high: Double?) -> String {
        if let low, let high { return render(values, low: low, high: high) + " " + last }
        return render(values) + " " + last
    }
}
