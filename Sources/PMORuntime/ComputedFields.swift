// Binds the model's computed fields (earned value, status, capacity, risk) to row readers.
import PMOBase
import PMOSyntax
import Portfolio

extension Ctx {
    /// Earned value of a project at the current as-of date, memoised per row for one as-of date.
    func evm(_ project: Int32) -> EVMFigures {
        if evmMemoAsOf != asOf || evmMemo.count != store.table(.project).count {
            evmMemo = Array(repeating: nil, count: store.table(.project).count)
            evmMemoAsOf = asOf
        }
        let i = Int(project)
        if i >= 0 && i < evmMemo.count, let f = evmMemo[i] { return f }
        let f = store.evm(project: project, asOf: asOf)
        if i >= 0 && i < evmMemo.count { evmMemo[i] = f }
        return f
    }
}

extension Compiler {
    /// The reader of a computed field without parameters, or nil if `k` has no such field.
    func computedReader(_ k: EntityKind, _ n: String) -> RowReader? {
        let cur = currency
        func money(_ f: Fixed?) -> Value { f.map { .money($0, currency: cur) } ?? .none }
        func real(_ d: Double?) -> Value { d.map { .real($0) } ?? .none }
        func evmField(_ e: EVMFigures) -> Value? {
            switch n {
            case "bac": return money(e.bac)
            case "pv": return money(e.pv)
            case "ev": return money(e.ev)
            case "ac": return money(e.ac)
            case "cv": return money(e.cv)
            case "sv": return money(e.sv)
            case "eac": return money(e.eac)
            case "etc": return money(e.etc)
            case "vac": return money(e.vac)
            case "cpi": return real(e.cpi)
            case "spi": return real(e.spi)
            case "tcpi": return real(e.tcpi)
            default: return nil
            }
        }
        let st = store
        switch k {
        case .project:
            switch n {
            case "pv", "ev", "ac", "cv", "sv", "eac", "etc", "vac", "cpi", "spi", "tcpi":
                return { ctx, r in evmField(ctx.evm(r)) ?? .none }
            case "status":
                return { ctx, r in ctx.store.projectStatus(project: r, asOf: ctx.asOf).map { .enumeration(.rag, $0) } ?? .none }
            case "computed_status":
                return { ctx, r in ctx.store.computedStatus(project: r, asOf: ctx.asOf).map { .enumeration(.rag, $0) } ?? .none }
            case "actual_cost":
                return { ctx, r in .money(ctx.store.actualCost(project: r, asOf: ctx.asOf), currency: cur) }
            case "latest_status":
                return { ctx, r in ctx.store.latestStatusReport(project: r, asOf: ctx.asOf).map { .entity(.statusReport, $0) } ?? .none }
            case "status_age":
                return { ctx, r in ctx.store.statusAge(project: r, asOf: ctx.asOf).map { .duration(Duration(days: Int32(clamping: $0))) } ?? .none }
            case "percent_complete":
                let col = st.table(.statusReport).column("percent_complete")
                return { ctx, r in
                    guard let rep = ctx.store.latestStatusReport(project: r, asOf: ctx.asOf), let c = col,
                          !c.nulls.isNone(Int(rep)) else { return .none }
                    return .percent(Fixed(units: c.ints[Int(rep)]))
                }
            case "open_risks": return { ctx, r in .int(Int64(ctx.store.openRisks(project: r))) }
            case "open_issues": return { ctx, r in .int(Int64(ctx.store.openIssues(project: r))) }
            case "overdue_milestones":
                return { ctx, r in .int(Int64(ctx.store.overdueMilestones(project: r, asOf: ctx.asOf))) }
            default: return nil
            }
        case .program, .portfolio:
            guard let ri = Catalog.schemas[k.rawValue].toMany.firstIndex(where: { $0.name == "projects" }) else { return nil }
            return { ctx, r in
                let projects = ctx.store.related(k, relationship: ri, row: r)
                return evmField(ctx.store.evmRollup(projects: projects, asOf: ctx.asOf)) ?? .none
            }
        case .milestone:
            switch n {
            case "overdue": return { ctx, r in ctx.store.milestoneOverdue(r, asOf: ctx.asOf).map { .bool($0) } ?? .none }
            case "slip": return { ctx, r in ctx.store.milestoneSlip(r).map { .duration(Duration(days: Int32(clamping: $0))) } ?? .none }
            default: return nil
            }
        case .risk:
            switch n {
            case "level": return { ctx, r in ctx.store.riskLevel(r).map { .int(Int64($0)) } ?? .none }
            case "score": return { ctx, r in ctx.store.riskScore(r).map { .int(Int64($0)) } ?? .none }
            case "exposure": return { ctx, r in money(ctx.store.riskExposure(r)) }
            default: return nil
            }
        default:
            return nil
        }
    }

    /// The reader of a computed field that takes a period (`utilization(2026-12)`), or nil.
    func periodReader(_ k: EntityKind, _ n: String) -> ((Ctx, Int32, Period) -> Value)? {
        guard k == .resource else { return nil }
        switch n {
        case "capacity": return { ctx, r, p in ctx.capacity.capacity(resource: r, period: p).map { .hours($0) } ?? .none }
        case "allocated": return { ctx, r, p in ctx.capacity.allocated(resource: r, period: p, approved: true).map { .hours($0) } ?? .none }
        case "requested": return { ctx, r, p in ctx.capacity.allocated(resource: r, period: p, approved: false).map { .hours($0) } ?? .none }
        case "utilization": return { ctx, r, p in ctx.capacity.utilization(resource: r, period: p).map { .percent($0) } ?? .none }
        case "overallocated": return { ctx, r, p in .bool(ctx.capacity.overallocated(resource: r, period: p)) }
        default: return nil
        }
    }

    /// Turns a date, period or date range value into a period for capacity fields.
    static func period(of v: Value) -> Period? {
        switch v {
        case .period(let p): return p
        case .date(let d): return Period.range(d, d)
        default: return nil
        }
    }

    /// `utilization(w)` inside a resource pipeline, or `r.utilization(w)`.
    /// With `level`, the entity is the row of that scope level (and the field may have a batch form).
    func periodField(_ k: EntityKind, _ name: Name, _ args: [Expr], level: Int? = nil,
                     entity: @escaping (Ctx) throws -> Int32?, _ span: Span) -> Compiled? {
        guard let def = Catalog.schemas[k.rawValue].computedDef(name.text), def.takesPeriod,
              let reader = periodReader(k, name.text) else { return nil }
        if let level, let bad = ungroupedRead(level, name.text, span) { return bad }
        guard args.count == 1 else {
            return errorCompiled("'\(name.text)' takes one period (such as 2026-12 or 2026-W47) but was given \(args.count) arguments", span)
        }
        let a = compile(args[0])
        switch a.type {
        case .period, .date, .any: break
        default: error("'\(name.text)' needs a period such as 2026-12, 2026-Q4 or 2026-W47 but found \(a.type)", args[0].span)
        }
        let ae = a.eval
        var compiled = Compiled(VType.of(def.type, currency: currency), { ctx in
            guard let r = try entity(ctx), let p = Compiler.period(of: try ae(ctx)) else { return .none }
            return reader(ctx, r, p)
        })
        if let level { compiled.batch = periodBatch(name.text, level: level, arg: a) }
        return compiled
    }

    func methodCall(_ base: Expr, _ name: Name, _ args: [Expr], _ span: Span) -> Compiled {
        let b = compile(base)
        guard case .entity(let k) = b.type else {
            if b.type == .any { return errorCompiled("cannot call '\(name.text)' on a value whose type is not known here", name.span) }
            return errorCompiled("\(b.type) has no function '\(name.text)'", name.span)
        }
        let be = b.eval
        if let c = periodField(k, name, args, entity: { ctx in
            if case .entity(_, let r) = try be(ctx) { return r }
            return nil
        }, span) { return c }
        if memberType(k, name.text) != nil {
            return errorCompiled("'\(name.text)' is a field of \(k.singular), not a function", name.span, help: "write .\(name.text) without parentheses")
        }
        return unknownMember(k, name)
    }
}
