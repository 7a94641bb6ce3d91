// Ordering stages: sort (stable: equal keys keep their order), take, and sort followed by take as a
// partial sort (a bounded heap of the first N rows, never a sort of every row).
import PMOBase
import PMOSyntax
import Portfolio

extension Compiler {
    /// `sort KEYS`, and with `limit` the `take N` right after it.
    func sortStage(_ keys: [SortKey], _ shape: RowShape, _ level: Int, _ span: Span, limit: Expr? = nil) -> StageFn {
        let cs = inScope(shape) { keys.map { compile($0.expr) } }
        for (c, k) in zip(cs, keys) {
            switch c.type {
            case .rows, .table, .record, .entity: error("cannot sort by \(c.type)", k.expr.span)
            default: break
            }
        }
        let evs = cs.map(\.eval)
        let batches = cs.map { c in c.batch.flatMap { $0.level == level ? $0.values : nil } }
        let desc = keys.map(\.descending)
        let count = limit.map { takeCount($0) }
        return { ctx, rel in
            ctx.rels[ctx.base + level] = rel
            // Key columns, column-major: keys[j][i] is key j of row i.
            var table = Array(repeating: [Value](), count: evs.count)
            if batches.allSatisfy({ $0 != nil }) {
                try ctx.tick(rel.count, at: span)
                for (j, b) in batches.enumerated() { if let b { table[j] = try b(ctx, rel) } }
            } else {
                for j in table.indices { table[j].reserveCapacity(rel.count) }
                for i in 0..<rel.count {
                    try ctx.tick(at: span)
                    ctx.bind(level, rel, i)
                    for (j, e) in evs.enumerated() { table[j].append(try e(ctx)) }
                }
            }
            let keys = table
            let less: (Int, Int) -> Bool = { a, b in
                if Compiler.keyLess(keys, a, b, desc) { return true }
                if Compiler.keyLess(keys, b, a, desc) { return false }
                return a < b
            }
            guard let count else { return rel.select(Array(0..<rel.count).sorted(by: less)) }
            let n = try count(ctx)
            if n >= rel.count { return rel.select(Array(0..<rel.count).sorted(by: less)) }
            return rel.select(Compiler.firstRows(n, of: rel.count, by: less))
        }
    }

    /// `Comparison.sortLess` of rows a and b over column-major key columns.
    static func keyLess(_ keys: [[Value]], _ a: Int, _ b: Int, _ descending: [Bool]) -> Bool {
        for j in keys.indices {
            let x = keys[j][a], y = keys[j][b]
            if x.isNone && y.isNone { continue }
            if x.isNone { return false }
            if y.isNone { return true }
            let o = Comparison.order(x, y) ?? Comparison.fallback(x, y)
            if o == 0 { continue }
            return descending[j] ? o > 0 : o < 0
        }
        return false
    }

    /// The first `k` of rows 0..<n in the order `less` (a strict total order), in that order: a max-heap
    /// of the best k so far, each row compared with the worst of them. Same rows as sorting all n and
    /// taking k.
    static func firstRows(_ k: Int, of n: Int, by less: (Int, Int) -> Bool) -> [Int] {
        if k <= 0 { return [] }
        var heap: [Int] = []
        heap.reserveCapacity(k)
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var top = i
                if l < heap.count && less(heap[top], heap[l]) { top = l }
                if r < heap.count && less(heap[top], heap[r]) { top = r }
                if top == i { return }
                heap.swapAt(i, top)
                i = top
            }
        }
        for row in 0..<n {
            if heap.count < k {
                heap.append(row)
                var i = heap.count - 1
                while i > 0 {
                    let parent = (i - 1) / 2
                    if !less(heap[parent], heap[i]) { break }
                    heap.swapAt(parent, i)
                    i = parent
                }
            } else if less(row, heap[0]) {
                heap[0] = row
                siftDown(0)
            }
        }
        return heap.sorted(by: less)
    }

    func takeStage(_ n: Expr) -> StageFn {
        let count = takeCount(n)
        return { ctx, rel in
            let k = try count(ctx)
            return rel.select(Array(0..<min(rel.count, k)))
        }
    }

    /// The number of a `take`: a whole number of at least 0.
    func takeCount(_ n: Expr) -> (Ctx) throws -> Int {
        let c = compile(n)
        if c.type != .int && c.type != .any { error("'take' needs a whole number but found \(c.type)", n.span) }
        let ce = c.eval
        let span = n.span
        return { ctx in
            let v = try ce(ctx)
            guard case .int(let k) = v, k >= 0 else {
                throw RuntimeError("'take' needs a whole number of at least 0 but got \(Display.text(v, store: nil))", at: span)
            }
            return Int(clamping: k)
        }
    }
}
