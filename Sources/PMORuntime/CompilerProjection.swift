// Projection stages: select, extend, group by with aggregates, distinct and expand; column naming.
import PMOBase
import PMOSyntax
import Portfolio

extension Compiler {
    /// The column name of a projection item: its alias, else the last name in the expression.
    func columnName(_ item: ProjectionItem, taken: [String]) -> String {
        if let a = item.alias { return a.text }
        var path: [String] = []
        var e = item.expr
        var base: String
        switch e.kind {
        case .name(let n): base = n
        case .member:
            while case .member(let b, let n) = e.kind { path.insert(n.text, at: 0); e = b }
            if case .name(let n) = e.kind { path.insert(n, at: 0) }
            base = path.last ?? Printer.print(item.expr)
            if taken.contains(base) { base = path.joined(separator: "_") }
        case .call(let f, let args):
            if args.count == 1, case .name(let a) = args[0].kind { base = "\(f.text)_\(a)" } else { base = f.text }
        case .methodCall(_, let n, _): base = n.text
        default: base = Printer.print(item.expr)
        }
        var name = base
        var i = 2
        while taken.contains(name) { name = "\(base)_\(i)"; i += 1 }
        return name
    }

    /// `select` (keep: false) and `extend` (keep: true) over rows.
    func rowSelect(_ items: [ProjectionItem], _ shape: RowShape, _ level: Int, keep: Bool, _ span: Span) -> (StageFn, RowShape) {
        // `NAME = trend(...)` columns share one scale (Trend.swift): their series are drawn after all rows.
        var trends: [Int: (series: (Ctx) throws -> TrendSeries?, points: Int)] = [:]
        let cs = inScope(shape) {
            items.enumerated().map { (j, item) -> Compiled in
                if let t = trendColumn(item) {
                    trends[j] = t
                    return Compiled(.string, { _ in .none })
                }
                return compile(item.expr)
            }
        }
        var out = shape
        // After `select` the rows are exactly the selected columns, in one pipeline as through a
        // `let` (grammar.md, "A let is the pipeline it names"): later stages cannot read other fields.
        if !keep { out.columns = []; out.showEntity = false; out.kind = nil }
        var taken = out.columns.map(\.name)
        var names: [String] = []
        for (item, c) in zip(items, cs) {
            let n = columnName(item, taken: taken)
            taken.append(n); names.append(n)
            out.columns.append(TableColumn(name: n, type: c.type))
        }
        let evs = cs.map(\.eval)
        // Columns with a batch form are computed whole; the others row by row.
        let batches = cs.map { c in c.batch.flatMap { $0.level == level ? $0.values : nil } }
        let perRow = batches.indices.filter { batches[$0] == nil && trends[$0] == nil }
        let trendColumns = trends.keys.sorted().compactMap { j in trends[j].map { (j, $0.series, $0.points) } }
        let columnNames = names
        return ({ ctx, rel in
            ctx.rels[ctx.base + level] = rel
            var cols = Array(repeating: [Value](), count: evs.count)
            var notes = keep ? rel.notes : []
            if perRow.count < evs.count {
                try ctx.tick(rel.count, at: span)
                for (j, b) in batches.enumerated() { if let b { cols[j] = try b(ctx, rel) } }
                if perRow.isEmpty && trendColumns.isEmpty {
                    let r = Relation(kind: rel.kind, rows: rel.rows, count: rel.count, data: keep ? rel.data + cols : cols)
                    r.notes = notes
                    return r
                }
            }
            var series = Array(repeating: [TrendSeries?](), count: evs.count)
            var held = 0
            let what = keep ? "'extend'" : "'select'"
            for i in 0..<rel.count {
                if perRow.count == evs.count { try ctx.tick(at: span) }
                ctx.bind(level, rel, i)
                for j in perRow {
                    let v = try evs[j](ctx)
                    try ctx.account(v, &held, what, at: span)
                    cols[j].append(v)
                }
                for (j, s, _) in trendColumns { series[j].append(try s(ctx)) }
            }
            for (j, _, points) in trendColumns {
                if let note = Compiler.shareTrendScale(&cols[j], series: series[j], name: columnNames[j], points: points) { notes.append(note) }
            }
            let data = keep ? rel.data + cols : cols
            let r = Relation(kind: rel.kind, rows: rel.rows, count: rel.count, data: data)
            r.notes = notes
            return r
        }, out)
    }

    /// `group by KEY, ...`: computes key columns and groups rows by equal keys (none keys form one group).
    func groupStage(_ keys: [ProjectionItem], _ shape: RowShape, _ level: Int) -> (StageFn, RowShape) {
        let cs = inScope(shape) { keys.map { compile($0.expr) } }
        var out = shape
        out.groupKeys = [:]
        var taken = shape.columns.map(\.name)
        for (k, c) in zip(keys, cs) {
            switch c.type {
            case .rows, .table: error("cannot group by \(c.type)", k.expr.span)
            default: break
            }
            let n = columnName(k, taken: taken)
            taken.append(n)
            out.groupKeys[Printer.print(k.expr)] = out.columns.count
            out.groupKeys[n] = out.columns.count
            out.columns.append(TableColumn(name: n, type: c.type))
        }
        out.showEntity = false
        let evs = cs.map(\.eval)
        let span = keys.first?.expr.span ?? .unknown
        return ({ ctx, rel in
            ctx.rels[ctx.base + level] = rel
            var cols = Array(repeating: [Value](), count: evs.count)
            var index: [[Value]: Int] = [:]
            var groups: [[Int]] = []
            if evs.count == 1 {
                // One key (the common case): hash the value itself, no key array per row.
                var single: [Value: Int] = [:]
                let e = evs[0]
                cols[0].reserveCapacity(rel.count)
                for i in 0..<rel.count {
                    try ctx.tick(at: span)
                    ctx.bind(level, rel, i)
                    let v = try e(ctx)
                    cols[0].append(v)
                    if let g = single[v] { groups[g].append(i) } else { single[v] = groups.count; groups.append([i]) }
                }
                let r = Relation(kind: rel.kind, rows: rel.rows, count: rel.count, data: rel.data + cols)
                r.groups = groups
                return r
            }
            for i in 0..<rel.count {
                try ctx.tick(at: span)
                ctx.bind(level, rel, i)
                var key: [Value] = []
                key.reserveCapacity(evs.count)
                for (j, e) in evs.enumerated() {
                    let v = try e(ctx)
                    cols[j].append(v)
                    key.append(v)
                }
                if let g = index[key] { groups[g].append(i) } else { index[key] = groups.count; groups.append([i]) }
            }
            let r = Relation(kind: rel.kind, rows: rel.rows, count: rel.count, data: rel.data + cols)
            r.groups = groups
            return r
        }, out)
    }

    /// `select`/`aggregate` per group: one output row per group; `keepKeys` puts the group keys first.
    func groupSelect(_ items: [ProjectionItem], _ shape: RowShape, _ level: Int, keepKeys: Bool) -> (StageFn, RowShape) {
        let cs = inScope(shape, grouped: true) { items.map { compile(withGroupKeys($0.expr, shape.groupKeys, shape.columns)) } }
        let keyCount = keepKeys ? shape.columns.count : 0
        var cols: [TableColumn] = keepKeys ? shape.columns : []
        var taken = cols.map(\.name)
        for (item, c) in zip(items, cs) {
            let n = columnName(item, taken: taken)
            taken.append(n)
            cols.append(TableColumn(name: n, type: c.type))
        }
        let evs = cs.map(\.eval)
        let keyStart = keepKeys ? 0 : 0
        let span = items.first?.expr.span ?? .unknown
        return ({ ctx, rel in
            let l = ctx.base + level
            ctx.rels[l] = rel
            let groups = rel.groups ?? [Array(0..<rel.count)]
            var data = Array(repeating: [Value](), count: keyCount + evs.count)
            var held = 0
            for g in groups {
                try ctx.tick(at: span)
                ctx.groups[l] = g
                if let first = g.first { ctx.bind(level, rel, first) } else { ctx.entityRows[l] = -1 }
                for k in 0..<keyCount {
                    let col = keyStart + k
                    data[k].append(g.first.map { col < rel.data.count ? rel.data[col][$0] : .none } ?? .none)
                }
                for (j, e) in evs.enumerated() {
                    let v = try e(ctx)
                    try ctx.account(v, &held, "'select' per group", at: span)
                    data[keyCount + j].append(v)
                }
            }
            ctx.groups[l] = nil
            return Relation(kind: nil, rows: [], count: groups.count, data: data)
        }, RowShape(kind: nil, columns: cols, showEntity: false))
    }

    /// `distinct KEY, ...`: the unique key combinations, in first-seen order.
    func distinctStage(_ items: [ProjectionItem], _ shape: RowShape, _ level: Int) -> (StageFn, RowShape) {
        let (fn, s) = rowSelect(items, shape, level, keep: false, items.first?.expr.span ?? .unknown)
        return ({ ctx, rel in
            let projected = try fn(ctx, rel)
            var seen = Set<[Value]>()
            var keep: [Int] = []
            for i in 0..<projected.count {
                let key = projected.data.map { $0[i] }
                if seen.insert(key).inserted { keep.append(i) }
            }
            let r = projected.select(keep)
            return Relation(kind: nil, rows: [], count: r.count, data: r.data)
        }, RowShape(kind: nil, columns: s.columns, showEntity: false))
    }

    /// `expand NAME in LIST`: one row per element of LIST, with the element in column NAME.
    func expandStage(_ name: Name, _ list: Expr, _ shape: RowShape, _ level: Int, _ span: Span) -> (StageFn, RowShape) {
        let c = inScope(shape) { compile(list) }
        var elem: VType = .any
        switch c.type {
        case .list(let t): elem = t
        case .rows(let k): elem = .entity(k)
        case .any: break
        default: error("'expand' needs a list, such as weeks(2026-Q4), but found \(c.type)", list.span)
        }
        var out = shape
        out.columns.append(TableColumn(name: name.text, type: elem))
        let ce = c.eval
        return ({ ctx, rel in
            ctx.rels[ctx.base + level] = rel
            var index: [Int] = []
            var values: [Value] = []
            for i in 0..<rel.count {
                ctx.bind(level, rel, i)
                let items: [Value]
                switch try ce(ctx) {
                case .list(let l): items = l
                case .rows(let k, let rows): items = rows.map { .entity(k, $0) }
                default: items = []
                }
                try ctx.checkRows(index.count + items.count, "'expand'", at: span)
                // Checked before the rows are added (and before `select` copies every column for them).
                try ctx.checkMemory(rows: index.count + items.count, columns: rel.data.count, "'expand'", at: span)
                try ctx.tick(items.count, at: span)
                index.append(contentsOf: repeatElement(i, count: items.count))
                values.append(contentsOf: items)
            }
            let r = rel.select(index)
            r.data.append(values)
            return r
        }, out)
    }

    /// The columns shown for a shape: the entity's default columns (when shown) and the computed ones.
    func outputColumns(_ shape: RowShape, _ span: Span) -> [(ResultColumn, VType, RowReader?)] {
        var out: [(ResultColumn, VType, RowReader?)] = []
        if shape.showEntity, let k = shape.kind {
            for n in Compiler.defaultColumns(k) {
                if let (t, r) = memberReader(k, n, span) { out.append((ResultColumn(name: n, kind: t.columnKind), t, r)) }
            }
        }
        for c in shape.columns { out.append((ResultColumn(name: c.name, kind: c.type.columnKind), c.type, nil)) }
        return out
    }

    /// Turns the final rows of a pipeline into a table.
    static func materialize(_ rel: Relation, _ shape: RowShape, _ columns: [(ResultColumn, VType, RowReader?)], _ ctx: Ctx) throws -> ResultTable {
        // The relation's arrays are read into locals once (not through the class per cell).
        let data = rel.data, entityRows = rel.rows, hasEntity = rel.kind != nil, count = rel.count
        let readers = columns.map(\.2)
        var extra = data.count - shape.columns.count
        var computed: [[Value]?] = []
        for r in readers {
            if r != nil { computed.append(nil); continue }
            computed.append(extra >= 0 && extra < data.count ? data[extra] : [])
            extra += 1
        }
        var rows: [[Value]] = []
        rows.reserveCapacity(count)
        for i in 0..<count {
            var row: [Value] = []
            row.reserveCapacity(readers.count)
            for j in readers.indices {
                if let reader = readers[j] {
                    row.append(hasEntity ? try reader(ctx, entityRows[i]) : .none)
                } else if let col = computed[j], i < col.count {
                    row.append(col[i])
                } else {
                    row.append(.none)
                }
            }
            rows.append(row)
        }
        var t = ResultTable(columns: columns.map(\.0), rows: rows)
        t.notes = rel.notes
        t.sourceKind = rel.kind
        t.sourceRows = hasEntity ? entityRows : []
        return t
    }

    /// The columns shown when a whole entity set is displayed.
    static func defaultColumns(_ k: EntityKind) -> [String] {
        switch k {
        case .project: return ["id", "name", "phase", "status", "bac", "cpi", "spi"]
        case .program: return ["id", "name", "state", "bac", "cpi", "spi"]
        case .portfolio: return ["id", "name", "bac", "cpi", "spi"]
        case .milestone: return ["id", "project", "name", "due", "forecast", "completed"]
        case .task: return ["id", "project", "name", "start", "finish", "percent_complete"]
        case .dependency: return ["from", "to", "type", "lag", "lag_unit"]
        case .resource: return ["id", "name", "role", "department", "capacity"]
        case .allocation: return ["resource", "project", "start", "finish", "percent", "state"]
        case .timesheet: return ["resource", "project", "week", "hours", "cost"]
        case .risk: return ["id", "project", "title", "probability", "impact", "score", "exposure", "state", "owner"]
        case .issue: return ["id", "project", "title", "severity", "state", "owner", "due"]
        case .statusReport: return ["project", "as_of", "overall", "pv", "ev", "ac"]
        case .gate: return ["project", "gate", "planned", "held", "decision"]
        case .change: return ["id", "project", "title", "cost_impact", "state"]
        case .person: return ["id", "name", "email", "department"]
        case .holiday: return ["date", "name"]
        }
    }
}
