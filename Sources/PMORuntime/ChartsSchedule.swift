// Schedule charts: `chart gantt(TASKS)` (bars from the critical path method, baselines, the critical
// path, milestones, today) and `chart dependencies(PROJECTS)` (a small network of project links).
import PMOBase
import PMOSyntax
import Portfolio

/// One bar of a Gantt chart.
public struct ChartGanttRow: Hashable, Sendable {
    public var label: String
    public var name: String
    /// Early dates from the critical path method, else the planned dates.
    public var start: Day
    public var finish: Day
    public var baselineStart: Day?
    public var baselineFinish: Day?
    public var critical: Bool
    /// A task of one day or less drawn as a diamond (or a model milestone).
    public var milestone: Bool
    /// A summary task (it has subtasks): drawn as a bracket.
    public var summary: Bool
    /// Depth under summary tasks, for indenting labels.
    public var level: Int
    public var percent: Double?
}

public struct ChartGantt: Hashable, Sendable {
    public var rows: [ChartGanttRow]
    public var today: Day
}

/// A project network: nodes with a layer (longest chain of links before it) and the links between them.
public struct ChartNetwork: Hashable, Sendable {
    public struct Node: Hashable, Sendable {
        public var label: String
        public var name: String
        public var status: String?
        public var layer: Int
    }
    public struct Edge: Hashable, Sendable {
        public var from: Int
        public var to: Int
        public var type: String
        /// The link is part of a cycle (drawn as such).
        public var cycle: Bool
    }
    public var nodes: [Node]
    public var edges: [Edge]
}

extension ChartMaker {
    static let ganttLimit = 400

    /// Tasks by project, then by start (summary tasks before their children), at most `ganttLimit`.
    static func gantt(_ rows: [Int32], store: PortfolioStore, asOf: Day) -> Chart {
        let t = store.table(.task)
        let s = store.schedules(asOf: asOf)
        func day(_ col: String, _ r: Int) -> Day? {
            guard let c = t.column(col), !c.isNone(r) else { return nil }
            return Day(raw: c.codes[r])
        }
        let parent = t.column("parent"), project = t.column("project"), pct = t.column("percent_complete")
        var hasChildren = Set<Int32>()
        if let p = parent { for r in 0..<t.count where p.codes[r] >= 0 { hasChildren.insert(p.codes[r]) } }
        var items: [(key: (Int32, Int32, Int32), row: ChartGanttRow)] = []
        var unscheduled = 0
        for r32 in rows {
            let r = Int(r32)
            let plan = s.tasks.indices.contains(r) ? s.tasks[r] : nil
            guard let start = plan?.earlyStart ?? day("start", r), let finish = plan?.earlyFinish ?? day("finish", r) else {
                unscheduled += 1; continue
            }
            var level = 0, up = parent?.codes[r] ?? -1
            while up >= 0 && level < 16 { level += 1; up = parent?.codes[Int(up)] ?? -1 }
            let summary = hasChildren.contains(r32)
            let row = ChartGanttRow(label: Display.entityLabel(store, .task, r32), name: t.column("name")?.string(r) ?? "",
                                    start: start, finish: finish, baselineStart: day("baseline_start", r),
                                    baselineFinish: day("baseline_finish", r), critical: plan?.critical ?? false,
                                    milestone: !summary && finish.raw - start.raw < 1, summary: summary, level: level,
                                    percent: pct.flatMap { $0.nulls.isNone(r) ? nil : Double($0.ints[r]) / 10_000 })
            // Summary tasks sort at their own start, before children that start the same day.
            items.append(((project?.codes[r] ?? -1, start.raw, summary ? -1 : r32), row))
        }
        items.sort { $0.key < $1.key }
        let total = items.count
        if items.count > ganttLimit { items = Array(items.prefix(ganttLimit)) }
        let bars = items.map(\.row)
        let critical = bars.filter { $0.critical && !$0.summary }.count
        var note = "\(plural(bars.count, "task", "tasks")), \(critical) critical, early dates as of \(asOf)"
        if total > bars.count { note += "; the first \(bars.count) of \(total)" }
        if unscheduled > 0 { note += "; \(plural(unscheduled, "task", "tasks")) without dates left out" }
        let data = ResultTable(columns: [ResultColumn(name: "task", kind: .text), ResultColumn(name: "name", kind: .text),
                                         ResultColumn(name: "start", kind: .date), ResultColumn(name: "finish", kind: .date),
                                         ResultColumn(name: "baseline_start", kind: .date), ResultColumn(name: "baseline_finish", kind: .date),
                                         ResultColumn(name: "critical", kind: .bool)],
                               rows: bars.map { b in
                                   [.string(b.label), .string(b.name), .date(b.start), .date(b.finish),
                                    b.baselineStart.map { .date($0) } ?? .none, b.baselineFinish.map { .date($0) } ?? .none, .bool(b.critical)]
                               })
        return Chart(kind: .gantt, title: "Gantt chart", note: note, payload: .gantt(ChartGantt(rows: bars, today: asOf)),
                     data: data, currency: store.currency)
    }

    /// The projects given, their links to each other, layered left to right by the longest chain before each.
    static func network(_ rows: [Int32], store: PortfolioStore, asOf: Day, limit: Int = 60) -> Chart {
        let graph = store.dependencyGraph(.project)
        var chosen = Array(rows.prefix(limit))
        // With one or two projects asked for, show their direct neighbours too.
        if rows.count <= 2 {
            var seen = Set(chosen)
            for r in rows { for v in graph.neighbours(r, forward: false) + graph.neighbours(r, forward: true) where seen.insert(v).inserted { chosen.append(v) } }
        }
        var index: [Int32: Int] = [:]
        for (i, r) in chosen.enumerated() { index[r] = i }
        var inCycle = Set<Int32>()
        for c in graph.cycles() { inCycle.formUnion(c) }
        var edges: [ChartNetwork.Edge] = []
        let deps = store.table(.dependency), ids = store.idIndex(.project)
        if let fc = deps.column("from"), let tc = deps.column("to") {
            let types = deps.column("type")
            for r in 0..<deps.count {
                guard let f = fc.string(r).flatMap({ ids[$0] }), let t = tc.string(r).flatMap({ ids[$0] }),
                      let a = index[f], let b = index[t] else { continue }
                let code = types?.smalls[r] ?? Column.noneSmall
                let name = Int(code) < EnumType.dependencyType.cases.count ? EnumType.dependencyType.cases[Int(code)] : "FS"
                edges.append(.init(from: a, to: b, type: name, cycle: inCycle.contains(f) && inCycle.contains(t)))
            }
        }
        // Layers: longest path over the links that are not in a cycle (Kahn order), linear in nodes + edges.
        var layer = [Int](repeating: 0, count: chosen.count), indegree = [Int](repeating: 0, count: chosen.count)
        var out = [[Int]](repeating: [], count: chosen.count)
        for e in edges where !e.cycle { out[e.from].append(e.to); indegree[e.to] += 1 }
        var queue = (0..<chosen.count).filter { indegree[$0] == 0 }, head = 0
        while head < queue.count {
            let u = queue[head]; head += 1
            for v in out[u] { layer[v] = max(layer[v], layer[u] + 1); indegree[v] -= 1; if indegree[v] == 0 { queue.append(v) } }
        }
        let nodes = chosen.enumerated().map { i, r in
            ChartNetwork.Node(label: Display.entityLabel(store, .project, r), name: store.table(.project).column("name")?.string(Int(r)) ?? "",
                              status: ragName(store.projectStatus(project: r, asOf: asOf)), layer: layer[i])
        }
        var note = "\(plural(nodes.count, "project", "projects")), \(plural(edges.count, "link", "links"))"
        if edges.contains(where: \.cycle) { note += "; links in a cycle are dashed" }
        if rows.count > limit { note += "; the first \(limit) of \(rows.count) projects" }
        let data = ResultTable(columns: [ResultColumn(name: "from", kind: .text), ResultColumn(name: "to", kind: .text),
                                         ResultColumn(name: "type", kind: .text), ResultColumn(name: "cycle", kind: .bool)],
                               rows: edges.map { [.string(nodes[$0.from].label), .string(nodes[$0.to].label), .string($0.type), .bool($0.cycle)] })
        return Chart(kind: .dependencies, title: "Project dependencies", note: note,
                     payload: .network(ChartNetwork(nodes: nodes, edges: edges)), data: data, currency: store.currency)
    }
}
