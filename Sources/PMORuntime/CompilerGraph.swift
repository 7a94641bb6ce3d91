// Dependencies and schedule in the language: upstream, downstream, depends_on, dependency_cycles, and
// the critical path fields of tasks and projects (computed once per as-of date, Portfolio/Schedule).
import PMOBase
import PMOSyntax
import Portfolio

extension Compiler {
    static let graphFunctions: Set<String> = ["upstream", "downstream", "depends_on"]

    /// `upstream(x [, depth])`, `downstream(x [, depth])`, `depends_on(a, b)`.
    func graphCall(_ n: String, _ args: [Expr], _ span: Span) -> Compiled {
        let cs = args.map(compile)
        func endKind(_ i: Int) -> EntityKind? {
            switch cs[i].type {
            case .entity(let k) where k == .project || k == .task: return k
            case .any: return nil
            default:
                error("'\(n)' needs a project or a task, such as \(n)(project \"PRJ-0001\") or \(n)(this), but found \(cs[i].type)", args[i].span)
                return nil
            }
        }
        let st = store
        if n == "depends_on" {
            let ka = endKind(0), kb = endKind(1)
            if let a = ka, let b = kb, a != b {
                error("'depends_on' links two projects or two tasks, but found a \(a.singular) and a \(b.singular)", span)
            }
            let ea = cs[0].eval, eb = cs[1].eval
            return Compiled(.bool, { ctx in
                guard case .entity(let k, let a) = try ea(ctx), case .entity(let k2, let b) = try eb(ctx) else { return .none }
                guard k == k2, k == .project || k == .task else { return .bool(false) }
                return .bool(st.dependencyGraph(k).dependsOn(a, b))
            })
        }
        // The kind is known when checking, or (a parameter of a `def`) from the value when running.
        let known = endKind(0)
        if cs.count == 2, cs[1].type != .int, cs[1].type != .any {
            error("the depth of '\(n)' is a whole number of links, such as \(n)(this, 1), but found \(cs[1].type)", args[1].span)
        }
        let forward = n == "downstream"
        let ex = cs[0].eval, dx = cs.count == 2 ? cs[1].eval : nil
        let depthSpan = args.count == 2 ? args[1].span : span
        return Compiled(known.map { .rows($0) } ?? .any, { ctx in
            let v = try ex(ctx)
            guard case .entity(let k, let r) = v, k == .project || k == .task else {
                if v.isNone, let k = known { return .rows(k, []) }
                if v.isNone { return .none }
                throw RuntimeError("'\(n)' needs a project or a task but got \(v.typeName)", at: span)
            }
            var depth: Int?
            if let dx {
                switch try dx(ctx) {
                case .int(let d) where d >= 1: depth = Int(clamping: d)
                case .none: depth = nil
                case let v: throw RuntimeError("the depth of '\(n)' must be 1 or more, but it is \(Display.text(v, store: nil))", at: depthSpan)
                }
            }
            let rows = st.dependencyGraph(k).reach(from: r, forward: forward, depth: depth)
            try ctx.tick(rows.count, at: span)
            return .rows(k, rows)
        })
    }

    /// Sets that are not entity sets: `dependency_cycles`, `schedule_problems`.
    static let graphSets: Set<String> = ["dependency_cycles", "schedule_problems"]

    static let problemColumns = [TableColumn(name: "project", type: .string), TableColumn(name: "fatal", type: .bool),
                                 TableColumn(name: "problem", type: .string)]

    /// The set `schedule_problems`: what stops a project's schedule (fatal) or makes it doubtful (a lag
    /// longer than the whole project), one row per problem, projects in id order.
    func scheduleProblems() -> Compiled {
        Compiled(.table(Compiler.problemColumns), { ctx in
            let s = ctx.store.schedules(asOf: ctx.asOf)
            let ids = ctx.store.table(.project).column("id")
            var rows: [[Value]] = []
            for (p, list) in s.problems.enumerated() {
                for problem in list { rows.append([.string(ids?.string(p) ?? "#\(p)"), .bool(problem.fatal), .string(problem.message)]) }
            }
            return .table(ResultTable(columns: [ResultColumn(name: "project", kind: .text), ResultColumn(name: "fatal", kind: .bool),
                                                ResultColumn(name: "problem", kind: .text)], rows: rows))
        })
    }

    static let cycleColumns = [TableColumn(name: "kind", type: .string), TableColumn(name: "length", type: .int),
                               TableColumn(name: "path", type: .string), TableColumn(name: "ids", type: .list(.string))]

    /// The set `dependency_cycles`: one row per loop of projects or tasks that wait on each other.
    func dependencyCycles() -> Compiled {
        let st = store
        return Compiled(.table(Compiler.cycleColumns), { _ in
            var rows: [[Value]] = []
            for k in [EntityKind.project, .task] {
                guard let ids = st.table(k).column("id") else { continue }
                for c in st.dependencyGraph(k).cycles() {
                    let names = c.map { ids.string(Int($0)) ?? "#\($0)" }
                    rows.append([.string(k.singular), .int(Int64(c.count - 1)), .string(names.joined(separator: " → ")),
                                 .list(names.map { .string($0) })])
                }
            }
            let cols = Compiler.cycleColumns.map { ResultColumn(name: $0.name, kind: $0.name == "length" ? .number : ($0.name == "ids" ? .list : .text)) }
            return .table(ResultTable(columns: cols, rows: rows))
        })
    }

    /// The reader of a critical path field of tasks or projects, or nil. Reading it in a project whose
    /// schedule cannot be computed (a cycle, a negative duration...) is an error naming the problem.
    func scheduleReader(_ k: EntityKind, _ n: String, _ span: Span) -> RowReader? {
        func fail(_ ctx: Ctx, project p: Int32) -> RuntimeError {
            let s = ctx.store.schedules(asOf: ctx.asOf)
            let id = ctx.store.table(.project).column("id")?.string(Int(p)) ?? "#\(p)"
            let why = s.problems[Int(p)].filter(\.fatal).map(\.message).joined(separator: "; ")
            return RuntimeError("project \(id) has no schedule: \(why)", at: span,
                                help: "fix the tasks or dependencies named; dependency_cycles lists every cycle")
        }
        switch (k, n) {
        case (.task, "early_start"), (.task, "early_finish"), (.task, "late_start"), (.task, "late_finish"),
             (.task, "total_float"), (.task, "free_float"), (.task, "critical"):
            let projectCol = store.table(.task).column("project")
            return { ctx, r in
                let s = ctx.store.schedules(asOf: ctx.asOf)
                guard Int(r) < s.tasks.count else { return .none }
                guard let t = s.tasks[Int(r)] else {
                    if let p = projectCol?.codes[Int(r)], p >= 0, s.problems[Int(p)].contains(where: \.fatal) { throw fail(ctx, project: p) }
                    return .none
                }
                switch n {
                case "early_start": return .date(t.earlyStart)
                case "early_finish": return .date(t.earlyFinish)
                case "late_start": return .date(t.lateStart)
                case "late_finish": return .date(t.lateFinish)
                case "total_float": return .int(Int64(t.totalFloat))
                case "free_float": return .int(Int64(t.freeFloat))
                default: return .bool(t.critical)
                }
            }
        case (.project, "cpm_finish"), (.project, "critical_path"):
            return { ctx, p in
                let s = ctx.store.schedules(asOf: ctx.asOf)
                guard Int(p) < s.finish.count else { return .none }
                if s.problems[Int(p)].contains(where: \.fatal) { throw fail(ctx, project: p) }
                if n == "critical_path" { return .rows(.task, s.criticalPath[Int(p)]) }
                return s.finish[Int(p)].map { .date($0) } ?? .none
            }
        default:
            return nil
        }
    }
}
