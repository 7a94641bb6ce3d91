// Vectorised evaluation: expressions that can be computed for every row of a relation at once, over
// the columns, instead of binding each row and calling closures that return boxed values.
import PMOBase
import PMOSyntax
import Portfolio

/// An expression evaluated for all rows of the relation at scope `level` in one call. Each function gives
/// exactly what `Compiled.eval` gives with row i bound, for every i; either may be absent.
struct Batch {
    let level: Int
    /// The values per row, in row order.
    var values: ((Ctx, Relation) throws -> [Value])?
    /// For a boolean: the indexes of the rows where it is true (what `where` keeps), ascending.
    var truths: ((Ctx, Relation) throws -> [Int])?
    /// For a stored field of the entity at `level` read as it is stored: the set and field index
    /// (what `field OP constant` compares column-wise, VectorisedComparison.swift).
    var stored: (kind: EntityKind, field: Int)?

    init(level: Int, values: ((Ctx, Relation) throws -> [Value])? = nil, truths: ((Ctx, Relation) throws -> [Int])? = nil,
         stored: (kind: EntityKind, field: Int)? = nil) {
        self.level = level; self.values = values; self.truths = truths; self.stored = stored
    }
}

extension Ctx {
    /// The capacity inputs of every resource, read once per run (Capacity.swift's formulas over flat arrays).
    var capacity: CapacityProfile {
        if let p = capacityProfile, p.resourceCount == store.table(.resource).count { return p }
        let p = CapacityProfile(store: store)
        capacityProfile = p
        return p
    }
}

extension Compiler {
    /// The batch form of a row scope's computed column `c` at `level`: the column itself.
    static func columnBatch(level: Int, column c: Int) -> Batch {
        Batch(level: level, values: { _, rel in
            c < rel.data.count ? rel.data[c] : Array(repeating: .none, count: rel.count)
        })
    }

    /// The batch form of a member of the entity at `level` (`overdue` in `milestones where overdue`),
    /// when it has one: the computed flag of milestones and stored yes/no fields.
    func memberBatch(_ k: EntityKind, _ n: String, level: Int) -> Batch? {
        let schema = Catalog.schemas[k.rawValue]
        if state.fields[k]?[n] != nil { return nil }
        if k == .milestone && n == "overdue", schema.computedDef(n) != nil {
            return Batch(level: level, truths: { ctx, rel in
                guard rel.kind == k else { return [] }
                return ctx.store.overdueIndexes(rel.rows, asOf: ctx.asOf)
            })
        }
        if k == .project && n == "status" { return nil }  // the latest report's RAG, not the stored value
        guard schema.computedDef(n) == nil, let i = schema.fieldIndex(n) else { return nil }
        guard schema.fields[i].type == .bool else { return Batch(level: level, stored: (k, i)) }
        let col = store.table(k).columns[i]
        return Batch(level: level, truths: { _, rel in
            guard rel.kind == k else { return [] }
            let smalls = col.smalls
            var keep: [Int] = []
            for (i, r) in rel.rows.enumerated() where r >= 0 && Int(r) < smalls.count {
                let v = smalls[Int(r)]
                if v != 0 && v != Column.noneSmall { keep.append(i) }
            }
            return keep
        })
    }

    /// The batch form of a capacity field called on the row at `level` with a period argument that is a
    /// constant or a column of the same rows (`utilization(w)` after `expand w in weeks(...)`).
    func periodBatch(_ n: String, level: Int, arg: Compiled) -> Batch? {
        let periods: (Ctx, Relation) throws -> [Value]
        if let k = arg.constant {
            periods = { _, rel in Array(repeating: k, count: rel.count) }
        } else if let b = arg.batch, b.level == level, let v = b.values {
            periods = v
        } else {
            return nil
        }
        /// Calls `body` with each row's resource and period (skipping rows without either).
        func each(_ ctx: Ctx, _ rel: Relation, _ body: (Int, Int32, Period) -> Void) throws {
            guard rel.kind == .resource else { return }
            let ps = try periods(ctx, rel), rows = rel.rows
            for i in 0..<min(rows.count, ps.count) {
                if let p = Compiler.period(of: ps[i]) { body(i, rows[i], p) }
            }
        }
        if n == "overallocated" {
            return Batch(level: level, values: nil, truths: { ctx, rel in
                let prof = ctx.capacity
                var keep: [Int] = []
                try each(ctx, rel) { i, r, p in if prof.overallocated(resource: r, period: p) { keep.append(i) } }
                return keep
            })
        }
        let field: (CapacityProfile, Int32, Period) -> Value
        switch n {
        case "capacity": field = { c, r, p in c.capacity(resource: r, period: p).map { .hours($0) } ?? .none }
        case "allocated": field = { c, r, p in c.allocated(resource: r, period: p, approved: true).map { .hours($0) } ?? .none }
        case "requested": field = { c, r, p in c.allocated(resource: r, period: p, approved: false).map { .hours($0) } ?? .none }
        case "utilization": field = { c, r, p in c.utilization(resource: r, period: p).map { .percent($0) } ?? .none }
        default: return nil
        }
        return Batch(level: level, values: { ctx, rel in
            let prof = ctx.capacity
            var out = [Value](repeating: .none, count: rel.count)
            try each(ctx, rel) { i, r, p in out[i] = field(prof, r, p) }
            return out
        })
    }
}
