// The two passes of the critical path method (see CPM.swift for the model and grammar.md for the formulas).
import PMOBase

struct CPMEngine {
    let input: CPMInput
    let cal: WorkCalendar
    let n: Int
    var problems: [CPMProblem] = []
    /// A date left the calendar's range during the passes.
    var outOfRange = false

    var dur: [Int]
    var summary: [Bool]
    /// 0 not started, 1 started (keeps its start), 2 complete (keeps its dates).
    var progress: [UInt8]
    var es: [Int], ef: [Int], ls: [Int], lf: [Int]
    /// Constraints a summary task passes down to its children.
    var esFloor: [Int], efFloor: [Int], lfCeil: [Int], lsCeil: [Int]
    var children = AdjacencyIndex(offsets: [0], rows: [])
    var incoming = AdjacencyIndex(offsets: [0], rows: [])
    var outgoing = AdjacencyIndex(offsets: [0], rows: [])

    init(_ input: CPMInput) {
        self.input = input
        cal = input.calendar
        n = input.tasks.count
        dur = Array(repeating: 0, count: n)
        summary = Array(repeating: false, count: n)
        progress = Array(repeating: 0, count: n)
        es = Array(repeating: 0, count: n); ef = es; ls = es; lf = es
        esFloor = Array(repeating: Int.min, count: n); efFloor = esFloor
        lfCeil = Array(repeating: Int.max, count: n); lsCeil = lfCeil
    }

    mutating func fatal(_ m: String, cycle: [String] = []) { problems.append(CPMProblem(message: m, fatal: true, cycle: cycle)) }

    func id(_ i: Int32) -> String { input.tasks[Int(i)].id }

    func describe(_ l: CPMLink) -> String {
        let lag = l.lag == 0 ? "" : (l.lag > 0 ? " + " : " - ") + "\(abs(l.lag))" + (l.elapsed ? "d" : "bd")
        return "\(l.type.name)\(lag) link from \(id(l.from)) to \(id(l.to))"
    }

    // MARK: lags

    /// The successor's anchor (start, or finish for FF/SF) may be no earlier than this.
    mutating func forward(_ l: CPMLink, _ predES: Int, _ predEF: Int) -> Int {
        let a = l.type.fromFinish ? predEF : predES
        if !l.elapsed { return a &+ l.lag }
        // An elapsed lag counts calendar days from the moment: the end of the predecessor's last
        // working day (FS, FF) or the start of its first (SS, SF); the result snaps to working time.
        guard let p = l.type.fromFinish ? cal.day(a - 1)?.adding(days: 1) : cal.day(a),
              let x = p.adding(days: l.lag) else { outOfRange = true; return a }
        return cal.ordinal(x)
    }

    /// The predecessor's anchor may be no later than this for the successor's anchor to be `v`.
    mutating func backward(_ l: CPMLink, _ v: Int) -> Int {
        if !l.elapsed { return v &- l.lag }
        guard let dv = cal.day(v), let y = dv.adding(days: -l.lag), let y1 = y.adding(days: 1) else { outOfRange = true; return v }
        return l.type.fromFinish ? cal.ordinal(y) : cal.ordinal(y1) - 1
    }

    // MARK: the run

    mutating func run() -> CPMResult {
        let count = n
        func failed(_ p: [CPMProblem]) -> CPMResult {
            CPMResult(tasks: Array(repeating: nil, count: count), finish: nil, criticalPath: [], problems: p)
        }
        if let why = cal.problem { fatal(why) }
        prepare()
        guard !problems.contains(where: \.fatal) else { return failed(problems) }
        guard let order = topologicalOrder() else { return failed(problems) }
        let starts = (0..<n).compactMap { summary[$0] ? nil : input.tasks[$0].start }
        let projectStart = input.projectStart ?? starts.min() ?? input.asOf
        let base = cal.ordinal(max(projectStart, input.asOf))
        forwardPass(order, base: base)
        var pef = Int.min
        for i in 0..<n where !summary[i] { pef = max(pef, ef[i]) }
        backwardPass(order, projectFinish: pef)
        if outOfRange { fatal("the schedule's dates leave the years 1 to 9999 (a lag or a duration is far too long)"); return failed(problems) }
        return results(order, projectFinish: pef, projectStart: projectStart)
    }

    /// Durations, progress, hierarchy, link checks and indexes.
    mutating func prepare() {
        let tasks = input.tasks
        var parents = [Int32](repeating: -1, count: n)
        for (i, t) in tasks.enumerated() where t.parent >= 0 {
            guard Int(t.parent) < n, Int(t.parent) != i else { fatal("task \(t.id) has an unknown parent"); continue }
            parents[i] = t.parent
            summary[Int(t.parent)] = true
        }
        children = AdjacencyIndex(ownerCount: n, refs: parents)
        var latest: Day?
        for (i, t) in tasks.enumerated() where !summary[i] {
            guard let s = t.start, let f = t.finish else {
                fatal("task \(t.id) has no \(t.start == nil ? "start" : "finish") date, so its duration is unknown")
                continue
            }
            if f < s { fatal("task \(t.id) finishes (\(f)) before it starts (\(s)): a negative duration"); continue }
            dur[i] = cal.workingDays(from: s, through: f)
            latest = max(latest ?? f, f)
            if let p = t.percent { progress[i] = p >= 10_000 ? 2 : (p > 0 ? 1 : 0) }
        }
        let start = input.projectStart ?? tasks.indices.compactMap { summary[$0] ? nil : tasks[$0].start }.min()
        var span = 0
        if let s = start, let f = latest { span = cal.workingDays(from: s, through: f) }
        var froms: [Int32] = [], tos: [Int32] = []
        for l in input.links {
            guard l.from >= 0, Int(l.from) < n, l.to >= 0, Int(l.to) < n else { fatal("a link refers to a task that does not exist"); continue }
            if l.from == l.to { fatal("task \(id(l.from)) depends on itself (\(l.type.name) link from \(id(l.from)) to \(id(l.to)))"); continue }
            if l.lag.magnitude > UInt(CPM.maxLag) { fatal("the lag of the \(describe(l)) is out of range (at most \(CPM.maxLag) days)"); continue }
            let working = l.elapsed ? abs(l.lag) * 5 / 7 : abs(l.lag)
            if span > 0, working > span {
                problems.append(CPMProblem(message: "the lag of the \(describe(l)) is longer than the whole project (\(span) working days)",
                                           fatal: false, cycle: []))
            }
            froms.append(l.from); tos.append(l.to)
        }
        incoming = AdjacencyIndex(ownerCount: n, refs: tos)
        outgoing = AdjacencyIndex(ownerCount: n, refs: froms)
    }

    /// Node of a task's exit (its roll-up): itself for a task without subtasks, n + i for a summary.
    @inline(__always) func exit(_ i: Int) -> Int { summary[i] ? n + i : i }

    /// Kahn's order over the entry and exit nodes, or nil after reporting a cycle.
    mutating func topologicalOrder() -> [Int]? {
        var from: [Int32] = [], to: [Int32] = []
        for l in input.links { from.append(Int32(exit(Int(l.from)))); to.append(l.to) }
        for (i, t) in input.tasks.enumerated() where t.parent >= 0 {
            from.append(t.parent); to.append(Int32(i))                         // entry(parent) → entry(child)
            from.append(Int32(exit(i))); to.append(Int32(n + Int(t.parent)))  // exit(child) → exit(parent)
        }
        let adj = AdjacencyIndex(ownerCount: 2 * n, refs: from)
        var indegree = [Int32](repeating: 0, count: 2 * n)
        for t in to { indegree[Int(t)] += 1 }
        var order: [Int] = []
        order.reserveCapacity(2 * n)
        for v in 0..<(2 * n) where indegree[v] == 0 && (v < n || summary[v - n]) { order.append(v) }
        var head = 0
        while head < order.count {
            let u = order[head]; head += 1
            for e in adj.slice(Int32(u)) {
                let v = Int(to[Int(e)])
                indegree[v] -= 1
                if indegree[v] == 0 { order.append(v) }
            }
        }
        let active = n + summary.filter { $0 }.count
        if order.count == active { return order }
        reportCycle(indegree: indegree, from: from, to: to)
        return nil
    }

    /// Walks back from a node left with predecessors until a node repeats: the loop is a cycle.
    mutating func reportCycle(indegree: [Int32], from: [Int32], to: [Int32]) {
        let back = AdjacencyIndex(ownerCount: 2 * n, refs: to)
        guard var v = indegree.firstIndex(where: { $0 > 0 }) else { return }
        var seenAt = [Int](repeating: -1, count: 2 * n)
        var path: [Int] = []
        while seenAt[v] < 0 {
            seenAt[v] = path.count
            path.append(v)
            guard let e = back.slice(Int32(v)).first(where: { indegree[Int(from[Int($0)])] > 0 }) else { return }
            v = Int(from[Int(e)])
        }
        var loop = Array(path[seenAt[v]...].reversed())
        // Start at the task that comes first in the project, so the same cycle always reads the same.
        if let first = loop.indices.min(by: { (loop[$0] % n, loop[$0]) < (loop[$1] % n, loop[$1]) }) {
            loop = Array(loop[first...] + loop[..<first])
        }
        loop.append(loop[0])
        var ids: [String] = []
        for node in loop {
            let s = input.tasks[node % n].id
            if ids.last != s { ids.append(s) }
        }
        if ids.count == 1 { ids.append(ids[0]) }
        let hierarchy = loop.contains { $0 >= n } ? " (through a summary task and a task under it)" : ""
        fatal("dependency cycle\(hierarchy): " + ids.joined(separator: " → "), cycle: ids)
    }

    /// Whether a link's successor anchor is already an actual date (a complete successor, or the
    /// start of a started one): such a link constrains nothing in the backward pass.
    func actual(_ l: CPMLink) -> Bool {
        let s = Int(l.to)
        return progress[s] == 2 || (progress[s] == 1 && !l.type.toFinish)
    }

    mutating func forwardPass(_ order: [Int], base: Int) {
        let base0 = cal.ordinal(input.asOf)
        let tasks = input.tasks
        for u in order {
            if u >= n {
                let i = u - n
                var s = Int.max, f = Int.min
                for c in children.slice(Int32(i)) { s = min(s, es[Int(c)]); f = max(f, ef[Int(c)]) }
                es[i] = s; ef[i] = f
                continue
            }
            let i = u, p = Int(tasks[i].parent)
            var sFloor = p >= 0 ? esFloor[p] : Int.min, fFloor = p >= 0 ? efFloor[p] : Int.min
            for li in incoming.slice(Int32(i)) {
                let l = input.links[Int(li)], pr = Int(l.from)
                let v = forward(l, es[pr], ef[pr])
                if l.type.toFinish { fFloor = max(fFloor, v) } else { sFloor = max(sFloor, v) }
            }
            if summary[i] { esFloor[i] = sFloor; efFloor[i] = fFloor; continue }
            if progress[i] > 0, let s = tasks[i].start {
                es[i] = cal.ordinal(s)
                ef[i] = es[i] + dur[i]
                // A started task's remaining work happens from the status date on.
                if progress[i] == 1, let p = tasks[i].percent {
                    let done = Int(Int64(dur[i]) * min(max(p, 0), 10_000) / 10_000)
                    ef[i] = max(ef[i], base0 + (dur[i] - done))
                }
            } else {
                es[i] = max(base, sFloor, fFloor == Int.min ? Int.min : fFloor - dur[i])
                ef[i] = es[i] + dur[i]
            }
        }
    }

    mutating func backwardPass(_ order: [Int], projectFinish pef: Int) {
        let tasks = input.tasks
        for u in order.reversed() {
            let i = u >= n ? u - n : u, p = Int(tasks[i].parent)
            if u >= n || !summary[i] {
                var lfC = p >= 0 ? lfCeil[p] : Int.max, lsC = p >= 0 ? lsCeil[p] : Int.max
                for li in outgoing.slice(Int32(i)) {
                    let l = input.links[Int(li)], s = Int(l.to)
                    if actual(l) { continue }
                    let v = backward(l, l.type.toFinish ? lf[s] : ls[s])
                    if l.type.fromFinish { lfC = min(lfC, v) } else { lsC = min(lsC, v) }
                }
                if u >= n { lfCeil[i] = lfC; lsCeil[i] = lsC; continue }
                if progress[i] == 2 { ls[i] = es[i]; lf[i] = ef[i]; continue }
                var late = min(pef, lfC)
                if lsC != Int.max { late = min(late, lsC + dur[i]) }
                lf[i] = late; ls[i] = late - dur[i]
            } else {
                var s = Int.max, f = Int.min
                for c in children.slice(Int32(i)) { s = min(s, ls[Int(c)]); f = max(f, lf[Int(c)]) }
                ls[i] = s; lf[i] = f
            }
        }
    }

    /// The last day of [s, f): the day before f, or s's own day for a task of no working days.
    func finishDay(_ s: Int, _ f: Int) -> Day? { f > s ? cal.day(f - 1) : cal.day(s) }

    mutating func results(_ order: [Int], projectFinish pef: Int, projectStart: Day) -> CPMResult {
        var out = [CPMTaskResult?](repeating: nil, count: n)
        var finish: Day?
        var critical: [Int32] = []
        for i in 0..<n {
            let t = input.tasks[i]
            let complete = progress[i] == 2
            var tf = min(ls[i] - es[i], lf[i] - ef[i])
            var ff = Int.max
            for li in outgoing.slice(Int32(i)) {
                let l = input.links[Int(li)], s = Int(l.to)
                if actual(l) { continue }
                let room = backward(l, l.type.toFinish ? ef[s] : es[s]) - (l.type.fromFinish ? ef[i] : es[i])
                ff = min(ff, room)
            }
            if ff == Int.max { ff = pef - ef[i] }
            ff = min(ff, tf)
            if complete { tf = 0; ff = 0 }
            guard var e0 = cal.day(es[i]), var e1 = finishDay(es[i], ef[i]),
                  var l0 = cal.day(ls[i]), var l1 = finishDay(ls[i], lf[i]) else { outOfRange = true; continue }
            if progress[i] > 0, let s = t.start { e0 = s; if complete { l0 = s } }
            if complete, let f = t.finish { e1 = f; l1 = f }
            let isCritical = !complete && tf <= input.threshold
            out[i] = CPMTaskResult(earlyStart: e0, earlyFinish: e1, lateStart: l0, lateFinish: l1,
                                   totalFloat: tf, freeFloat: ff, critical: isCritical)
            if !summary[i] {
                finish = max(finish ?? e1, e1)
                if isCritical { critical.append(Int32(i)) }
            }
        }
        if outOfRange {
            fatal("the schedule's dates leave the years 1 to 9999 (a lag or a duration is far too long)")
            return CPMResult(tasks: Array(repeating: nil, count: n), finish: nil, criticalPath: [], problems: problems)
        }
        // A summary task is critical when a task under it is (so a finished phase is not).
        for u in order where u >= n {
            let i = u - n
            let any = children.slice(Int32(i)).contains { out[Int($0)]?.critical == true }
            out[i]?.critical = any
        }
        critical.sort { (es[Int($0)], ef[Int($0)], $0) < (es[Int($1)], ef[Int($1)], $1) }
        _ = projectStart
        return CPMResult(tasks: out, finish: finish, criticalPath: critical, problems: problems)
    }
}
