// Running a compiled script: statements in order, outputs through a callback, variables kept.
import PMOBase
import PMOSyntax
import Portfolio

extension Session {
    /// Runs a compiled script, calling `emit` for each output in order.
    /// Throws a `RuntimeError` (exit 70) for overflow, exhausted budgets or failed assertions.
    public func run(_ script: CompiledScript, emit: (Output) -> Void) throws(RuntimeError) {
        var script = script
        var globals = globalValues
        while true {
            let ctx = Ctx(store: store, asOf: options.asOf, maxSteps: options.maxSteps)
            ctx.maxRows = options.maxRows
            ctx.globals = globals
            ctx.journalSource = { [weak self] in try self?.loadJournal() }
            ctx.travelCheck = { [weak self] day in try self?.differs(at: day) ?? false }
            var next: CompiledScript?
            defer {
                globalValues = ctx.globals
                globals = ctx.globals
                options.asOf = ctx.asOf
            }
            do {
                try checkStore()
                for (i, step) in script.steps.enumerated() {
                    // A set filled from a damaged column cache is empty: no output of that step may be shown.
                    var outputs: [Output] = []
                    let changed = try execute(step, ctx) { outputs.append($0) }
                    try checkStore()
                    outputs.forEach(emit)
                    if changed, let rest = script.rests[i], let file = script.file {
                        options.asOf = ctx.asOf
                        next = try recompile(rest, file)
                        break
                    }
                }
            } catch let e as RuntimeError {
                throw e
            } catch {
                throw RuntimeError("internal error: \(error)", at: .unknown)
            }
            guard let n = next else { return }
            script = n
        }
    }

    /// Fails when a set could not be read from the store's source (a damaged column cache).
    func checkStore() throws(RuntimeError) {
        if let failure = store.loadFailure { throw RuntimeError(failure, at: .unknown) }
    }

    /// Runs one step; returns whether it changed the portfolio.
    @discardableResult
    func execute(_ step: CompiledScript.Step, _ ctx: Ctx, _ emit: (Output) -> Void) throws -> Bool {
        ctx.base = 0
        switch step {
        case .change(let c):
            return try executeChange(c, ctx, emit)
        case .undo(let span, let source):
            return try executeUndo(span, source, emit)
        case .past(let date, let normal, let statement, let file, let span):
            return try executePast(date, normal, statement, file, span, ctx, emit)
        case .show(let ev, _, _, let readers):
            let v = try ev(ctx)
            emit(try output(v, readers, ctx))
        case .print(let ev):
            emit(.text(Display.text(try ev(ctx), store: store)))
        case .bind(let slot, let ev):
            let v = try ev(ctx)
            while ctx.globals.count <= slot { ctx.globals.append(.none) }
            ctx.globals[slot] = v
        case .asOf(let ev, let span):
            switch try ev(ctx) {
            case .date(let d): ctx.asOf = d
            case .period(let p): ctx.asOf = p.end
            case let v: throw RuntimeError("'as of' needs a date but got \(v.typeName)", at: span)
            }
            do { return try travel(to: ctx.asOf) } catch { throw RuntimeError(error.message, at: span) }
        case .assert(let ev, let msg, let span):
            let v = try ev(ctx)
            if case .bool(true) = v { return false }
            var text = "assertion failed"
            if let m = msg { text += ": " + Display.text(try m(ctx), store: store) }
            if v.isNone { text += " (the condition is unknown because a value it needs is none)" }
            throw RuntimeError(text, at: span)
        case .explain(let field, let periodEv, let entityEv, let valueEv, let span):
            guard case .entity(let k, let row) = try entityEv(ctx) else { throw RuntimeError("'explain' found no entity", at: span) }
            let period = try periodEv.flatMap { Compiler.period(of: try $0(ctx)) }
            let value = try valueEv(ctx)
            if let x = Explainer.explain(field, period: period, kind: k, row: row, ctx: ctx, value: value) {
                emit(.text(x.text))
            } else {
                let label = Display.entityLabel(store, k, row)
                emit(.text("\(field) of \(k.singular) \"\(label)\" = \(Display.text(value, store: store))   (a stored field of \(k.setName))"))
            }
        case .governance(let g):
            try executeGovernance(g, ctx, emit)
        case .reporting(let r):
            try executeReporting(r, ctx, emit)
        case .export(let ev, let readers, let pathEv, let span):
            let v = try ev(ctx)
            guard case .string(let path) = try pathEv(ctx) else { throw RuntimeError("'export ... to' needs a file name", at: span) }
            guard case .table(let t) = try output(v, readers, ctx) else {
                throw RuntimeError("'export' needs rows or a table but got \(v.typeName)", at: span)
            }
            emit(.export(t, path: path, span: span))
        }
        return false
    }

    /// The output for a statement's value: sets of entities become tables of their default columns.
    func output(_ v: Value, _ readers: [(ResultColumn, VType, RowReader?)], _ ctx: Ctx) throws -> Output {
        switch v {
        case .rows(let k, let rows):
            let rel = Relation.entities(k, rows)
            let t = try Compiler.materialize(rel, .entity(k), readers, ctx)
            return .table(displayable(t))
        case .table(let t): return .table(displayable(t))
        default: return .scalar(displayable(v))
        }
    }

    /// Replaces entity references with their ids so hosts can render cells without the model.
    func displayable(_ t: ResultTable) -> ResultTable {
        var out = t
        out.rows = t.rows.map { $0.map(displayable) }
        return out
    }

    func displayable(_ v: Value) -> Value {
        switch v {
        case .entity(let k, let r): return .string(Display.entityLabel(store, k, r))
        case .list(let l): return .list(l.map(displayable))
        case .rows(let k, let rows): return .list(rows.map { .string(Display.entityLabel(store, k, $0)) })
        default: return v
        }
    }
}
