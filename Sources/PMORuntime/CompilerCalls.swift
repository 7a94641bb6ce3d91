// Function calls: aggregates (over a group or a collection), built-in functions and user functions.
import PMOBase
import PMOSyntax
import Portfolio

extension Compiler {
    /// Built-in functions that are not aggregates, with their arities (for messages and completion).
    static let builtinArity: [String: ClosedRange<Int>] = [
        "exists": 1...1, "weeks": 1...2, "months": 1...2, "quarters": 1...2,
        "round": 1...2, "abs": 1...1, "length": 1...1, "lower": 1...1, "upper": 1...1, "days": 1...1,
        "trend": 1...2, "upstream": 1...2, "downstream": 1...2, "depends_on": 2...2,
    ]

    static var allFunctionNames: [String] {
        AggregateKind.allCases.map(\.rawValue) + Array(builtinArity.keys)
    }

    func call(_ name: Name, _ args: [Expr], _ span: Span) -> Compiled {
        let n = name.text
        // A parameterised computed field of the row in scope: `utilization(w)` in a resource pipeline.
        for level in scopes.indices.reversed() {
            guard let k = scopes[level].shape.kind, Catalog.schemas[k.rawValue].computedDef(n)?.takesPeriod == true else { continue }
            if let c = periodField(k, name, args, level: level, entity: { ctx in
                let r = ctx.entityRows[ctx.base + level]
                return r < 0 ? nil : r
            }, span) { return c }
        }
        if let agg = AggregateKind(rawValue: n) { return aggregate(agg, name, args, span) }
        if let fn = state.functions[n] { return userCall(fn, name, args, span) }
        // `at` (HistoryConditions.swift) and `changes_since` (ChangesSince.swift): one branch, since
        // every branch of this function adds to the stack that deeply nested calls use.
        if n == "at" || n == "changes_since" { return historyCall(n, args, span) }
        if let arity = Compiler.builtinArity[n] {
            guard arity.contains(args.count) else {
                let want = arity.lowerBound == arity.upperBound ? "\(arity.lowerBound)" : "\(arity.lowerBound) or \(arity.upperBound)"
                return errorCompiled("'\(n)' takes \(want) argument\(arity.upperBound == 1 ? "" : "s") but was given \(args.count)", span)
            }
            return builtin(n, args, span)
        }
        let candidates = Compiler.allFunctionNames + Array(state.functions.keys)
        let hint = Suggest.closest(to: n, in: candidates).map { "did you mean '\($0)'?" }
        return errorCompiled("unknown function '\(n)'", name.span, help: hint)
    }

    /// The innermost scope level that iterates a group, if any.
    var groupLevel: Int? { scopes.indices.last.flatMap { scopes[$0].grouped ? $0 : nil } }

    func aggregate(_ agg: AggregateKind, _ name: Name, _ args: [Expr], _ span: Span) -> Compiled {
        // Scalar min/max of several values: `max(a, b)`.
        if (agg == .min || agg == .max) && args.count >= 2 {
            let cs = args.map(compile)
            // `max(1, "a")` or `min(bac, 2026-01-01)`: values that cannot be compared are a check error.
            if let first = cs.first(where: { $0.type != .any }) {
                for (c, a) in zip(cs, args) where c.type != .any {
                    if let ue = TypeRules.comparable(.lt, first.type, c.type) {
                        error("'\(agg.rawValue)' of several values needs values that compare: \(ue.message)", a.span, help: ue.hint)
                    }
                }
            }
            let evs = cs.map(\.eval)
            return Compiled(cs.first?.type ?? .any, { ctx in try agg.apply(try evs.map { try $0(ctx) }, type: .any, at: span) })
        }
        if args.count > 1 { return errorCompiled("'\(agg.rawValue)' takes one argument but was given \(args.count)", span) }
        if args.isEmpty {
            guard agg == .count else { return errorCompiled("'\(agg.rawValue)' needs an argument, such as \(agg.rawValue)(bac)", span) }
            guard let level = groupLevel else {
                return errorCompiled("count() without an argument counts the rows of a group; use it after 'group by' or in 'aggregate'", span,
                                     help: "to count a set, write count(projects where ...)")
            }
            return Compiled(.int, { ctx in .int(Int64(ctx.groups[ctx.base + level]?.count ?? 0)) })
        }
        let arg = args[0]
        // Over a relationship's stored column (`sum(timesheets.cost)` per project): a direct loop.
        if let fast = relationshipAggregate(agg, arg, span) { return fast }
        // Over a collection: count(projects where ...), sum(milestones.slip).
        let readsBefore = groupedReads, nested = aggregating > 0
        if groupLevel != nil { aggregating += 1 }
        let c = compile(arg)
        if groupLevel != nil { aggregating -= 1 }
        if let elem = c.type.elementType, c.type != .any || groupLevel == nil {
            if !nested, groupedReads > readsBefore, let level = groupLevel {
                // `count(milestones)` after `group by program`: the milestones of one arbitrary row.
                let keys = scopes[level].shape.groupKeys.keys.filter { !$0.contains(" ") }.sorted()
                error("'\(Printer.print(arg))' is a collection of one row of the group, not of the group", arg.span,
                      help: "aggregate per row first (extend n = \(agg.rawValue)(\(Printer.print(arg))) before 'group by', then sum(n))"
                        + (keys.isEmpty ? "" : ", or use a group key (\(keys.joined(separator: ", ")))"))
            }
            if let msg = agg.check(elem), case .list = c.type { error(msg, arg.span) }
            if agg == .list, case .table = c.type {
                error("cannot take the list of a table", arg.span, help: "name a field of a set: list(projects.name), or aggregate in the pipeline")
            }
            if agg != .count && agg != .list {
                switch c.type {
                case .rows(let k):
                    error("cannot take the \(agg.rawValue) of a set of \(k.setName)", arg.span,
                          help: "name a field: \(agg.rawValue)(\(k.setName).bac), or count them with count(...)")
                case .table:
                    error("cannot take the \(agg.rawValue) of a table", arg.span,
                          help: "aggregate in the pipeline (... | aggregate total = \(agg.rawValue)(bac)) or name a field of a set: \(agg.rawValue)(projects.bac)")
                default: break
                }
            }
            let ce = c.eval
            return Compiled(agg.resultType(elem == .record ? .any : elem), { ctx in
                switch try ce(ctx) {
                case .rows(let k, let rows):
                    if agg == .count { return .int(Int64(rows.count)) }
                    if agg == .list { return .list(rows.map { .entity(k, $0) }) }
                    throw RuntimeError("cannot take the \(agg.rawValue) of a set of \(k.setName); name a field, such as \(agg.rawValue)(\(k.setName).bac)", at: span)
                case .list(let items): return try agg.apply(items, type: elem, at: span)
                case .table(let t): return agg == .count ? .int(Int64(t.rows.count)) : .none
                case .none: return agg == .count ? .int(0) : .none
                case let v: return try agg.apply([v], type: elem, at: span)
                }
            })
        }
        // Over the rows of the current group: sum(bac) after `group by`.
        guard let level = groupLevel else {
            return errorCompiled("'\(agg.rawValue)(\(Printer.print(arg)))' aggregates a group; use it after 'group by' or in 'aggregate'", span,
                                 help: "to aggregate a set, name it: \(agg.rawValue)(projects.bac)")
        }
        if let msg = agg.check(c.type) { error(msg, arg.span) }
        let ce = c.eval, t = c.type
        return Compiled(agg.resultType(t), { ctx in
            let l = ctx.base + level
            guard let members = ctx.groups[l], let rel = ctx.rels[l] else { return .none }
            let savedRel = ctx.relRows[l], savedEntity = ctx.entityRows[l]
            defer { ctx.relRows[l] = savedRel; ctx.entityRows[l] = savedEntity }
            var values: [Value] = []
            values.reserveCapacity(members.count)
            for m in members {
                try ctx.tick(at: span)
                ctx.bind(level, rel, m)
                values.append(try ce(ctx))
            }
            return try agg.apply(values, type: t, at: span)
        })
    }

    func builtin(_ n: String, _ args: [Expr], _ span: Span) -> Compiled {
        if n == "trend" { return trend(args, span) } // Trend.swift: evaluated at several as-of dates
        if Compiler.graphFunctions.contains(n) { return graphCall(n, args, span) } // CompilerGraph.swift
        let cs = args.map(compile)
        let evs = cs.map(\.eval)
        checkArguments(n, cs, args)
        switch n {
        case "exists":
            let e = evs[0]
            if cs[0].type.elementType == nil { error("'exists' needs a set or a list, such as exists(issues where state = open)", args[0].span) }
            return Compiled(.bool, { ctx in
                switch try e(ctx) {
                case .rows(_, let r): return .bool(!r.isEmpty)
                case .list(let l): return .bool(!l.isEmpty)
                case .table(let t): return .bool(!t.rows.isEmpty)
                default: return .bool(false)
                }
            })
        case "weeks", "months", "quarters":
            let kind: Period.Kind = n == "weeks" ? .week : (n == "months" ? .month : .quarter)
            for (c, a) in zip(cs, args) {
                switch c.type {
                case .date, .period, .any: break
                default: error("'\(n)' needs dates or a period but found \(c.type)", a.span)
                }
            }
            return Compiled(.list(.period), { ctx in
                let vals = try evs.map { try $0(ctx) }
                guard let first = vals.first, let p1 = Compiler.period(of: first) else { return .none }
                var from = p1.start, to = p1.end
                if vals.count == 2 {
                    guard let p2 = Compiler.period(of: vals[1]) else { return .none }
                    from = p1.start; to = p2.end
                }
                let limit = min(100_000, ctx.maxRows)
                // The same list for every row (`expand w in weeks(2026-01-01, 2026-12-31)`) is built once.
                if let m = ctx.periodListMemo, m.kind == kind, m.from == from, m.to == to, m.limit == limit { return m.list }
                guard let list = Period.list(kind, from: from, to: to, limit: limit) else {
                    throw RuntimeError("too many periods between \(from) and \(to) (more than \(limit))", at: span,
                                       help: ctx.maxRows < 100_000 ? "raise the limit with --max-rows" : nil)
                }
                let value = Value.list(list.map { .period($0) })
                ctx.periodListMemo = (kind, from, to, limit, value)
                return value
            })
        case "round":
            let t = cs[0].type
            return Compiled(t == .int ? .int : t, { ctx in
                let v = try evs[0](ctx)
                var digits = 0
                if evs.count == 2 {
                    guard case .int(let d) = try evs[1](ctx) else { return .none }
                    digits = Int(max(0, min(4, d)))
                }
                return Compiler.round(v, digits)
            })
        case "abs":
            return Compiled(cs[0].type, { ctx in
                let v = try evs[0](ctx)
                if let o = Comparison.order(v, .int(0)), o < 0 { return try Arithmetic.negate(v, at: span) }
                if case .percent(let p) = v, p.units < 0 { return try Arithmetic.negate(v, at: span) }
                if case .duration(let d) = v, d.approximateDays < 0 { return try Arithmetic.negate(v, at: span) }
                return v
            })
        case "length":
            return Compiled(.int, { ctx in
                switch try evs[0](ctx) {
                case .string(let s): return .int(Int64(s.count))
                case .list(let l): return .int(Int64(l.count))
                case .rows(_, let r): return .int(Int64(r.count))
                case .table(let t): return .int(Int64(t.rows.count))
                default: return .none
                }
            })
        case "lower", "upper":
            let up = n == "upper"
            return Compiled(.string, { ctx in
                guard let s = Compiler.text(try evs[0](ctx)) else { return .none }
                return .string(up ? s.uppercased() : s.lowercased())
            })
        default: // days
            return Compiled(.int, { ctx in
                switch try evs[0](ctx) {
                case .duration(let d): return .int(Int64(d.approximateDays.rounded()))
                case .period(let p): return .int(Int64(p.dayCount))
                default: return .none
                }
            })
        }
    }

    /// Refuses a wrong kind of argument to a built-in before anything runs (`days(30)`, `lower(bac)`):
    /// never a silent none. Kept out of `builtin` so that nested calls use small stack frames.
    @inline(never)
    func checkArguments(_ n: String, _ cs: [Compiled], _ args: [Expr]) {
        guard let c = cs.first, let a = args.first else { return }
        switch n {
        case "round":
            argumentKind(n, c, a, "a number, money, hours or a percentage") {
                switch $0 { case .int, .real, .money, .percent, .hours: return true; default: return false }
            }
            if cs.count == 2 { argumentKind(n, cs[1], args[1], "a whole number of digits") { $0 == .int } }
        case "abs":
            argumentKind(n, c, a, "a number, money, hours, a percentage or a duration") {
                switch $0 { case .int, .real, .money, .percent, .hours, .duration: return true; default: return false }
            }
        case "length":
            argumentKind(n, c, a, "text, a list or a set") {
                switch $0 { case .string, .list, .rows, .table: return true; default: return false }
            }
        case "lower", "upper":
            argumentKind(n, c, a, "text") {
                switch $0 { case .string, .enumeration: return true; default: return false }
            }
        case "days":
            argumentKind(n, c, a, "a duration (such as slip or due - today) or a period") { $0 == .duration || $0 == .period }
        default: break
        }
    }

    /// A check error when an argument's static type is not one the function takes.
    func argumentKind(_ fn: String, _ c: Compiled, _ arg: Expr, _ expected: String, _ ok: (VType) -> Bool) {
        if c.type == .any || ok(c.type) { return }
        error("'\(fn)' needs \(expected) but found \(c.type)", arg.span)
    }

    /// `round(x, digits)`; a percentage rounds in percentage points (`round(12.345%)` is 12%).
    static func round(_ v: Value, _ digits: Int, points: Bool = false) -> Value {
        if points, case .percent(let f) = v {
            var p: Int64 = 1
            for _ in 0..<(4 - digits) { p *= 10 }
            let q = f.units / p, rem = f.units % p
            var n = q
            if abs(rem) * 2 >= p { n += rem >= 0 ? 1 : -1 }
            return .percent(Fixed(units: n * p))
        }
        var p: Int64 = 1
        for _ in 0..<(4 - digits) { p *= 10 }
        func r(_ f: Fixed) -> Fixed {
            let q = f.units / p, rem = f.units % p
            var n = q
            if abs(rem) * 2 >= p { n += rem >= 0 ? 1 : -1 }
            return Fixed(units: n * p)
        }
        switch v {
        case .money(let f, let c): return .money(r(f), currency: c)
        case .hours(let f): return .hours(r(f))
        case .percent: return digits >= 2 ? v : round(v, digits + 2, points: true)
        case .real(let d):
            var m = 1.0
            for _ in 0..<digits { m *= 10 }
            return .real((d * m).rounded(.toNearestOrAwayFromZero) / m)
        default: return v
        }
    }

    /// Calls a user function, compiling its body for these argument types (once per distinct types).
    func userCall(_ fn: UserFunction, _ name: Name, _ args: [Expr], _ span: Span) -> Compiled {
        guard args.count == fn.params.count else {
            return errorCompiled("'\(name.text)' takes \(fn.params.count) argument\(fn.params.count == 1 ? "" : "s") but was given \(args.count)", span)
        }
        let cs = args.map(compile)
        let types = cs.map(\.type)
        let body: FunctionBody
        if let existing = fn.specializations[types] {
            body = existing
        } else {
            body = FunctionBody()
            fn.specializations[types] = body
            let savedScopes = scopes, savedParams = params
            scopes = []
            params = [:]
            for (i, p) in fn.params.enumerated() { params[p.text] = (i, types[i]) }
            let before = diagnostics.count
            let c = compile(fn.body)
            scopes = savedScopes; params = savedParams
            body.type = c.type
            body.eval = c.eval
            if diagnostics.count > before {
                diagnostics[before...].indices.forEach { i in
                    diagnostics[i].notes.append(.init("in a call of '\(name.text)' here", span: span))
                }
            }
        }
        let evs = cs.map(\.eval)
        return Compiled(body.type, { ctx in
            let vals = try evs.map { try $0(ctx) }
            return try body.call(ctx, args: vals, at: span)
        })
    }
}

/// One compiled body of a user function (per argument types); filled after compilation so that
/// recursive calls can refer to it.
final class FunctionBody {
    var type: VType = .any
    var eval: Eval?

    /// Frame size reserved per call: scope levels a body can use.
    static let frame = 32

    func call(_ ctx: Ctx, args: [Value], at span: Span) throws -> Value {
        guard let eval else { return .none }
        ctx.callDepth += 1
        let savedLocals = ctx.locals, savedBase = ctx.base
        defer { ctx.callDepth -= 1; ctx.locals = savedLocals; ctx.base = savedBase }
        if ctx.callDepth > Ctx.maxCallDepth {
            throw RuntimeError("functions call each other more than \(Ctx.maxCallDepth) levels deep (runaway recursion?)", at: span)
        }
        try ctx.tick(at: span)
        ctx.locals = args
        ctx.base += FunctionBody.frame
        ctx.ensure(FunctionBody.frame)
        return try eval(ctx)
    }

    /// Evaluates a computed field body for one entity row (the row is level 0 of the new frame).
    func call(_ ctx: Ctx, entity row: Int32, at span: Span) throws -> Value {
        guard let eval else { return .none }
        ctx.callDepth += 1
        let savedBase = ctx.base, savedLocals = ctx.locals
        defer { ctx.callDepth -= 1; ctx.base = savedBase; ctx.locals = savedLocals }
        if ctx.callDepth > Ctx.maxCallDepth {
            throw RuntimeError("computed fields refer to each other more than \(Ctx.maxCallDepth) levels deep", at: span)
        }
        ctx.base += FunctionBody.frame
        ctx.ensure(FunctionBody.frame)
        ctx.locals = []
        ctx.entityRows[ctx.base] = row
        ctx.rels[ctx.base] = nil
        return try eval(ctx)
    }
}

extension Compiler {
    /// `sum|avg|min|max|count(REL.FIELD)` where REL is a to-many relationship of the row in scope and
    /// FIELD a stored exact or integer column: sums the typed column over the relationship's index slice
    /// without building values per row. Returns nil when the pattern does not apply.
    func relationshipAggregate(_ agg: AggregateKind, _ arg: Expr, _ span: Span) -> Compiled? {
        guard agg != .list && agg != .median, case .member(let base, let field) = arg.kind,
              case .name(let rel) = base.kind, params[rel] == nil, state.globals[rel] == nil else { return nil }
        guard let level = scopes.indices.last, !scopes[level].grouped, let k = scopes[level].shape.kind, scopes[level].shape.columnIndex(rel) == nil,
              state.fields[k]?[rel] == nil,
              let ri = Catalog.schemas[k.rawValue].toMany.firstIndex(where: { $0.name == rel }) else { return nil }
        let target = Catalog.schemas[k.rawValue].toMany[ri].target
        let tschema = Catalog.schemas[target.rawValue]
        guard state.fields[target]?[field.text] == nil, tschema.computedDef(field.text) == nil,
              let fi = tschema.fieldIndex(field.text) else { return nil }
        let ftype = tschema.fields[fi].type
        let make: (Int64) -> Value
        let cur = currency
        switch ftype {
        case .money: make = { .money(Fixed(units: $0), currency: cur) }
        case .hours: make = { .hours(Fixed(units: $0)) }
        case .percent: make = { .percent(Fixed(units: $0)) }
        case .int: make = { .int($0) }
        default: return nil
        }
        let vtype = VType.of(ftype, currency: cur)
        let col = store.table(target).columns[fi]
        let st = store
        return Compiled(agg.resultType(vtype), { ctx in
            let r = ctx.entityRows[ctx.base + level]
            if r < 0 { return .none }
            let slice = st.related(k, relationship: ri, row: r)
            try ctx.tick(slice.count, at: span)
            let ints = col.ints, nulls = col.nulls
            var sum: Int64 = 0, n: Int64 = 0
            var lo = Int64.max, hi = Int64.min
            for t in slice {
                let i = Int(t)
                if nulls.isNone(i) { continue }
                let v = ints[i]
                let (s2, o) = sum.addingReportingOverflow(v)
                if o { throw Arithmetic.overflow("+", span) }
                sum = s2; n += 1
                if v < lo { lo = v }
                if v > hi { hi = v }
            }
            switch agg {
            case .count: return .int(n)
            case .sum: return make(sum)
            case .min: return n == 0 ? .none : make(lo)
            case .max: return n == 0 ? .none : make(hi)
            default: // avg
                if n == 0 { return .none }
                if case .int = ftype { return .real(Double(sum) / Double(n)) }
                return try Arithmetic.div(make(sum), .int(n), span)
            }
        })
    }
}
