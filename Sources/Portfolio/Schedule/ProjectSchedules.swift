// The critical path of every project of a store at one as-of date, computed once and kept by the store.
//
// Each project's network is its tasks and the task-to-task links whose two ends are tasks of that
// project (links between projects, or from a task to a task of another project, are graph edges
// for upstream/downstream but not part of one project's schedule). A project whose schedule cannot
// be computed (a cycle, a negative duration...) has none in every schedule field and its problems
// listed in `problems`, which the runtime turns into a diagnostic where a schedule field is read.
import PMOBase

public struct ProjectSchedules: Sendable {
    public let asOf: Day
    public let threshold: Int
    /// By task row.
    public var tasks: [CPMTaskResult?]
    /// By project row: the latest early finish.
    public var finish: [Day?]
    /// By project row: critical task rows in order.
    public var criticalPath: [[Int32]]
    /// By project row: what went wrong (fatal problems leave the project unscheduled).
    public var problems: [[CPMProblem]]

    /// The link type of a dependency row's `type` code (none is FS, as in MS Project and CSV files).
    static func linkType(_ code: UInt8) -> LinkType { LinkType(rawValue: code) ?? .fs }

    /// Computes every project's schedule: linear in tasks + links (plus a sort per project's links).
    public static func compute(_ store: PortfolioStore, asOf: Day) -> ProjectSchedules {
        let projects = store.table(.project), tasks = store.table(.task), deps = store.table(.dependency)
        let np = projects.count, nt = tasks.count
        var out = ProjectSchedules(asOf: asOf, threshold: store.criticalFloat, tasks: Array(repeating: nil, count: nt),
                                   finish: Array(repeating: nil, count: np), criticalPath: Array(repeating: [], count: np),
                                   problems: Array(repeating: [], count: np))
        guard nt > 0, let projectCol = tasks.column("project") else { return out }
        let calendar = store.workCalendar
        let byProject = AdjacencyIndex(ownerCount: np, refs: projectCol.codes)
        let ids = tasks.column("id"), parents = tasks.column("parent")
        let starts = tasks.column("start"), finishes = tasks.column("finish"), pct = tasks.column("percent_complete")
        let projectStarts = projects.column("start")
        // Local index of each task row inside its project's network.
        var local = [Int32](repeating: -1, count: nt)
        for p in 0..<np { for (i, r) in byProject.slice(Int32(p)).enumerated() { local[Int(r)] = Int32(i) } }
        // Links grouped by the project of their successor task, when both ends are tasks of one project.
        var linkProject: [Int32] = [], links: [CPMLink] = []
        let taskIndex = store.idIndex(.task)
        if deps.count > 0, let fromCol = deps.column("from"), let toCol = deps.column("to") {
            let typeCol = deps.column("type"), lagCol = deps.column("lag"), unitCol = deps.column("lag_unit")
            let unitCases = unitCol.map { c -> [String] in if case .enumeration(let e) = c.field.type { return e.cases }; return [] } ?? []
            for r in 0..<deps.count {
                guard let f = fromCol.string(r), let t = toCol.string(r), let a = taskIndex[f], let b = taskIndex[t] else { continue }
                let pa = projectCol.codes[Int(a)], pb = projectCol.codes[Int(b)]
                guard pa == pb, pa >= 0 else { continue }
                let code = typeCol.map { $0.smalls[r] } ?? Column.noneSmall
                let lag = lagCol.map { $0.nulls.isNone(r) ? 0 : Int(clamping: $0.ints[r]) } ?? 0
                let unit = unitCol.flatMap { c -> String? in
                    let u = c.smalls[r]; return Int(u) < unitCases.count ? unitCases[Int(u)] : nil
                }
                links.append(CPMLink(from: local[Int(a)], to: local[Int(b)], type: code == Column.noneSmall ? .fs : linkType(code),
                                     lag: lag, elapsed: unit != "bd"))
                linkProject.append(pa)
            }
        }
        let linksByProject = AdjacencyIndex(ownerCount: np, refs: linkProject)
        for p in 0..<np {
            let rows = byProject.slice(Int32(p))
            if rows.isEmpty { continue }
            var network: [CPMTask] = []
            network.reserveCapacity(rows.count)
            for r in rows {
                let i = Int(r)
                var parent: Int32 = -1
                if let pc = parents, pc.codes[i] >= 0, projectCol.codes[Int(pc.codes[i])] == Int32(p) { parent = local[Int(pc.codes[i])] }
                network.append(CPMTask(id: ids?.string(i) ?? "#\(i)", parent: parent,
                                       start: starts.flatMap { $0.nulls.isNone(i) ? nil : Day(raw: $0.codes[i]) },
                                       finish: finishes.flatMap { $0.nulls.isNone(i) ? nil : Day(raw: $0.codes[i]) },
                                       percent: pct.flatMap { $0.nulls.isNone(i) ? nil : $0.ints[i] }))
            }
            let projectStart = projectStarts.flatMap { $0.nulls.isNone(p) ? nil : Day(raw: $0.codes[p]) }
            let input = CPMInput(tasks: network, links: linksByProject.slice(Int32(p)).map { links[Int($0)] },
                                 projectStart: projectStart, asOf: asOf, threshold: out.threshold, calendar: calendar)
            let result = CPM.schedule(input)
            for (i, r) in rows.enumerated() { out.tasks[Int(r)] = result.tasks[i] }
            out.finish[p] = result.finish
            out.criticalPath[p] = result.criticalPath.map { rows[rows.startIndex + Int($0)] }
            out.problems[p] = result.problems
        }
        return out
    }
}

extension PortfolioStore {
    /// Weekdays less the `holidays` set.
    public var workCalendar: WorkCalendar {
        let t = table(.holiday)
        guard let col = t.column("date") else { return WorkCalendar() }
        return WorkCalendar(holidays: (0..<t.count).compactMap { col.nulls.isNone($0) ? nil : Day(raw: col.codes[$0]) })
    }

    /// The schedules at `asOf`, computed on first use and kept for that date.
    public func schedules(asOf: Day) -> ProjectSchedules {
        scheduleCache.locked { cache in
            if let s = cache, s.asOf == asOf { return s }
            let s = ProjectSchedules.compute(self, asOf: asOf)
            cache = s
            return s
        }
    }
}

/// The store's last computed schedules, behind their own lock.
public final class ScheduleCache: @unchecked Sendable {
    private var value: ProjectSchedules?
    private var graphs: [EntityKind: DependencyGraph] = [:]
    private let lock = StoreLock()
    public init() {}
    func locked<T>(_ body: (inout ProjectSchedules?) -> T) -> T { lock.locked { body(&value) } }
    func graph(_ k: EntityKind, _ build: () -> DependencyGraph) -> DependencyGraph {
        lock.locked {
            if let g = graphs[k] { return g }
            let g = build()
            graphs[k] = g
            return g
        }
    }
}
