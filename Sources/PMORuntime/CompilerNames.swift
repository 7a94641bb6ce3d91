// Name resolution: parameters, row scopes (fields, relationships, computed fields), variables, entity sets.
import PMOBase
import PMOSyntax
import Portfolio

/// Reads one member (field, relationship or computed field) of an entity row.
typealias RowReader = (Ctx, Int32) throws -> Value

extension Compiler {
    /// Whether a bare name means something here (so it is not read as an enum value).
    func isResolvable(_ n: String) -> Bool {
        if params[n] != nil { return true }
        for s in scopes {
            if s.shape.columnIndex(n) != nil { return true }
            if let k = s.shape.kind, memberType(k, n) != nil { return true }
        }
        return state.globals[n] != nil || EntityKind(setName: n) != nil || Compiler.graphSets.contains(n)
    }

    func resolveName(_ n: String, _ span: Span) -> Compiled {
        if let (i, t) = params[n] {
            return Compiled(t, { ctx in i < ctx.locals.count ? ctx.locals[i] : .none })
        }
        for level in scopes.indices.reversed() {
            let s = scopes[level]
            if let c = s.shape.columnIndex(n) {
                if !s.shape.groupKeys.values.contains(c), let bad = ungroupedRead(level, n, span) { return bad }
                return columnRead(level, c)
            }
            if let k = s.shape.kind, let (t, reader) = memberReader(k, n, span) {
                if let bad = ungroupedRead(level, n, span) { return bad }
                var compiled = Compiled(t, { ctx in
                    let r = ctx.entityRows[ctx.base + level]
                    return r < 0 ? .none : try reader(ctx, r)
                })
                compiled.batch = memberBatch(k, n, level: level)
                return compiled
            }
        }
        if let g = state.globals[n] {
            usedGlobals.append(n)
            let slot = g.slot
            return Compiled(g.type, { ctx in slot < ctx.globals.count ? ctx.globals[slot] : .none })
        }
        if n == "outer" { return outerRow(span) }
        if n == "journal" { return journalSet() }  // HistoryConditions.swift
        if let k = EntityKind(setName: n) {
            // Inside a row a set name that is not one of its relationships is refused: it would
            // silently count the whole portfolio for every row (grammar.md, "Scopes").
            if let level = scopes.indices.last(where: { !scopes[$0].grouped }) {
                return setNameInRow(k, n, scopes[level].shape.kind, span)
            }
            return wholeSet(k)
        }
        if n == "dependency_cycles" { return dependencyCycles() } // CompilerGraph.swift
        if n == "schedule_problems" { return scheduleProblems() }
        return unknownName(n, span)
    }

    /// Column `c` of the row at scope `level`.
    func columnRead(_ level: Int, _ c: Int) -> Compiled {
        var compiled = Compiled(scopes[level].shape.columns[c].type, { ctx in
            let l = ctx.base + level
            guard let rel = ctx.rels[l], c < rel.data.count else { return .none }
            return rel.data[c][ctx.relRows[l]]
        })
        compiled.batch = Compiler.columnBatch(level: level, column: c)
        return compiled
    }

    /// Inside `select`/`aggregate` after `group by`, an expression written as one of the keys
    /// (`program.name` after `group by program.name`) reads that key: it is rewritten to the key's
    /// column name before it is compiled (outside aggregates and sub-pipelines, which see the rows).
    /// A rewrite rather than a test in `compile`, whose frame is on the stack once per nesting level.
    func withGroupKeys(_ e: Expr, _ keys: [String: Int], _ columns: [TableColumn]) -> Expr {
        if keys.isEmpty { return e }
        func walk(_ e: Expr) -> Expr {
            switch e.kind {
            case .member, .call, .methodCall:
                if let c = keys[Printer.print(e)], c < columns.count { return Expr(.name(columns[c].name), e.span) }
            default: break
            }
            let k: ExprKind
            switch e.kind {
            case .member(let b, let n): k = .member(walk(b), n)
            case .call(let f, let args):
                if AggregateKind(rawValue: f.text) != nil { return e }
                k = .call(f, args.map(walk))
            case .methodCall(let b, let n, let args): k = .methodCall(walk(b), n, args.map(walk))
            case .unary(let op, let x): k = .unary(op, walk(x))
            case .binary(let op, let l, let r): k = .binary(op, walk(l), walk(r))
            case .between(let x, let lo, let hi, let neg): k = .between(walk(x), walk(lo), walk(hi), negated: neg)
            case .isIn(let x, let l, let neg): k = .isIn(walk(x), walk(l), negated: neg)
            case .isNone(let x, let neg): k = .isNone(walk(x), negated: neg)
            case .ifThen(let c, let a, let b): k = .ifThen(walk(c), walk(a), walk(b))
            case .list(let items): k = .list(items.map(walk))
            default: return e
            }
            return Expr(k, e.span)
        }
        return walk(e)
    }

    /// A read of the row at a grouped `level` (a field, `this`, `outer`) outside any aggregate: it
    /// would be one arbitrary row of the group, so it is an error (SQL's "must appear in the GROUP BY
    /// clause or be used in an aggregate function"). nil when the read is allowed.
    func ungroupedRead(_ level: Int, _ n: String, _ span: Span) -> Compiled? {
        guard scopes[level].grouped else { return nil }
        if aggregating > 0 { groupedReads += 1; return nil }
        let keys = scopes[level].shape.groupKeys
        let shown = Set(keys.values).sorted().compactMap { c in keys.keys.filter { keys[$0] == c }.min(by: { $0.count > $1.count }) }
        let what = keys.isEmpty ? "in 'aggregate' every value must be an aggregate"
            : "after 'group by' a value must be a group key (\(shown.joined(separator: ", "))) or an aggregate"
        return errorCompiled("'\(n)' is not a group key and is not inside an aggregate: it would be one arbitrary row of the group; \(what)", span,
                             help: "add it to the keys (group by ..., \(n)) or aggregate it: min(\(n)), max(\(n)), list(\(n)), count()")
    }

    /// Every entity of a set, in id order: a set name at the top level, or `all projects` anywhere.
    func wholeSet(_ k: EntityKind) -> Compiled {
        let count = store.table(k).count
        return Compiled(.rows(k), { _ in .rows(k, Array(0..<Int32(count))) })
    }

    /// `all projects`: the whole set, whatever row is in scope.
    func allSet(_ name: Name) -> Compiled {
        if let k = EntityKind(setName: name.text) { return wholeSet(k) }
        let hint = Suggest.closest(to: name.text, in: EntityKind.allCases.map(\.setName)).map { "did you mean 'all \($0)'?" }
        return errorCompiled("'all' needs an entity set, such as all projects, but found '\(name.text)'", name.span, help: hint)
    }

    /// `outer`: the row around the innermost sub-pipeline.
    func outerRow(_ span: Span) -> Compiled {
        guard scopes.count >= 2 else {
            return errorCompiled("'outer' is the row around a sub-pipeline, and there is no sub-pipeline here", span,
                                 help: "use it inside a pipeline within a row: count(all projects where manager = outer)")
        }
        let level = scopes.count - 2
        guard let k = scopes[level].shape.kind else {
            return errorCompiled("the row around this sub-pipeline is a table row, not an entity", span)
        }
        if let bad = ungroupedRead(level, "outer", span) { return bad }
        return Compiled(.entity(k), { ctx in
            let r = ctx.entityRows[ctx.base + level]
            return r < 0 ? .none : .entity(k, r)
        })
    }

    /// The error for a set name inside a row that has no relationship of that name, with the paths
    /// that reach that set from the row and `all SET` for the whole set.
    func setNameInRow(_ target: EntityKind, _ n: String, _ row: EntityKind?, _ span: Span) -> Compiled {
        var suggestions: [String] = []
        if let k = row {
            let schema = Catalog.schemas[k.rawValue]
            for r in schema.toMany where r.target == target { suggestions.append(r.name) }
            for r in schema.toMany {
                for r2 in Catalog.schemas[r.target.rawValue].toMany where r2.target == target {
                    suggestions.append("\(r.name).\(r2.name)")
                }
            }
            for f in schema.fields {
                guard case .reference(let k2) = f.type else { continue }
                for r2 in Catalog.schemas[k2.rawValue].toMany where r2.target == target {
                    suggestions.append("\(f.name).\(r2.name)")
                }
            }
        }
        let paths = suggestions.prefix(3).map { "'\($0)'" }
        var help = ""
        if !paths.isEmpty {
            let list = paths.count == 1 ? paths[0] : paths.dropLast().joined(separator: ", ") + " or " + paths[paths.count - 1]
            help = "\(list) for this \(row?.singular ?? "row")'s own \(n), or "
        }
        help += "'all \(n)' for the whole set"
        let what = row.map { "a \($0.singular) has no relationship '\(n)'" } ?? "'\(n)' is not a column of this table"
        return errorCompiled("\(what); inside a row a set name does not mean the whole set", span, help: "write " + help)
    }

    func unknownName(_ n: String, _ span: Span) -> Compiled {
        var candidates = Array(params.keys) + Array(state.globals.keys) + EntityKind.allCases.map(\.setName)
        var inScope: EntityKind?
        for s in scopes {
            candidates += s.shape.columns.map(\.name)
            if let k = s.shape.kind { candidates += memberNames(k); inScope = k }
        }
        let hint = Suggest.closest(to: n, in: candidates).map { "did you mean '\($0)'?" }
        if let inner = scopes.last, inner.shape.kind == nil, !inner.shape.columns.isEmpty {
            let cols = inner.shape.columns.map(\.name).joined(separator: ", ")
            return errorCompiled("the rows here are a table with the columns \(cols); it has no column '\(n)'", span,
                                 help: (hint.map { $0 + " " } ?? "") + "('select' and 'group by' keep only the columns they name: filter or sort before 'select', or use 'extend' to add columns and keep the rest)")
        }
        if let k = inScope {
            if let e = EntityKind(singular: n) {
                return errorCompiled("unknown field '\(n)' on \(k.singular)", span, help: "write \(e.singular) \"ID\" to look up one \(e.singular)")
            }
            return errorCompiled("unknown field '\(n)' on \(k.singular)", span, help: hint)
        }
        return errorCompiled("unknown name '\(n)'", span, help: hint)
    }

    /// All member names of an entity set, including user-defined computed fields.
    func memberNames(_ k: EntityKind) -> [String] {
        Catalog.schemas[k.rawValue].allNames + Array(state.fields[k]?.keys ?? [:].keys)
    }

    func memberType(_ k: EntityKind, _ n: String) -> VType? {
        let schema = Catalog.schemas[k.rawValue]
        if let f = state.fields[k]?[n] { return f.type }
        if let i = schema.fieldIndex(n) { return VType.of(schema.fields[i].type, currency: currency) }
        if let r = schema.toManyDef(n) { return .rows(r.target) }
        if let c = schema.computedDef(n), !c.takesPeriod { return VType.of(c.type, currency: currency) }
        if n == "history" { return Compiler.historyType(entity: true) }
        return nil
    }

    /// The type and reader of a member of entity set `k`, or nil when it has none of that name.
    func memberReader(_ k: EntityKind, _ n: String, _ span: Span) -> (VType, RowReader)? {
        let schema = Catalog.schemas[k.rawValue]
        if let f = state.fields[k]?[n] {
            let body = f.body
            return (f.type, { ctx, row in try body.call(ctx, entity: row, at: span) })
        }
        if let c = schema.computedDef(n), let reader = scheduleReader(k, n, span) { return (VType.of(c.type, currency: currency), reader) }
        if let c = schema.computedDef(n), !c.takesPeriod, let reader = computedReader(k, n) {
            return (VType.of(c.type, currency: currency), reader)
        }
        if n == "history", schema.fieldIndex(n) == nil { return historyMember(k) }  // HistoryConditions.swift
        // A project's status is its latest report's overall RAG at the as-of date, else the imported value.
        if k == .project && n == "status", let reader = computedReader(k, n) {
            return (.enumeration(.rag), reader)
        }
        if let i = schema.fieldIndex(n) {
            let t = VType.of(schema.fields[i].type, currency: currency)
            return (t, storedReader(store.table(k).columns[i]))
        }
        if let ri = schema.toMany.firstIndex(where: { $0.name == n }) {
            let target = schema.toMany[ri].target
            let st = store
            return (.rows(target), { _, row in .rows(target, Array(st.related(k, relationship: ri, row: row))) })
        }
        return nil
    }

    /// A reader for a stored column, specialised by type.
    func storedReader(_ col: Column) -> RowReader {
        let cur = currency
        switch col.field.type {
        case .id, .string:
            return { _, r in let c = col.codes[Int(r)]; return c < 0 ? .none : .string(col.pool[c]) }
        case .int:
            return { _, r in col.nulls.isNone(Int(r)) ? .none : .int(col.ints[Int(r)]) }
        case .money:
            return { _, r in col.nulls.isNone(Int(r)) ? .none : .money(Fixed(units: col.ints[Int(r)]), currency: cur) }
        case .percent:
            return { _, r in col.nulls.isNone(Int(r)) ? .none : .percent(Fixed(units: col.ints[Int(r)])) }
        case .hours:
            return { _, r in col.nulls.isNone(Int(r)) ? .none : .hours(Fixed(units: col.ints[Int(r)])) }
        case .duration:
            return { _, r in
                col.nulls.isNone(Int(r)) ? .none : .duration(Duration(days: Int32(clamping: col.ints[Int(r)])))
            }
        case .real:
            return { _, r in col.nulls.isNone(Int(r)) ? .none : .real(col.reals[Int(r)]) }
        case .date:
            return { _, r in col.nulls.isNone(Int(r)) ? .none : .date(Day(raw: col.codes[Int(r)])) }
        case .bool:
            return { _, r in let v = col.smalls[Int(r)]; return v == Column.noneSmall ? .none : .bool(v != 0) }
        case .enumeration(let e):
            return { _, r in let v = col.smalls[Int(r)]; return v == Column.noneSmall ? .none : .enumeration(e, v) }
        case .reference(let target):
            return { _, r in let v = col.codes[Int(r)]; return v < 0 ? .none : .entity(target, v) }
        case .stringList:
            return { _, r in .list(col.lists[Int(r)].map { .string(col.pool[$0]) }) }
        }
    }

    // MARK: - Members

    func member(_ base: Expr, _ name: Name, _ span: Span) -> Compiled {
        let b = compile(base)
        let be = b.eval
        let n = name.text
        switch b.type {
        case .entity(let k):
            guard let (t, reader) = memberReader(k, n, span) else { return unknownMember(k, name) }
            return Compiled(t, { ctx in
                guard case .entity(_, let r) = try be(ctx) else { return .none }
                return try reader(ctx, r)
            })
        case .rows(let k):
            // A path through a to-many relationship is the flattened set of its end elements:
            // `projects.milestones` is every milestone of those projects (in project order).
            if state.fields[k]?[n] == nil, let ri = Catalog.schemas[k.rawValue].toMany.firstIndex(where: { $0.name == n }) {
                let target = Catalog.schemas[k.rawValue].toMany[ri].target
                let st = store
                return Compiled(.rows(target), { ctx in
                    guard case .rows(_, let rows) = try be(ctx) else { return .none }
                    var out: [Int32] = []
                    for r in rows {
                        let slice = st.related(k, relationship: ri, row: r)
                        try ctx.tick(slice.count + 1, at: span)
                        out.append(contentsOf: slice)
                    }
                    return .rows(target, out)
                })
            }
            guard let (t, reader) = memberReader(k, n, span) else { return unknownMember(k, name) }
            return Compiled(.list(t), { ctx in
                guard case .rows(_, let rows) = try be(ctx) else { return .none }
                var out: [Value] = []
                out.reserveCapacity(rows.count)
                for r in rows { try ctx.tick(at: span); out.append(try reader(ctx, r)) }
                return .list(out)
            })
        case .date:
            let parts: [String: (Day) -> Period] = [
                "week": Period.week(containing:), "month": Period.month(containing:),
                "quarter": Period.quarter(containing:), "year": Period.year(containing:),
            ]
            if let f = parts[n] {
                return Compiled(.period, { ctx in
                    guard case .date(let d) = try be(ctx) else { return .none }
                    return .period(f(d))
                })
            }
            if n == "day" || n == "weekday" {
                return Compiled(.int, { ctx in
                    guard case .date(let d) = try be(ctx) else { return .none }
                    return .int(Int64(n == "day" ? d.civil.day : d.weekday))
                })
            }
            return errorCompiled("a date has no member '\(n)'", name.span,
                                 help: "a date has .week, .month, .quarter, .year, .day and .weekday")
        case .period:
            if n == "start" || n == "end" {
                let isStart = n == "start"
                if let k = b.constant, case .period(let p) = k { return .const(.date(isStart ? p.start : p.end), .date) }
                return Compiled(.date, { ctx in
                    guard case .period(let p) = try be(ctx) else { return .none }
                    return .date(isStart ? p.start : p.end)
                })
            }
            if n == "days" {
                return Compiled(.int, { ctx in
                    guard case .period(let p) = try be(ctx) else { return .none }
                    return .int(Int64(p.dayCount))
                })
            }
            return errorCompiled("a period has no member '\(n)'", name.span, help: "a period has .start, .end and .days")
        case .duration where n == "days":
            return Compiled(.int, { ctx in
                guard case .duration(let d) = try be(ctx) else { return .none }
                return .int(Int64(d.approximateDays.rounded()))
            })
        case .list(.entity(let k)):
            return listMember(k, be, name, span)
        case .record, .any:
            return Compiled(.any, { ctx in
                switch try be(ctx) {
                case .record(let r): return r[n] ?? .none
                case .entity(let k, let row):
                    guard let (_, reader) = self.memberReader(k, n, span) else {
                        throw RuntimeError("\(k.singular) has no field '\(n)'", at: name.span)
                    }
                    return try reader(ctx, row)
                case .none: return .none
                case let v: throw RuntimeError("\(v.typeName) has no member '\(n)'", at: name.span)
                }
            })
        default:
            return errorCompiled("\(b.type) has no member '\(n)'", name.span)
        }
    }

    func unknownMember(_ k: EntityKind, _ name: Name) -> Compiled {
        let hint = Suggest.closest(to: name.text, in: memberNames(k)).map { "did you mean '\($0)'?" }
        return errorCompiled("unknown field '\(name.text)' on \(k.singular)", name.span, help: hint)
    }

    /// `project "PRJ-0042"`: one entity by id or exact name.
    func entityLookup(_ set: Name, _ key: Expr, _ span: Span) -> Compiled {
        guard let k = EntityKind(singular: set.text) ?? EntityKind(setName: set.text) else {
            let names = EntityKind.allCases.map(\.singular)
            let hint = Suggest.closest(to: set.text, in: names).map { "did you mean '\($0)'?" }
            return errorCompiled("unknown entity type '\(set.text)'", set.span, help: hint)
        }
        let kc = compile(key)
        let st = store
        if let c = kc.constant, case .string(let s) = c {
            guard let row = st.find(k, key: s) else {
                let ids = Array(st.idIndex(k).keys) + Array(st.nameIndex(k).keys)
                let hint = Suggest.closest(to: s, in: ids).map { "did you mean \"\($0)\"?" }
                return errorCompiled("no \(k.singular) has the id or name \"\(s)\"", key.span, help: hint)
            }
            return .const(.entity(k, row), .entity(k))
        }
        if kc.type != .string && kc.type != .any { error("\(k.singular) lookup needs an id or name but found \(kc.type)", key.span) }
        let ke = kc.eval
        return Compiled(.entity(k), { ctx in
            guard case .string(let s) = try ke(ctx), let row = st.find(k, key: s) else { return .none }
            return .entity(k, row)
        })
    }
}
