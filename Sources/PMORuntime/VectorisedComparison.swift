// `field OP constant` over a stored field of the rows being filtered (`risks where state = open`,
// `projects where bac > $1M`, `milestones where due < 2026-12-01`), evaluated column-wise: the
// constant becomes the integer the column stores, and each row is one integer comparison. It keeps
// exactly the rows the row-by-row comparison keeps (Comparison.order and .equal): none is never kept,
// and a constant that cannot be compared with the field keeps nothing, or for `!=` every row that
// has a value (as `equal` then answers false).
import PMOBase
import PMOSyntax
import Portfolio

extension Compiler {
    /// The batch form of `a OP b` when one side is a stored field of the row entity and the other a constant.
    func storedComparison(_ op: BinaryOp, _ a: Compiled, _ b: Compiled) -> Batch? {
        if let s = a.batch?.stored, let level = a.batch?.level, let k = b.constant {
            return comparisonBatch(op, s.kind, s.field, level, k)
        }
        if let s = b.batch?.stored, let level = b.batch?.level, let k = a.constant {
            return comparisonBatch(Compiler.mirrored(op), s.kind, s.field, level, k)
        }
        return nil
    }

    /// `x OP y` as `y OP' x`.
    static func mirrored(_ op: BinaryOp) -> BinaryOp {
        switch op {
        case .lt: return .gt
        case .le: return .ge
        case .gt: return .lt
        case .ge: return .le
        default: return op
        }
    }

    /// How a stored column's rows read as integers, and the constant as the same kind of integer;
    /// `target` nil when the two cannot be compared. nil when this column type has no fast form.
    private func integerForm(_ col: Column, _ k: Value) -> (read: (Int) -> Int64?, target: Int64?, ordered: Bool)? {
        let nulls = col.nulls
        switch col.field.type {
        case .enumeration(let e):
            let smalls = col.smalls
            var target: Int64?
            switch k {
            case .enumeration(let f, let y): target = f == e ? Int64(y) : nil
            case .string(let s): target = e.code(of: s).map(Int64.init)
            default: return nil
            }
            return ({ let v = smalls[$0]; return v == Column.noneSmall ? nil : Int64(v) }, target, true)
        case .date:
            guard case .date(let d) = k else { return nil }
            let codes = col.codes
            return ({ nulls.isNone($0) ? nil : Int64(codes[$0]) }, Int64(d.raw), true)
        case .money:
            let ints = col.ints
            let read: (Int) -> Int64? = { nulls.isNone($0) ? nil : ints[$0] }
            switch k {
            case .money(let y, let c): return (read, c == currency ? y.units : nil, true)
            case .int(let y):
                guard let f = Fixed(whole: y) else { return nil }
                return (read, f.units, true)
            default: return nil
            }
        case .percent:
            guard case .percent(let y) = k else { return nil }
            let ints = col.ints
            return ({ nulls.isNone($0) ? nil : ints[$0] }, y.units, true)
        case .hours:
            guard case .hours(let y) = k else { return nil }
            let ints = col.ints
            return ({ nulls.isNone($0) ? nil : ints[$0] }, y.units, true)
        case .int:
            guard case .int(let y) = k else { return nil }
            let ints = col.ints
            return ({ nulls.isNone($0) ? nil : ints[$0] }, y, true)
        case .id, .string:
            guard case .string(let s) = k else { return nil }
            let codes = col.codes
            // Codes are not in text order: only equality has a fast form.
            return ({ codes[$0] < 0 ? nil : Int64(codes[$0]) }, col.pool.code(of: s).map(Int64.init), false)
        default:
            return nil
        }
    }

    private func comparisonBatch(_ op: BinaryOp, _ kind: EntityKind, _ field: Int, _ level: Int, _ k: Value) -> Batch? {
        if k.isNone { return nil }
        let col = store.table(kind).columns[field]
        guard let form = integerForm(col, k) else { return nil }
        let test: (Int) -> Bool
        switch op {
        case .eq: test = { $0 == 0 }
        case .ne: test = { $0 != 0 }
        case .lt where form.ordered: test = { $0 < 0 }
        case .le where form.ordered: test = { $0 <= 0 }
        case .gt where form.ordered: test = { $0 > 0 }
        case .ge where form.ordered: test = { $0 >= 0 }
        default: return nil
        }
        let read = form.read, target = form.target
        let count = store.table(kind).count
        return Batch(level: level, truths: { _, rel in
            guard rel.kind == kind else { return [] }
            var keep: [Int] = []
            for (i, r) in rel.rows.enumerated() where r >= 0 && Int(r) < count {
                guard let v = read(Int(r)) else { continue }
                guard let t = target else {
                    if op == .ne { keep.append(i) }
                    continue
                }
                if test(v < t ? -1 : (v == t ? 0 : 1)) { keep.append(i) }
            }
            return keep
        })
    }
}
