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

    func trend(_ args: [Expr], _ span: Span) -> Compiled {
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
                return .poisoned
            }
            points = Int(n)
        }
        // The innermost project row in scope, if any: its own reports give the dates.
        let projectLevel = scopes.indices.reversed().first { scopes[$0].shape.kind == .project }
        let ev = value.eval
        return Compiled(.string, { ctx in
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
            if dates.isEmpty { return .none }
            let saved = ctx.asOf
            defer { ctx.asOf = saved }
            var values: [Double?] = []
            for d in dates.suffix(points) {
                try ctx.tick(at: span)
                ctx.asOf = d
                values.append(ChartMaker.number(try ev(ctx)))
            }
            return .string(Sparkline.render(values))
        })
    }
}
