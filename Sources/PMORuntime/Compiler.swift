// The checker and compiler: resolves names and units once, then builds closures that evaluate rows.
import PMOBase
import PMOSyntax
import Portfolio

/// A checked expression: its static type and the closure that evaluates it.
struct Compiled {
    var type: VType
    var eval: Eval
    /// The value when it is known at compile time (literals), used for enum resolution and lookups.
    var constant: Value?
    /// The same expression over all rows of a scope at once, when it has such a form (Vectorised.swift).
    var batch: Batch?

    init(_ type: VType, _ eval: @escaping Eval, constant: Value? = nil) {
        self.type = type; self.eval = eval; self.constant = constant
    }

    static func const(_ v: Value, _ t: VType) -> Compiled { Compiled(t, { _ in v }, constant: v) }

    /// The result after an error: type `any` so that one mistake does not cascade into more errors.
    static var poisoned: Compiled { Compiled(.any, { _ in .none }) }
}

/// A row scope during compilation: what the rows of one pipeline level look like.
struct ScopeLevel {
    var shape: RowShape
    /// Inside `select`/`aggregate` after `group by` (or `aggregate`): aggregates iterate the group.
    var grouped: Bool
}

/// Resolves and type-checks a script's expressions against the model, producing closures.
/// Errors are collected as diagnostics; compilation goes on so every error is reported once.
final class Compiler {
    let store: PortfolioStore
    let state: SessionState
    var diagnostics: [Diagnostic] = []
    /// The `let` variables the compiled code reads (an `as of` stage checks them: TimeTravel.swift).
    var usedGlobals: [String] = []
    /// Row scopes, innermost last; level numbers are indexes into this array.
    var scopes: [ScopeLevel] = []
    /// Parameters of the function being compiled: name → (index, type).
    var params: [String: (Int, VType)] = [:]
    /// How many aggregate arguments over a group enclose the expression being compiled; a grouped
    /// row read outside one (a field that is not a group key) is an error, never an arbitrary row.
    var aggregating = 0
    /// Reads of a grouped row made while `aggregating` (to catch `count(milestones)` per group).
    var groupedReads = 0
    var currency: String { store.currency }

    init(store: PortfolioStore, state: SessionState) {
        self.store = store; self.state = state
    }

    func error(_ message: String, _ span: Span, help: String? = nil, notes: [Diagnostic.Note] = []) {
        diagnostics.append(.error(message, at: span, notes: notes, help: help))
    }

    func errorCompiled(_ message: String, _ span: Span, help: String? = nil) -> Compiled {
        error(message, span, help: help)
        return .poisoned
    }

    // MARK: - Expressions

    func compile(_ e: Expr) -> Compiled {
        switch e.kind {
        case .literal(let lit): return literal(lit, e.span)
        case .interpolated(let parts): return interpolation(parts, e.span)
        case .name(let n): return resolveName(n, e.span)
        case .this: return this(e.span)
        case .all(let n): return allSet(n)
        case .today: return Compiled(.date, { ctx in .date(ctx.asOf) })
        case .none: return .const(.none, .any)
        case .member(let base, let name): return member(base, name, e.span)
        case .call(let name, let args): return call(name, args, e.span)
        case .methodCall(let base, let name, let args): return methodCall(base, name, args, e.span)
        case .entity(let set, let key): return entityLookup(set, key, e.span)
        case .list(let items): return list(items, e.span)
        case .record(let fields): return record(fields)
        case .unary(let op, let x): return unary(op, x, e.span)
        case .binary(let op, let l, let r): return binary(op, l, r, e.span)
        case .between(let x, let lo, let hi, let neg): return between(x, lo, hi, neg, e.span)
        case .isIn(let x, let l, let neg): return isIn(x, l, neg, e.span)
        case .isNone(let x, let neg):
            let c = compile(x)
            let ev = c.eval
            return Compiled(.bool, { ctx in .bool(try ev(ctx).isNone != neg) })
        case .ifThen(let c, let a, let b): return ifThen(c, a, b, e.span)
        case .pipeline(let src, let stages): return pipeline(src, stages, e.span)
        case .was, .changed: return history(e)
        }
    }

    func literal(_ lit: Literal, _ span: Span) -> Compiled {
        switch lit {
        case .integer(let i): return .const(.int(i), .int)
        case .decimal(let d, _): return .const(.real(d), .real)
        case .money(let f, let c): return .const(.money(f, currency: c), .money(c))
        case .percent(let p): return .const(.percent(p), .percent)
        case .hours(let h): return .const(.hours(h), .hours)
        case .date(let d): return .const(.date(d), .date)
        case .string(let s): return .const(.string(s), .string)
        case .bool(let b): return .const(.bool(b), .bool)
        case .duration(let n, let unit):
            guard let k = Int32(exactly: n) else { return errorCompiled("duration is too large", span) }
            let d: Duration
            switch unit {
            case .days: d = Duration(days: k)
            case .weeks:
                guard let w = Int32(exactly: Int64(k) * 7) else { return errorCompiled("duration is too large", span) }
                d = Duration(days: w)
            case .months: d = Duration(months: k)
            case .years:
                guard let m = Int32(exactly: Int64(k) * 12) else { return errorCompiled("duration is too large", span) }
                d = Duration(months: m)
            case .businessDays: d = Duration(businessDays: k)
            }
            return .const(.duration(d), .duration)
        case .period(let p):
            guard let period = makePeriod(p) else { return errorCompiled("\(p) is not a valid period", span) }
            return .const(.period(period), .period)
        }
    }

    func makePeriod(_ p: PeriodLiteral) -> Period? {
        switch p {
        case .month(let y, let m): return Period.month(year: y, month: m)
        case .quarter(let y, let q): return Period.quarter(year: y, quarter: q)
        case .week(let y, let w): return Period.isoWeek(year: y, week: w)
        case .fiscalYear(let y): return Period.fiscalYear(y, startMonth: store.fiscalYearStartMonth)
        }
    }

    func interpolation(_ parts: [InterpolationPart], _ span: Span) -> Compiled {
        var pieces: [Eval] = []
        for p in parts {
            switch p {
            case .text(let s): pieces.append { _ in .string(s) }
            case .expr(let e):
                let c = compile(e)
                if case .rows = c.type { }
                let ev = c.eval
                pieces.append { ctx in .string(Display.text(try ev(ctx), store: ctx.store)) }
            }
        }
        let all = pieces
        return Compiled(.string, { ctx in
            var s = ""
            for p in all {
                if case .string(let t) = try p(ctx) {
                    try ctx.checkText(s.utf8.count + t.utf8.count, at: span)
                    s += t
                }
            }
            return .string(s)
        })
    }

    func this(_ span: Span) -> Compiled {
        guard let level = scopes.indices.last, let k = scopes[level].shape.kind else {
            return errorCompiled("'this' is only meaningful inside a pipeline over an entity set", span)
        }
        if let bad = ungroupedRead(level, "this", span) { return bad }
        return Compiled(.entity(k), { ctx in
            let r = ctx.entityRows[ctx.base + level]
            return r < 0 ? .none : .entity(k, r)
        })
    }

    func list(_ items: [Expr], _ span: Span) -> Compiled {
        let cs = items.map { compile($0) }
        var elem: VType = .any
        for c in cs where c.type != .any {
            if elem == .any { elem = c.type } else if elem != c.type && !(elem.isNumeric && c.type.isNumeric) {
                elem = .any
                break
            }
        }
        if cs.allSatisfy({ $0.constant != nil }) {
            let vs = cs.compactMap(\.constant)
            return .const(.list(vs), .list(elem))
        }
        let evs = cs.map(\.eval)
        return Compiled(.list(elem), { ctx in .list(try evs.map { try $0(ctx) }) })
    }

    func record(_ fields: [RecordField]) -> Compiled {
        var evs: [(String, Eval)] = []
        for f in fields { evs.append((f.name.text, compile(f.value).eval)) }
        let all = evs
        return Compiled(.record, { ctx in
            var r: [String: Value] = [:]
            for (n, e) in all { r[n] = try e(ctx) }
            return .record(r)
        })
    }

    func unary(_ op: UnaryOp, _ x: Expr, _ span: Span) -> Compiled {
        let c = compile(x)
        let ev = c.eval
        switch op {
        case .not:
            if c.type != .bool && c.type != .any { error("'not' needs a condition but found \(c.type)", x.span) }
            return Compiled(.bool, { ctx in
                switch try ev(ctx) {
                case .bool(let b): return .bool(!b)
                default: return .none
                }
            })
        case .negate:
            switch c.type {
            case .int, .real, .money, .percent, .hours, .duration, .any:
                if let k = c.constant, let v = try? Arithmetic.negate(k, at: span) { return .const(v, c.type) }
                return Compiled(c.type, { ctx in try Arithmetic.negate(try ev(ctx), at: span) })
            default: return errorCompiled("cannot negate \(c.type)", span)
            }
        }
    }

    func ifThen(_ cond: Expr, _ a: Expr, _ b: Expr, _ span: Span) -> Compiled {
        let c = compile(cond)
        if c.type != .bool && c.type != .any { error("'if' needs a condition but found \(c.type)", cond.span) }
        let x = compile(a), y = compile(b)
        var t = x.type
        if x.type == .any { t = y.type } else if y.type != .any && x.type != y.type {
            if x.type.isNumeric && y.type.isNumeric { t = .real } else {
                error("the branches of 'if' have different types: \(x.type) and \(y.type)", b.span)
            }
        }
        let ce = c.eval, xe = x.eval, ye = y.eval
        return Compiled(t, { ctx in
            if case .bool(true) = try ce(ctx) { return try xe(ctx) }
            return try ye(ctx)
        })
    }
}
