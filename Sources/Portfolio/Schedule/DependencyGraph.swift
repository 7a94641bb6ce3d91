// The dependency graph of one entity set (projects or tasks): who waits on whom, reachability with
// an optional depth, and the cycles (one per group of entities that depend on each other in a loop).
// Every walk marks what it visited, so it is linear in the edges it follows and a cycle never hangs it.
import PMOBase

public struct DependencyGraph: Sendable {
    public let kind: EntityKind
    public let count: Int
    let from: [Int32], to: [Int32]
    let out: AdjacencyIndex, back: AdjacencyIndex

    /// The links of `dependencies` whose two ends are entities of `kind`.
    public static func build(_ store: PortfolioStore, _ kind: EntityKind) -> DependencyGraph {
        let deps = store.table(.dependency)
        let index = store.idIndex(kind)
        var from: [Int32] = [], to: [Int32] = []
        if let fc = deps.column("from"), let tc = deps.column("to") {
            for r in 0..<deps.count {
                guard let f = fc.string(r), let t = tc.string(r), let a = index[f], let b = index[t] else { continue }
                from.append(a); to.append(b)
            }
        }
        let n = store.table(kind).count
        return DependencyGraph(kind: kind, count: n, from: from, to: to,
                               out: AdjacencyIndex(ownerCount: n, refs: from), back: AdjacencyIndex(ownerCount: n, refs: to))
    }

    /// A graph of `count` nodes and the links `from[i]` → `to[i]` (ends outside 0..<count are left out).
    public init(count: Int, from f: [Int32], to t: [Int32]) {
        var a: [Int32] = [], b: [Int32] = []
        for (x, y) in zip(f, t) where x >= 0 && y >= 0 && Int(x) < count && Int(y) < count { a.append(x); b.append(y) }
        self.init(kind: .task, count: count, from: a, to: b,
                  out: AdjacencyIndex(ownerCount: count, refs: a), back: AdjacencyIndex(ownerCount: count, refs: b))
    }

    init(kind: EntityKind, count: Int, from: [Int32], to: [Int32], out: AdjacencyIndex, back: AdjacencyIndex) {
        self.kind = kind; self.count = count; self.from = from; self.to = to; self.out = out; self.back = back
    }

    /// Direct successors (`forward`) or predecessors of a row.
    public func neighbours(_ r: Int32, forward: Bool) -> [Int32] {
        forward ? out.slice(r).map { to[Int($0)] } : back.slice(r).map { from[Int($0)] }
    }

    /// Everything reachable from `start` along links (forward: what waits on it; else what it waits on),
    /// within `depth` links when given; without `start` itself; in row (id) order.
    public func reach(from start: Int32, forward: Bool, depth: Int? = nil) -> [Int32] {
        guard start >= 0, Int(start) < count else { return [] }
        var seen = [Bool](repeating: false, count: count)
        seen[Int(start)] = true
        var frontier = [start], found: [Int32] = []
        var level = 0
        while !frontier.isEmpty, depth.map({ level < $0 }) ?? true {
            var next: [Int32] = []
            for u in frontier {
                for v in neighbours(u, forward: forward) where !seen[Int(v)] {
                    seen[Int(v)] = true
                    next.append(v)
                }
            }
            found += next
            frontier = next
            level += 1
        }
        return found.sorted()
    }

    /// Whether `a` waits on `b`, directly or through others.
    public func dependsOn(_ a: Int32, _ b: Int32) -> Bool {
        guard a >= 0, b >= 0, Int(a) < count, Int(b) < count else { return false }
        var seen = [Bool](repeating: false, count: count)
        var stack = [a]
        seen[Int(a)] = true
        while let u = stack.popLast() {
            for v in neighbours(u, forward: false) {
                if v == b { return true }
                if !seen[Int(v)] { seen[Int(v)] = true; stack.append(v) }
            }
        }
        return false
    }

    /// One cycle per strongly connected component that has one (Tarjan's algorithm, without recursion),
    /// each starting at its smallest row and ending where it started; components in order of that row.
    public func cycles() -> [[Int32]] {
        let n = count
        var index = [Int32](repeating: -1, count: n), low = [Int32](repeating: 0, count: n)
        var onStack = [Bool](repeating: false, count: n), stack: [Int32] = []
        var component = [Int32](repeating: -1, count: n)
        var next: Int32 = 0, components: Int32 = 0
        var result: [[Int32]] = []
        for root in 0..<n where index[root] < 0 {
            var call: [(v: Int32, edge: Int)] = [(Int32(root), 0)]
            index[root] = next; low[root] = next; next += 1
            stack.append(Int32(root)); onStack[root] = true
            while var frame = call.popLast() {
                let v = Int(frame.v)
                let edges = out.slice(frame.v)
                if frame.edge < edges.count {
                    let w = Int(to[Int(edges[edges.startIndex + frame.edge])])
                    frame.edge += 1
                    call.append(frame)
                    if index[w] < 0 {
                        index[w] = next; low[w] = next; next += 1
                        stack.append(Int32(w)); onStack[w] = true
                        call.append((Int32(w), 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                    continue
                }
                if let parent = call.last { low[Int(parent.v)] = min(low[Int(parent.v)], low[v]) }
                if low[v] == index[v] {
                    var members: [Int32] = []
                    while let w = stack.popLast() {
                        onStack[Int(w)] = false
                        component[Int(w)] = components
                        members.append(w)
                        if Int(w) == v { break }
                    }
                    let selfLoop = members.count == 1 && neighbours(members[0], forward: true).contains(members[0])
                    if members.count > 1 || selfLoop { result.append(cycle(in: components, from: members.min() ?? members[0], component)) }
                    components += 1
                }
            }
        }
        return result.sorted { $0[0] < $1[0] }
    }

    /// A cycle inside one component: walk successors that stay in it until a row repeats.
    func cycle(in c: Int32, from start: Int32, _ component: [Int32]) -> [Int32] {
        var position: [Int32: Int] = [:]
        var path: [Int32] = []
        var u = start
        while position[u] == nil {
            position[u] = path.count
            path.append(u)
            // Prefer the smallest successor in the component, so the same data always gives the same cycle.
            guard let v = neighbours(u, forward: true).filter({ component[Int($0)] == c }).min() else { break }
            u = v
        }
        var loop = Array(path[(position[u] ?? 0)...])
        if let i = loop.firstIndex(of: loop.min() ?? u) { loop = Array(loop[i...] + loop[..<i]) }
        return loop + [loop[0]]
    }
}

extension PortfolioStore {
    /// The dependency graph of projects or tasks, built on first use.
    public func dependencyGraph(_ kind: EntityKind) -> DependencyGraph {
        scheduleCache.graph(kind) { DependencyGraph.build(self, kind) }
    }
}
