// Microsoft Project XML (MSPDI) imports, attached to one project of the portfolio (`--project ID`).
//
// What is read, and how units are normalised (research/domain.md §1.1; MPXJ is the reference):
// - Tasks (UID 0, the project summary, and blank `IsNull` rows are skipped) become `tasks` with ids
//   `<project>.T<UID>`; the parent comes from document order and `OutlineLevel`. Start, Finish and
//   baseline 0's Start and Finish are taken as dates; `PercentComplete` (0-100) as a percentage;
//   `Work` (an xsd:duration such as PT8H30M0S) as hours; `Cost` is in hundredths of the currency
//   (as MPXJ reads it) and becomes money.
// - A task with `Milestone` = 1 is also a milestone `<project>.M<UID>`: due = its Finish, baseline_due
//   = baseline 0's Finish, completed = ActualFinish when it is 100% complete.
// - `PredecessorLink`s become dependencies between the two tasks: Type 0=FF, 1=FS (the default),
//   2=SF, 3=SS; `LinkLag` is in tenths of a minute and becomes whole days (rounded half away from
//   zero) of MinutesPerDay working minutes (default 480), or of 1,440 minutes for elapsed
//   LagFormats; a percentage LagFormat is that share of the predecessor's duration. Links to
//   other projects (`CrossProject` = 1) are left out.
// - Work resources become `resources` `<project>.R<UID>` (material and cost resources, and the
//   nameless UID 0, are left out): Group is the department, MaxUnits × MinutesPerWeek / 60 the
//   weekly capacity, StandardRate the hourly rate (converted from StandardRateFormat), IsInactive.
// - Assignments become `allocations` of the resource to the project from the assignment's Start to
//   Finish at `Units` (1.0 = 100%), approved unless BookingType is 2 (proposed: requested).
//   Assignments of one resource with the same dates are added together.
import PMOBase
import Portfolio

enum MSPDIImport {
    static func parts(path: String, project: String, encoding: InputEncoding? = nil) throws(WorkspaceError) -> [ImportPart] {
        var reader = XMLReader(bytes: try InputFiles.text(path, encoding: encoding), file: path)
        let root = try reader.document()
        var m = MSPDIMapper(file: path, project: project, root: root)
        return try m.parts()
    }
}

struct MSPDIMapper {
    let file: String
    let project: String
    let root: XMLElement
    var minutesPerDay = 480
    var minutesPerWeek = 2400
    var daysPerMonth = 20

    init(file: String, project: String, root: XMLElement) { self.file = file; self.project = project; self.root = root }

    func fail(_ m: String, _ at: Position) -> WorkspaceError {
        WorkspaceError(data: LoadError(file: file, line: at.line, column: at.column, message: m))
    }

    func int(_ e: XMLElement, _ name: String) throws(WorkspaceError) -> Int? {
        guard let v = e.value(name) else { return nil }
        guard let n = Int(v) else { throw fail("invalid integer '\(v)' in <\(name)>", e.child(name)?.at ?? e.at) }
        return n
    }

    func flag(_ e: XMLElement, _ name: String) throws(WorkspaceError) -> Bool {
        guard let v = e.value(name) else { return false }
        switch v.lowercased() {
        case "1", "true": return true
        case "0", "false": return false
        default: throw fail("invalid flag '\(v)' in <\(name)> (expected 1 or 0)", e.child(name)?.at ?? e.at)
        }
    }

    /// The date part of an MSPDI dateTime (`2026-03-02T08:00:00`).
    func date(_ e: XMLElement, _ name: String) throws(WorkspaceError) -> String? {
        guard let v = e.value(name) else { return nil }
        let d = String(v.prefix(10))
        guard Day(iso: Substring(d)) != nil, v.count == 10 || v.dropFirst(10).first == "T" else {
            throw fail("invalid date '\(v)' in <\(name)> (expected YYYY-MM-DDTHH:MM:SS)", e.child(name)?.at ?? e.at)
        }
        return d
    }

    /// An exact decimal number.
    func decimal(_ e: XMLElement, _ name: String) throws(WorkspaceError) -> Fixed? {
        guard let v = e.value(name) else { return nil }
        guard let f = Fixed(parsing: Substring(v)) else {
            let numeric = !v.isEmpty && v.allSatisfy { $0.isASCII && ($0.isNumber || "+-.".contains($0)) } && v.contains(where: \.isNumber)
            throw fail(numeric ? "the number '\(v)' in <\(name)> is beyond the range pmo stores exactly (±922,337,203,685,477.5807)"
                               : "invalid number '\(v)' in <\(name)>", e.child(name)?.at ?? e.at)
        }
        return f
    }

    /// An xsd:duration (`PT8H30M0S`, `P2DT4H`) in minutes; days are working days of MinutesPerDay.
    func minutes(_ e: XMLElement, _ name: String) throws(WorkspaceError) -> Fixed? {
        guard let v = e.value(name) else { return nil }
        let at = e.child(name)?.at ?? e.at
        let bad = fail("invalid duration '\(v)' in <\(name)> (expected an xsd:duration such as PT8H0M0S)", at)
        var s = Substring(v)
        guard s.first == "P" else { throw bad }
        s.removeFirst()
        var total = Fixed.zero
        var inTime = false
        var number = ""
        for ch in s {
            if ch == "T" { inTime = true; continue }
            if ch.isNumber || ch == "." { number.append(ch); continue }
            guard let n = Fixed(parsing: Substring(number)) else { throw bad }
            number = ""
            let factor: Int64
            switch (ch, inTime) {
            case ("H", true): factor = 60
            case ("M", true): factor = 1
            case ("S", true):
                guard let x = n.divided(byInt: 60), let t = total.adding(x) else { throw bad }
                total = t
                continue
            case ("D", false): factor = Int64(minutesPerDay)
            case ("W", false): factor = Int64(minutesPerWeek)
            default: throw bad
            }
            guard let x = n.multiplied(byInt: factor), let t = total.adding(x) else { throw bad }
            total = t
        }
        if !number.isEmpty { throw bad }
        return total
    }

    func text(_ f: Fixed) -> String { f.description }

    mutating func parts() throws(WorkspaceError) -> [ImportPart] {
        guard root.name == "Project" else {
            throw fail("not a Microsoft Project XML (MSPDI) file: the root element is <\(root.name)>, expected <Project>", root.at)
        }
        if let ns = root.attributes["xmlns"], !ns.hasPrefix("http://schemas.microsoft.com/project") {
            throw fail("not a Microsoft Project XML (MSPDI) file: namespace '\(ns)'", root.at)
        }
        minutesPerDay = try int(root, "MinutesPerDay") ?? 480
        minutesPerWeek = try int(root, "MinutesPerWeek") ?? 2400
        daysPerMonth = try int(root, "DaysPerMonth") ?? 20
        guard (1...1440).contains(minutesPerDay), (1...10080).contains(minutesPerWeek), (1...31).contains(daysPerMonth) else {
            throw fail("MinutesPerDay (1 to 1440), MinutesPerWeek (1 to 10080) and DaysPerMonth (1 to 31) are out of range: "
                       + "\(minutesPerDay), \(minutesPerWeek), \(daysPerMonth)", root.at)
        }
        let taskHeader = ["id", "project", "parent", "name", "start", "finish", "baseline_start", "baseline_finish",
                          "percent_complete", "work", "cost"] + MSPDIMapper.projectSchedule
        var tasks = SyntheticCSV(), milestones = SyntheticCSV(), deps = SyntheticCSV()
        tasks.row(taskHeader, origins: [], rowOrigin: root.at)
        milestones.row(["id", "project", "name", "due", "baseline_due", "completed", "key"], origins: [], rowOrigin: root.at)
        deps.row(["from", "to", "type", "lag"], origins: [], rowOrigin: root.at)
        var taskIDs: [Int: (id: String, durationMinutes: Fixed?)] = [:]
        var stack: [String] = []
        let taskElements = root.child("Tasks")?.children("Task") ?? []
        var kept: [XMLElement] = []
        for t in taskElements {
            guard let uid = try int(t, "UID") else { throw fail("a <Task> without a <UID>", t.at) }
            if try flag(t, "IsNull") { continue }
            let level = try int(t, "OutlineLevel") ?? 1
            if uid == 0 || level == 0 { continue }
            if taskIDs[uid] != nil { throw fail("task UID \(uid) appears twice", t.child("UID")?.at ?? t.at) }
            guard level >= 1, level <= stack.count + 1 else {
                throw fail("OutlineLevel \(level) follows a task at level \(stack.count): a level was skipped", t.child("OutlineLevel")?.at ?? t.at)
            }
            stack.removeLast(stack.count - (level - 1))
            let id = "\(project).T\(uid)"
            let parent = stack.last
            stack.append(id)
            taskIDs[uid] = (id, try minutes(t, "Duration"))
            kept.append(t)
            let baseline = t.children("Baseline").first { (try? int($0, "Number")) == 0 }
            let percent = try int(t, "PercentComplete")
            if let p = percent, !(0...100).contains(p) {
                throw fail("PercentComplete \(p) is not between 0 and 100", t.child("PercentComplete")?.at ?? t.at)
            }
            let work = try minutes(t, "Work").flatMap { $0.divided(byInt: 60) }
            let cost = try decimal(t, "Cost").flatMap { $0.divided(byInt: 100) }
            let name = t.value("Name") ?? "Task \(uid)"
            let cells: [String?] = [id, project, parent, name, try date(t, "Start"), try date(t, "Finish"),
                                    try baseline.flatMap { b throws(WorkspaceError) in try date(b, "Start") },
                                    try baseline.flatMap { b throws(WorkspaceError) in try date(b, "Finish") },
                                    percent.map { "\($0)%" }, work.map(text), cost.map(text)]
            let origins: [Position?] = [t.child("UID")?.at, t.at, t.child("OutlineLevel")?.at, t.child("Name")?.at,
                                        t.child("Start")?.at, t.child("Finish")?.at, baseline?.child("Start")?.at,
                                        baseline?.child("Finish")?.at, t.child("PercentComplete")?.at, t.child("Work")?.at,
                                        t.child("Cost")?.at]
            let (scheduleCells, scheduleOrigins) = try projectSchedule(t)
            tasks.row(cells + scheduleCells, origins: origins + scheduleOrigins, rowOrigin: t.at)
            if try flag(t, "Milestone") {
                let start = try date(t, "Start"), finish = try date(t, "Finish"), actual = try date(t, "ActualFinish")
                let done = percent == 100 ? actual ?? finish : nil
                milestones.row(["\(project).M\(uid)", project, name, finish ?? start,
                                try baseline.flatMap { b throws(WorkspaceError) in try date(b, "Finish") }, done, "false"],
                               origins: [t.child("UID")?.at, t.at, t.child("Name")?.at, t.child("Finish")?.at,
                                         baseline?.child("Finish")?.at, t.child("ActualFinish")?.at, t.child("Milestone")?.at],
                               rowOrigin: t.at)
            }
        }
        var links: [(from: Int, to: Int, at: Position)] = []
        var uids: [Int] = []
        for t in kept {
            guard let uid = try int(t, "UID"), let to = taskIDs[uid] else { continue }
            uids.append(uid)
            for link in t.children("PredecessorLink") {
                if try flag(link, "CrossProject") { continue }
                guard let pred = try int(link, "PredecessorUID") else { throw fail("a <PredecessorLink> without a <PredecessorUID>", link.at) }
                guard let from = taskIDs[pred] else {
                    throw fail("unknown predecessor task UID \(pred)", link.child("PredecessorUID")?.at ?? link.at)
                }
                if pred == uid { throw fail("task UID \(uid) depends on itself", link.child("PredecessorUID")?.at ?? link.at) }
                links.append((pred, uid, link.child("PredecessorUID")?.at ?? link.at))
                let code = try int(link, "Type") ?? 1
                let types = ["FF", "FS", "SF", "SS"]
                guard (0..<types.count).contains(code) else {
                    throw fail("unknown link type \(code) (0=FF, 1=FS, 2=SF, 3=SS)", link.child("Type")?.at ?? link.at)
                }
                let lag = try lagDays(link, predecessorMinutes: from.durationMinutes)
                deps.row([from.id, to.id, types[code], lag.days == 0 || lag.elapsed ? "\(lag.days)d" : "\(lag.days)bd"],
                         origins: [link.child("PredecessorUID")?.at, t.child("UID")?.at, link.child("Type")?.at, link.child("LinkLag")?.at],
                         rowOrigin: link.at)
            }
        }
        try checkCycles(links, uids: uids)
        var out = [ImportPart(kind: .task, file: file, bytes: tasks.writer.bytes, origin: tasks.map),
                   ImportPart(kind: .milestone, file: file, bytes: milestones.writer.bytes, origin: milestones.map),
                   ImportPart(kind: .dependency, file: file, bytes: deps.writer.bytes, origin: deps.map)]
        out += try resourcesAndAllocations(taskIDs: Set(taskIDs.keys))
        return out
    }

    /// A link's lag in whole days: working days, or calendar days for the elapsed LagFormats.
    func lagDays(_ link: XMLElement, predecessorMinutes: Fixed?) throws(WorkspaceError) -> (days: Int64, elapsed: Bool) {
        guard let tenths = try int(link, "LinkLag"), tenths != 0 else { return (0, false) }
        let format = try int(link, "LagFormat") ?? 7
        let at = link.child("LinkLag")?.at ?? link.at
        let minutes = Double(tenths) / 10
        let days: Double
        var elapsed = false
        switch format {
        case 19, 20, 51, 52: // percent of the predecessor's duration
            let predDays = (predecessorMinutes?.doubleValue ?? 0) / Double(minutesPerDay)
            days = predDays * minutes / 100
        case 4, 6, 8, 10, 12, 36, 38, 40, 42, 44: // elapsed formats: calendar time
            days = minutes / 1440
            elapsed = true
        default:
            days = minutes / Double(minutesPerDay)
        }
        let r = days.rounded(.toNearestOrAwayFromZero)
        guard r.isFinite, abs(r) < 1_000_000 else { throw fail("link lag \(tenths) is out of range", at) }
        return (Int64(r), elapsed)
    }

    mutating func resourcesAndAllocations(taskIDs: Set<Int>) throws(WorkspaceError) -> [ImportPart] {
        var resources = SyntheticCSV(), allocations = SyntheticCSV()
        resources.row(["id", "name", "department", "capacity", "rate", "active"], origins: [], rowOrigin: root.at)
        allocations.row(["resource", "project", "start", "finish", "percent", "state"], origins: [], rowOrigin: root.at)
        var kept: [Int: String] = [:]
        var skipped = Set<Int>()
        let hoursPerWeek = Fixed(units: Int64(minutesPerWeek) * Fixed.scale / 60)
        for r in root.child("Resources")?.children("Resource") ?? [] {
            guard let uid = try int(r, "UID") else { throw fail("a <Resource> without a <UID>", r.at) }
            let type = try int(r, "Type") ?? 1
            guard uid > 0, type == 1, !(try flag(r, "IsCostResource")), let name = r.value("Name") else { skipped.insert(uid); continue }
            if kept[uid] != nil || skipped.contains(uid) { throw fail("resource UID \(uid) appears twice", r.child("UID")?.at ?? r.at) }
            let id = "\(project).R\(uid)"
            kept[uid] = id
            let units = try decimal(r, "MaxUnits") ?? Fixed.one
            guard let capacity = units.multiplied(by: hoursPerWeek) else { throw fail("MaxUnits out of range", r.child("MaxUnits")?.at ?? r.at) }
            var rate: Fixed?
            if let standard = try decimal(r, "StandardRate") {
                let format = try int(r, "StandardRateFormat") ?? 2
                let hoursPerDay = Int64(minutesPerDay) * Fixed.scale / 60
                let divisor: Fixed?
                switch format {
                case 1: divisor = Fixed(units: Fixed.scale / 60) // per minute: ×60
                case 2: divisor = Fixed.one
                case 3: divisor = Fixed(units: hoursPerDay)
                case 4: divisor = hoursPerWeek
                case 5: divisor = Fixed(units: hoursPerDay).multiplied(byInt: Int64(daysPerMonth))
                case 7: divisor = hoursPerWeek.multiplied(byInt: 52)
                default:
                    throw fail("StandardRateFormat \(format) is not a time unit (1=m, 2=h, 3=d, 4=w, 5=mo, 7=y)",
                               r.child("StandardRateFormat")?.at ?? r.at)
                }
                if format == 1 {
                    rate = standard.multiplied(byInt: 60)
                } else if let d = divisor {
                    rate = standard.divided(by: d)
                }
                if rate == nil { throw fail("StandardRate out of range", r.child("StandardRate")?.at ?? r.at) }
            }
            let inactive = try flag(r, "IsInactive")
            resources.row([id, name, r.value("Group"), text(capacity), rate.map(text), inactive ? "false" : "true"],
                          origins: [r.child("UID")?.at, r.child("Name")?.at, r.child("Group")?.at, r.child("MaxUnits")?.at,
                                    r.child("StandardRate")?.at, r.child("IsInactive")?.at],
                          rowOrigin: r.at)
        }
        struct Key: Hashable { var resource: Int; var start: String?; var finish: String? }
        var order: [Key] = []
        var merged: [Key: (units: Fixed, at: XMLElement, requested: Bool)] = [:]
        for a in root.child("Assignments")?.children("Assignment") ?? [] {
            guard let res = try int(a, "ResourceUID") else { throw fail("an <Assignment> without a <ResourceUID>", a.at) }
            if res < 0 || skipped.contains(res) { continue } // unassigned, material or cost resources
            guard kept[res] != nil else { throw fail("unknown resource UID \(res)", a.child("ResourceUID")?.at ?? a.at) }
            if let task = try int(a, "TaskUID"), !taskIDs.contains(task), task != 0 {
                throw fail("unknown task UID \(task)", a.child("TaskUID")?.at ?? a.at)
            }
            let units = try decimal(a, "Units") ?? Fixed.one
            let key = Key(resource: res, start: try date(a, "Start"), finish: try date(a, "Finish"))
            let requested = (try int(a, "BookingType")) == 2
            if let prev = merged[key] {
                guard let sum = prev.units.adding(units) else { throw fail("Units out of range", a.at) }
                merged[key] = (sum, prev.at, prev.requested && requested)
            } else {
                merged[key] = (units, a, requested)
                order.append(key)
            }
        }
        for key in order {
            guard let entry = merged[key], let resource = kept[key.resource] else { continue }
            let a = entry.at
            allocations.row([resource, project, key.start, key.finish, text(entry.units), entry.requested ? "requested" : "approved"],
                            origins: [a.child("ResourceUID")?.at, a.at, a.child("Start")?.at, a.child("Finish")?.at,
                                      a.child("Units")?.at, a.child("BookingType")?.at],
                            rowOrigin: a.at)
        }
        return [ImportPart(kind: .resource, file: file, bytes: resources.writer.bytes, origin: resources.map),
                ImportPart(kind: .allocation, file: file, bytes: allocations.writer.bytes, origin: allocations.map)]
    }
}

extension MSPDIMapper {
    /// The task columns that keep MS Project's own schedule, to compare with pmo's critical path method.
    static let projectSchedule = ["msp_early_start", "msp_early_finish", "msp_late_start", "msp_late_finish",
                                  "msp_total_slack", "msp_free_slack", "msp_critical"]

    /// EarlyStart, EarlyFinish, LateStart, LateFinish (dates), TotalSlack and FreeSlack (tenths of a minute,
    /// as MPXJ reads them, in whole working days of MinutesPerDay) and Critical, where the task has them.
    func projectSchedule(_ t: XMLElement) throws(WorkspaceError) -> ([String?], [Position?]) {
        func slack(_ name: String) throws(WorkspaceError) -> String? {
            guard let tenths = try int(t, name) else { return nil }
            let days = (Double(tenths) / 10 / Double(minutesPerDay)).rounded(.toNearestOrAwayFromZero)
            guard days.isFinite, abs(days) < 1_000_000 else { throw fail("\(name) \(tenths) is out of range", t.child(name)?.at ?? t.at) }
            return String(Int64(days))
        }
        let critical: String? = t.child("Critical") == nil ? nil : (try flag(t, "Critical") ? "true" : "false")
        let cells: [String?] = [try date(t, "EarlyStart"), try date(t, "EarlyFinish"), try date(t, "LateStart"), try date(t, "LateFinish"),
                                try slack("TotalSlack"), try slack("FreeSlack"), critical]
        let origins: [Position?] = ["EarlyStart", "EarlyFinish", "LateStart", "LateFinish", "TotalSlack", "FreeSlack", "Critical"]
            .map { t.child($0)?.at }
        return (cells, origins)
    }

    /// Refuses a file whose links make a loop, naming the tasks around it and the link that closes it.
    func checkCycles(_ links: [(from: Int, to: Int, at: Position)], uids: [Int]) throws(WorkspaceError) {
        var index: [Int: Int32] = [:]
        for (i, u) in uids.enumerated() { index[u] = Int32(i) }
        let from = links.map { index[$0.from] ?? -1 }, to = links.map { index[$0.to] ?? -1 }
        guard let cycle = DependencyGraph(count: uids.count, from: from, to: to).cycles().first, cycle.count >= 2 else { return }
        let a = uids[Int(cycle[cycle.count - 2])], b = uids[Int(cycle[cycle.count - 1])]
        let at = links.first { $0.from == a && $0.to == b }?.at ?? root.at
        throw fail("dependency cycle between tasks: " + cycle.map { "UID \(uids[Int($0)])" }.joined(separator: " → ")
                   + " (a schedule cannot be computed; remove one of these links in MS Project)", at)
    }
}
