// Evaluating rules: each (rule, entity) is pass, violation, unknown (naming what was missing) or error.
import PMOBase
import PMOSyntax
import Portfolio

extension Session {
    /// Evaluates every rule declared so far (or those named) at the session's as-of date, as `check`
    /// does: one finding per rule and entity it checks, passes included, in report order. Throws only
    /// when the whole run must stop (interrupted, step budget); an error for one entity is a finding.
    public func check(rules ids: [String]? = nil) throws(RuntimeError) -> [Finding] {
        let rules = ids.map { $0.compactMap { state.book.rules[$0] } } ?? state.book.all
        let ctx = Ctx(store: store, asOf: options.asOf, maxSteps: options.maxSteps)
        ctx.globals = globalValues
        do {
            return try evaluate(rules, ctx)
        } catch let e as RuntimeError {
            throw e
        } catch {
            throw RuntimeError("internal error: \(error)", at: .unknown)
        }
    }

    /// The findings of `rules`, in report order (severity, rule, entity).
    func evaluate(_ rules: [CompiledRule], _ ctx: Ctx) throws -> [Finding] {
        var out: [Finding] = []
        for r in rules { out += try evaluate(r, ctx) }
        return out.sorted(by: Finding.ordered)
    }

    /// The findings of one rule for every entity of its set (or only `row`: then none when the rule's
    /// set leaves that entity out).
    func evaluate(_ r: CompiledRule, _ ctx: Ctx, only row: Int32? = nil) throws -> [Finding] {
        ctx.base = 0
        let rows: [Int32]
        do {
            switch try r.subject(ctx) {
            case .rows(_, let rs): rows = rs
            default: rows = []
            }
        } catch {
            let e = try Session.recoverable(error)
            // The set itself could not be computed: one error finding stands for the whole rule.
            return [Finding(rule: r.id, title: r.title, severity: r.severity, kind: r.kind, entityID: "", entityName: "",
                            outcome: .error, message: "error: the rule's 'for' failed: \(e.message)", ruleSpan: r.span)]
        }
        if let only = row { return rows.contains(only) ? [try finding(r, only, ctx)] : [] }
        var out: [Finding] = []
        out.reserveCapacity(rows.count)
        for x in rows { out.append(try finding(r, x, ctx)) }
        return out
    }

    /// A runtime error that becomes an error finding; an interruption or an exhausted budget rethrows.
    static func recoverable(_ error: any Error) throws -> RuntimeError {
        guard let e = error as? RuntimeError else { return RuntimeError("internal error: \(error)", at: .unknown) }
        if e.message == "interrupted" || e.message.hasPrefix("step budget exhausted") { throw e }
        return e
    }

    /// Binds entity `row` as the current row of scope level 0.
    func bind(_ row: Int32, _ ctx: Ctx) {
        ctx.base = 0
        ctx.ensure(0)
        ctx.entityRows[0] = row
        ctx.relRows[0] = 0
        ctx.rels[0] = nil
    }

    /// The finding of rule `r` for entity `row` of its set.
    func finding(_ r: CompiledRule, _ row: Int32, _ ctx: Ctx) throws -> Finding {
        try ctx.tick(at: r.span)
        bind(row, ctx)
        let id = entityLabel(r.kind, row)
        var f = Finding(rule: r.id, title: r.title, severity: r.severity, kind: r.kind, entityID: id,
                        entityName: entityName(r.kind, row), outcome: .pass, message: "", ruleSpan: r.span)
        do {
            switch try r.condition(ctx) {
            case .bool(true): f.outcome = .pass
            case .bool(false): f.outcome = .violation
            case .none: f.outcome = .unknown
            case let v:
                f.outcome = .error
                f.message = "error: the condition gave \(v.typeName), not true or false"
            }
        } catch {
            f.outcome = .error
            f.message = "error: " + (try Session.recoverable(error)).message
        }
        if let w = governance.waivers.last(where: { $0.rule == r.id && $0.kind == r.kind && $0.entityID == id }) {
            f.waiver = w
            f.waiverExpired = w.until < ctx.asOf
        }
        guard f.outcome != .pass else { return f }
        switch f.outcome {
        case .violation:
            f.message = text(r.message, row, ctx) ?? defaultMessage(r)
        case .unknown:
            let missing = self.missing(r, row, ctx)
            f.missing = missing
            f.message = "unknown: \(missing) is none"
        default:
            break
        }
        f.owner = r.owner.flatMap { ev -> String? in
            bind(row, ctx)
            return (try? ev(ctx)).flatMap { ownerText($0) }
        }
        f.remedy = text(r.remedy, row, ctx)
        return f
    }

    /// A text clause evaluated for `row`; nil when absent, none or failing (a report must not fail
    /// because its message does).
    func text(_ ev: Eval?, _ row: Int32, _ ctx: Ctx) -> String? {
        guard let ev else { return nil }
        bind(row, ctx)
        guard let v = try? ev(ctx), !v.isNone else { return nil }
        return Display.text(v, store: store)
    }

    /// The message of a violation when the rule has none: its title, else its condition.
    func defaultMessage(_ r: CompiledRule) -> String {
        if let t = r.decl.title { return t }
        return "does not meet: " + sourceText(r.decl.condition)
    }

    /// An owner as shown: a person's (or any entity's) name, else the value as text.
    func ownerText(_ v: Value) -> String? {
        switch v {
        case .none: return nil
        case .entity(let k, let row): return entityName(k, row)
        default:
            let s = Display.text(v, store: store)
            return s.isEmpty ? nil : s
        }
    }

    /// An entity's name (its title for risks, issues and changes; its project's name for gates, status
    /// reports, allocations and timesheets), else its label.
    func entityName(_ k: EntityKind, _ row: Int32) -> String {
        let t = store.table(k)
        guard row >= 0, Int(row) < t.count else { return entityLabel(k, row) }
        for field in ["name", "title"] {
            if let c = t.column(field), let s = c.string(Int(row)) { return s }
        }
        if let c = t.column("project"), case .reference(let target) = c.field.type, c.codes[Int(row)] >= 0 {
            return entityName(target, c.codes[Int(row)])
        }
        return entityLabel(k, row)
    }

    /// The fields that identify an entity of a set without ids.
    static func naturalKey(_ k: EntityKind) -> [String] {
        switch k {
        case .gate: return ["project", "gate"]
        case .statusReport: return ["project", "as_of"]
        case .allocation: return ["resource", "project", "start"]
        case .timesheet: return ["resource", "project", "week"]
        case .dependency: return ["from", "to"]
        case .holiday: return ["date"]
        default: return ["id"]
        }
    }

    /// How a finding names its entity: its id, or for a set without ids its natural key
    /// (`PRJ-0030 G3` for a gate, `RES-007 PRJ-0001 2026-06-01` for an allocation).
    func entityLabel(_ k: EntityKind, _ row: Int32) -> String {
        let t = store.table(k)
        guard t.column("id") == nil, row >= 0, Int(row) < t.count else { return Display.entityLabel(store, k, row) }
        var parts: [String] = []
        for name in Session.naturalKey(k) {
            guard let c = t.column(name), !c.isNone(Int(row)) else { continue }
            switch c.field.type {
            case .reference(let target): parts.append(Display.entityLabel(store, target, c.codes[Int(row)]))
            case .date: parts.append(Day(raw: c.codes[Int(row)]).description)
            default: if let s = c.string(Int(row)) { parts.append(s) }
            }
        }
        return parts.isEmpty ? Display.entityLabel(store, k, row) : parts.joined(separator: " ")
    }

    /// The entity of set `k` with id (else exact name, else for a set without ids label) `key`.
    func findEntity(_ k: EntityKind, _ key: String) -> Int32? {
        if let row = store.find(k, key: key) { return row }
        guard store.table(k).column("id") == nil else { return nil }
        for r in 0..<store.table(k).count where entityLabel(k, Int32(r)) == key { return Int32(r) }
        return nil
    }

    /// Candidates for did-you-mean when an entity key is not found.
    func entityKeys(_ k: EntityKind) -> [String] {
        if store.table(k).column("id") == nil { return (0..<store.table(k).count).map { entityLabel(k, Int32($0)) } }
        return (Array(store.idIndex(k).keys) + Array(store.nameIndex(k).keys)).sorted()
    }

    /// The expression as written in its source (whitespace collapsed), else as printed.
    func sourceText(_ e: Expr) -> String {
        guard let f = sources.file(e.span.file), e.span.end > e.span.start else { return Printer.print(e) }
        let raw = f.text(e.span)
        return raw.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }

    /// For an unknown outcome: the innermost sub-expression of the condition that is none, as written.
    func missing(_ r: CompiledRule, _ row: Int32, _ ctx: Ctx) -> String {
        let root = probe(r)
        bind(row, ctx)
        return (deepestNone(root, ctx) ?? root).text
    }

    /// The first child (depth first) whose value is none, descending as far as values stay none.
    func deepestNone(_ n: ProbeNode, _ ctx: Ctx) -> ProbeNode? {
        for child in n.children where !child.isLiteral {
            guard let ev = child.eval, let v = try? ev(ctx), v.isNone else { continue }
            return deepestNone(child, ctx) ?? child
        }
        return nil
    }
}
