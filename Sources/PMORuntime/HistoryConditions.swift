// History in conditions, from the journal: `F was V [window]`, `F was in [...]`, `F was not V`,
// `F changed [from V] [to V] [by "WHO"] [window]` and `at(F, DATE)`, where F is a stored field of the
// rows in scope. Values are compared as the journal keeps them (CSV cells of the import format).
//
// Meaning (grammar.md): `was` includes the current value; a field never changed has held its value
// since the journal began; `during P` is P's first to last day inclusive, `on D` that day, `after D`
// the days after D, `before D` the days before D.
import PMOBase
import PMOSyntax
import Portfolio

extension Compiler {
    /// The stored field F names in the innermost entity scope: (set, field, scope level).
    func historyField(_ f: Expr, _ what: String) -> (EntityKind, FieldDef, Int)? {
        guard let level = scopes.indices.last(where: { scopes[$0].shape.kind != nil }), let k = scopes[level].shape.kind else {
            error("'\(what)' needs rows to look at, as in projects where status \(what) ...", f.span)
            return nil
        }
        guard case .name(let n) = f.kind else {
            error("'\(what)' needs a stored field of \(k.setName), such as status", f.span)
            return nil
        }
        let schema = Catalog.schemas[k.rawValue]
        guard let i = schema.fieldIndex(n) else {
            if schema.computedDef(n) != nil {
                error("'\(n)' is computed, and the journal keeps stored fields only", f.span, help: "use at(), was and changed on the stored fields it is computed from")
            } else {
                let hint = Suggest.closest(to: n, in: schema.fields.map(\.name)).map { "did you mean '\($0)'?" }
                error("unknown field '\(n)' on \(k.singular)", f.span, help: hint)
            }
            return nil
        }
        return (k, schema.fields[i], level)
    }

    /// A value for comparing with the journal: a bare enumeration value, else the expression.
    func historyValue(_ e: Expr, _ f: FieldDef) -> Compiled {
        if case .enumeration(let en) = f.type {
            if case .name(let n) = e.kind, !isResolvable(n) { return enumConstant(n, en, e.span) }
            if case .literal(.string(let s)) = e.kind { return enumConstant(s, en, e.span) }
        }
        if case .reference(let target) = f.type, case .literal(.string(let s)) = e.kind {
            guard let row = store.find(target, key: s) else {
                return errorCompiled("no \(target.singular) has the id or name \"\(s)\"", e.span)
            }
            return .const(.entity(target, row), .entity(target))
        }
        let x = compile(e)
        let want = VType.of(f.type, currency: currency)
        if x.type != .any && x.type != want && !(f.type == .id && x.type == .string) && !(f.type == .real && x.type == .int) {
            error("'\(f.name)' is \(want) but this is \(x.type)", e.span)
        }
        return x
    }

    /// The window's first and last days (nil: unbounded).
    func historyWindow(_ w: HistoryWindow?) -> ((Ctx) throws -> (Day?, Day?))? {
        guard let w else { return nil }
        let x = compile(w.expr)
        switch (w, x.type) {
        case (.during, .period), (.during, .date), (_, .date), (_, .any): break
        default: error("'\(w.word)' needs a \(w.word == "during" ? "period or date" : "date") but found \(x.type)", w.expr.span)
        }
        let ev = x.eval
        let span = w.expr.span
        return { ctx in
            let v = try ev(ctx)
            var lo: Day, hi: Day
            switch v {
            case .date(let d): lo = d; hi = d
            case .period(let p): lo = p.start; hi = p.end
            default: throw RuntimeError("'\(w.word)' needs a date but got \(v.typeName)", at: span)
            }
            switch w {
            case .during, .on: return (lo, hi)
            case .after: return (hi.adding(days: 1), nil)
            case .before: return (nil, lo.adding(days: -1))
            }
        }
    }

    func history(_ e: Expr) -> Compiled {
        switch e.kind {
        case .was(let f, let v, let form, let w):
            guard let (k, field, level) = historyField(f, form.rawValue) else { return .poisoned }
            let current = compile(f).eval
            var wanted: [Eval] = []
            if form == .oneOf {
                guard case .list(let items) = v.kind else { return errorCompiled("'was in' needs a list of values, as in [red, amber]", v.span) }
                wanted = items.map { historyValue($0, field).eval }
            } else {
                wanted = [historyValue(v, field).eval]
            }
            let window = historyWindow(w)
            let keyIdx = History.keyFields(k).compactMap { Catalog.schemas[k.rawValue].fieldIndex($0) }
            let negated = form == .not
            return Compiled(.bool, { ctx in
                let r = ctx.entityRows[ctx.base + level]
                guard r >= 0 else { return .none }
                let targets = try Set(wanted.map { Compiler.journalText(try $0(ctx), field.type, ctx.store) })
                let now = Compiler.journalText(try current(ctx), field.type, ctx.store)
                var held: Set<String?> = []
                let entity = History.name(ctx.store, k, Int(r), keyIdx)
                let entries = try ctx.journalIndex()?.entries(k.setName, entity, field.name) ?? []
                if let window {
                    let (lo, hi) = try window(ctx)
                    if let lo, let hi, hi < lo { return .bool(negated) }
                    if let lo, let index = try ctx.journalIndex(), let before = lo.adding(days: -1) {
                        if case .value(let v) = index.value(k.setName, entity, field.name, at: before) { held.insert(v) } else { held.insert(now) }
                    } else if lo == nil {
                        held.insert(entries.first?.old ?? now)
                    } else {
                        held.insert(now)
                    }
                    for en in entries where (lo.map { en.effective >= $0 } ?? true) && (hi.map { en.effective <= $0 } ?? true) {
                        held.insert(en.new)
                    }
                } else {
                    held.insert(now)
                    for en in entries { held.insert(en.old); held.insert(en.new) }
                }
                return .bool(!held.isDisjoint(with: targets) != negated)
            })
        case .changed(let f, let q):
            guard let (k, field, level) = historyField(f, "changed") else { return .poisoned }
            let from = q.from.map { historyValue($0, field).eval }
            let to = q.to.map { historyValue($0, field).eval }
            var by: Eval?
            if let b = q.by {
                let x = compile(b)
                if x.type != .string && x.type != .any { error("'by' needs who made the change, as text, but found \(x.type)", b.span) }
                by = x.eval
            }
            let window = historyWindow(q.window)
            let keyIdx = History.keyFields(k).compactMap { Catalog.schemas[k.rawValue].fieldIndex($0) }
            return Compiled(.bool, { ctx in
                let r = ctx.entityRows[ctx.base + level]
                guard r >= 0 else { return .none }
                guard let index = try ctx.journalIndex() else { return .bool(false) }
                let entries = index.entries(k.setName, History.name(ctx.store, k, Int(r), keyIdx), field.name)
                if entries.isEmpty { return .bool(false) }
                let fromText = try from.map { Compiler.journalText(try $0(ctx), field.type, ctx.store) }
                let toText = try to.map { Compiler.journalText(try $0(ctx), field.type, ctx.store) }
                var who: String?
                if let by { if case .string(let s) = try by(ctx) { who = s } else { return .none } }
                let (lo, hi) = try window?(ctx) ?? (nil, nil)
                let hit = entries.contains { en in
                    (lo.map { en.effective >= $0 } ?? true) && (hi.map { en.effective <= $0 } ?? true)
                        && (fromText.map { en.old == $0 } ?? true) && (toText.map { en.new == $0 } ?? true)
                        && (who.map { en.by == $0 } ?? true) && en.old != en.new
                }
                return .bool(hit)
            })
        default:
            return compile(e)
        }
    }

    /// `at(F, DATE)`: the value F had at the end of DATE.
    func historyAt(_ args: [Expr], _ span: Span) -> Compiled {
        guard args.count == 2 else { return errorCompiled("'at' takes a field and a date, as in at(bac, 2026-09-30)", span) }
        guard let (k, field, level) = historyField(args[0], "at") else { return .poisoned }
        let current = compile(args[0])
        let d = compile(args[1])
        if d.type != .date && d.type != .any { error("'at' needs a date but found \(d.type)", args[1].span) }
        let cur = current.eval, dev = d.eval
        let keyIdx = History.keyFields(k).compactMap { Catalog.schemas[k.rawValue].fieldIndex($0) }
        return Compiled(current.type, { ctx in
            let r = ctx.entityRows[ctx.base + level]
            guard r >= 0 else { return .none }
            guard case .date(let day) = try dev(ctx) else { return .none }
            guard let index = try ctx.journalIndex() else { return try cur(ctx) }
            switch index.value(k.setName, History.name(ctx.store, k, Int(r), keyIdx), field.name, at: day) {
            case .unknown: return try cur(ctx)
            case .value(let text): return Compiler.value(fromJournal: text, field, ctx.store)
            }
        })
    }

    /// The columns of the `journal` set (`entity`: with `set` and `entity`) and of a `history`.
    static func historyType(entity: Bool) -> VType {
        let names: [(String, VType)] = [("set", .string), ("entity", .string), ("field", .string), ("old", .string), ("new", .string),
                                         ("effective", .date), ("recorded", .string), ("by", .string), ("source", .string),
                                         ("reason", .string), ("batch", .int)]
        return .table(names.filter { entity || ($0.0 != "set" && $0.0 != "entity") }.map { TableColumn(name: $0.0, type: $0.1) })
    }

    static func historyTable(_ entries: [JournalEntry], entity: Bool) -> ResultTable {
        guard case .table(let cols, _) = historyType(entity: entity) else { return ResultTable(columns: [], rows: []) }
        let rows: [[Value]] = entries.map { e in
            var row: [Value] = entity ? [.string(e.set), .string(e.entity)] : []
            row += [.string(e.field), e.old.map(Value.string) ?? .none, e.new.map(Value.string) ?? .none, .date(e.effective),
                    .string(e.recorded), .string(e.by), .string(e.source), .string(e.reason), .int(e.batch)]
            return row
        }
        return ResultTable(columns: cols.map { ResultColumn(name: $0.name, kind: $0.type.columnKind) }, rows: rows)
    }

    /// `journal`: every entry, in the order recorded.
    func journalSet() -> Compiled {
        Compiled(Compiler.historyType(entity: true), { ctx in
            let entries = (try ctx.journalIndex()?.entries ?? []).sorted { $0.seq < $1.seq }
            return .table(Compiler.historyTable(entries, entity: true))
        })
    }

    /// `history` of an entity: its entries (every field, and its row entries), in the order recorded.
    func historyMember(_ k: EntityKind) -> (VType, RowReader) {
        let keyIdx = History.keyFields(k).compactMap { Catalog.schemas[k.rawValue].fieldIndex($0) }
        return (Compiler.historyType(entity: false), { ctx, r in
            guard let index = try ctx.journalIndex() else { return .table(Compiler.historyTable([], entity: false)) }
            let entity = History.name(ctx.store, k, Int(r), keyIdx)
            let entries = index.entries(forEntity: k.setName, entity).sorted { $0.seq < $1.seq }
            return .table(Compiler.historyTable(entries, entity: false))
        })
    }

    /// A value as the journal writes it (nil for none).
    static func journalText(_ v: Value, _ t: FieldType, _ store: PortfolioStore) -> String? {
        let cell: CellValue
        switch v {
        case .none: return nil
        case .string(let s): cell = .text(s)
        case .int(let n): cell = t == .real ? .real(Double(n)) : .int(n)
        case .real(let x): cell = .real(x)
        case .bool(let b): cell = .int(b ? 1 : 0)
        case .money(let m, _): cell = .int(m.units)
        case .percent(let p): cell = .int(p.units)
        case .hours(let h): cell = .int(h.units)
        case .date(let d): cell = .date(d)
        case .duration(let d): cell = .int(Int64(d.days))
        case .enumeration(let e, let code): cell = Int(code) < e.cases.count ? .text(e.cases[Int(code)]) : .none
        case .entity(let k, let r): cell = store.table(k).column("id")?.string(Int(r)).map(CellValue.reference) ?? .none
        case .list(let items):
            cell = .text(items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }.joined(separator: ";"))
        default: return "\u{1}" + "\(v)"
        }
        return cell.text(t)
    }

    /// A journal text as a value of field `f`.
    static func value(fromJournal text: String?, _ f: FieldDef, _ store: PortfolioStore) -> Value {
        guard let text, let cell = CellValue.parse(text, f.type) else { return .none }
        switch (f.type, cell) {
        case (_, .none): return .none
        case (.enumeration(let e), .text(let s)): return e.code(of: s).map { .enumeration(e, $0) } ?? .none
        case (.stringList, .text(let s)): return .list(s.split(separator: ";").map { .string(String($0)) })
        case (_, .text(let s)): return .string(s)
        case (.money, .int(let n)): return .money(Fixed(units: n), currency: store.currency)
        case (.percent, .int(let n)): return .percent(Fixed(units: n))
        case (.hours, .int(let n)): return .hours(Fixed(units: n))
        case (.duration, .int(let n)): return Int32(exactly: n).map { .duration(Duration(days: $0)) } ?? .none
        case (.bool, .int(let n)): return .bool(n != 0)
        case (_, .int(let n)): return .int(n)
        case (_, .real(let x)): return .real(x)
        case (_, .date(let d)): return .date(d)
        case (.reference(let k), .reference(let id)): return store.idIndex(k)[id].map { .entity(k, $0) } ?? .none
        default: return .none
        }
    }
}
