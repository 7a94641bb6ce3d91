// Pipelines: a source of rows and stages (where, sort, take, select, extend, group by, aggregate, distinct, expand, as of).
import PMOBase
import PMOSyntax
import Portfolio

/// One compiled stage: takes the rows so far, returns the rows after it.
typealias StageFn = (Ctx, Relation) throws -> Relation

extension Compiler {
    func pipeline(_ src: Expr, _ stages: [Stage], _ span: Span) -> Compiled {
        guard scopes.count < FunctionBody.frame - 2 else {
            return errorCompiled("pipelines are nested too deeply (more than \(FunctionBody.frame - 2) levels)", span)
        }
        guard let (shape0, source) = pipelineSource(src) else { return .poisoned }
        var shape = shape0
        var fns: [StageFn] = []
        var grouped = false
        var hasAsOf = false
        let level = scopes.count
        var fusedTake = false
        for (i, st) in stages.enumerated() {
            if fusedTake { fusedTake = false; continue }
            if grouped {
                switch st.kind {
                case .select, .aggregate: break
                default:
                    error("'group by' must be followed by 'select' or 'aggregate'", st.span,
                          help: "for example: group by program.name | select program = program.name, n = count()")
                    grouped = false
                }
            }
            switch st.kind {
            case .where(let cond): fns.append(whereStage(cond, shape, level))
            case .sort(let keys):
                // `sort ... | take N` keeps the first N with a bounded heap instead of sorting every row.
                var limit: Expr?
                if i + 1 < stages.count, case .take(let n) = stages[i + 1].kind { limit = n; fusedTake = true }
                fns.append(sortStage(keys, shape, level, st.span, limit: limit))
            case .take(let n): fns.append(takeStage(n))
            case .select(let items):
                let (fn, s) = grouped ? groupSelect(items, shape, level, keepKeys: false) : rowSelect(items, shape, level, keep: false, st.span)
                fns.append(fn); shape = s; grouped = false
            case .extend(let items):
                let (fn, s) = rowSelect(items, shape, level, keep: true, st.span)
                fns.append(fn); shape = s
            case .aggregate(let items):
                if !grouped { fns.append { _, rel in rel.groups = [Array(0..<rel.count)]; return rel } }
                let (fn, s) = groupSelect(items, shape, level, keepKeys: grouped)
                fns.append(fn); shape = s; grouped = false
            case .groupBy(let keys):
                let (fn, s) = groupStage(keys, shape, level)
                fns.append(fn); shape = s; grouped = true
                if i == stages.count - 1 {
                    let countItem = ProjectionItem(alias: Name("count", st.span), expr: Expr(.call(Name("count", st.span), []), st.span))
                    let (fn2, s2) = groupSelect([countItem], shape, level, keepKeys: true)
                    fns.append(fn2); shape = s2; grouped = false
                }
            case .distinct(let items):
                let (fn, s) = distinctStage(items, shape, level)
                fns.append(fn); shape = s
            case .expand(let name, let list):
                let (fn, s) = expandStage(name, list, shape, level, st.span)
                fns.append(fn); shape = s
            case .asOf(let d):
                hasAsOf = true
                fns.append(asOfStage(d))
            }
        }
        let stagesFns = fns
        // An `as of` stage applies to its whole pipeline: `today` is its date from the source on
        // (`projects where status = red as of 2026-09-30` asks which were red then).
        let firstAsOf: Eval? = stages.lazy.compactMap { st -> Expr? in if case .asOf(let d) = st.kind { return d }; return nil }
            .first.map { d in
                let ev = compile(d).eval
                return { ctx in
                    switch try ev(ctx) {
                    case .date(let day): ctx.asOf = day
                    case .period(let p): ctx.asOf = p.end
                    default: throw RuntimeError("'as of' needs a date", at: d.span)
                    }
                    return .none
                }
            }
        if shape.isPlainEntity && !hasAsOf, let k = shape.kind {
            return Compiled(.rows(k), { ctx in
                guard let rel0 = try source(ctx) else { return .none }
                var rel = rel0
                ctx.ensure(level)
                for f in stagesFns { rel = try f(ctx, rel) }
                return .rows(k, rel.rows)
            })
        }
        let columns = outputColumns(shape, span)
        let tableCols = columns.map { TableColumn(name: $0.0.name, type: $0.1) }
        let finalShape = shape
        // Entity rows with computed columns stay entities: a `let` of this keeps every field.
        let entity = shape.showEntity ? shape.kind : nil
        return Compiled(.table(entity == nil ? tableCols : shape.columns, entity: entity), { ctx in
            let savedAsOf = ctx.asOf
            defer { ctx.asOf = savedAsOf }
            if let firstAsOf { _ = try firstAsOf(ctx) }
            guard let rel0 = try source(ctx) else { return .none }
            var rel = rel0
            ctx.ensure(level)
            for f in stagesFns { rel = try f(ctx, rel) }
            return .table(try Compiler.materialize(rel, finalShape, columns, ctx))
        })
    }

    /// The rows a pipeline starts from, and their shape.
    func pipelineSource(_ src: Expr) -> (RowShape, (Ctx) throws -> Relation?)? {
        let c = compile(src)
        let ev = c.eval
        switch c.type {
        case .rows(let k):
            return (.entity(k), { ctx in
                guard case .rows(_, let rows) = try ev(ctx) else { return nil }
                return Relation.entities(k, rows)
            })
        case .entity(let k):
            return (.entity(k), { ctx in
                guard case .entity(_, let r) = try ev(ctx) else { return Relation.entities(k, []) }
                return Relation.entities(k, [r])
            })
        case .table(let cols, let k?):
            return (RowShape(kind: k, columns: cols, showEntity: true), { ctx in
                guard case .table(let t) = try ev(ctx) else { return nil }
                // The computed columns are the table's last ones, after the entity's default columns.
                let first = t.columns.count - cols.count
                guard first >= 0, t.sourceKind == k, t.sourceRows.count == t.rows.count else { return nil }
                var data = Array(repeating: [Value](), count: cols.count)
                for row in t.rows { for i in data.indices { data[i].append(first + i < row.count ? row[first + i] : .none) } }
                return Relation(kind: k, rows: t.sourceRows, count: t.rows.count, data: data)
            })
        case .table(let cols, nil):
            return (RowShape(kind: nil, columns: cols, showEntity: false), { ctx in
                guard case .table(let t) = try ev(ctx) else { return nil }
                var data = Array(repeating: [Value](), count: cols.count)
                for i in data.indices { data[i].reserveCapacity(t.rows.count) }
                for row in t.rows { for (i, v) in row.enumerated() where i < data.count { data[i].append(v) } }
                return Relation(kind: nil, rows: [], count: t.rows.count, data: data)
            })
        case .list(let t):
            return (RowShape(kind: nil, columns: [TableColumn(name: "value", type: t)], showEntity: false), { ctx in
                guard case .list(let items) = try ev(ctx) else { return nil }
                return Relation(kind: nil, rows: [], count: items.count, data: [items])
            })
        case .any:
            return nil
        default:
            error("a pipeline needs a set of rows, such as projects or milestones, but found \(c.type)", src.span)
            return nil
        }
    }

    /// Compiles `body` with a row scope of `shape` pushed at `level`.
    func inScope<T>(_ shape: RowShape, grouped: Bool = false, _ body: () -> T) -> T {
        scopes.append(ScopeLevel(shape: shape, grouped: grouped))
        defer { scopes.removeLast() }
        return body()
    }

    func whereStage(_ cond: Expr, _ shape: RowShape, _ level: Int) -> StageFn {
        let c = inScope(shape) { compile(cond) }
        if c.type != .bool && c.type != .any { error("'where' needs a condition but found \(c.type)", cond.span) }
        let ce = c.eval
        let span = cond.span
        if let b = c.batch, b.level == level, let truths = b.truths {
            return { ctx, rel in
                ctx.rels[ctx.base + level] = rel
                try ctx.tick(rel.count, at: span)
                return rel.select(try truths(ctx, rel))
            }
        }
        return { ctx, rel in
            ctx.rels[ctx.base + level] = rel
            var keep: [Int] = []
            for i in 0..<rel.count {
                try ctx.tick(at: span)
                ctx.bind(level, rel, i)
                if case .bool(true) = try ce(ctx) { keep.append(i) }
            }
            return rel.select(keep)
        }
    }

    func asOfStage(_ d: Expr) -> StageFn {
        let c = compile(d)
        switch c.type {
        case .date, .period, .any: break
        default: error("'as of' needs a date but found \(c.type)", d.span)
        }
        let ce = c.eval
        let span = d.span
        return { ctx, rel in
            switch try ce(ctx) {
            case .date(let day): ctx.asOf = day
            case .period(let p): ctx.asOf = p.end
            default: throw RuntimeError("'as of' needs a date", at: span)
            }
            // Only a statement's own pipeline runs on the portfolio as it stood (Session.asOfStage);
            // inside an expression or a `let` the stage would move `today` over today's rows.
            if let check = ctx.travelCheck, try check(ctx.asOf) {
                throw RuntimeError("this 'as of' would show today's rows with \(ctx.asOf) as today, but the journal "
                                   + "has changes after \(ctx.asOf): here it cannot show the portfolio as it stood", at: span,
                                   help: "write the pipeline as a statement of its own, or put 'as of \(ctx.asOf)' on a line before it")
            }
            return rel
        }
    }
}
