// The generator's larger sets: milestones, tasks and dependencies; resources, allocations and
// timesheets; risks, issues and changes; weekly status reports and stage gates.
import PMOBase

extension PortfolioGenerator {
    mutating func writeMilestonesTasksAndDependencies() throws(GeneratorError) {
        let sd = PortfolioGenerator.statusDate.raw
        let perProject = max(1, plan.milestones / plan.projects)
        let mw = PortfolioGenerator.width(plan.projects * perProject) + 1
        try file("milestones", "id,project,name,due,baseline_due,forecast,completed,key,acceptance", units: plan.projects) {
            [projects, projectIDs] i, w, r in
            let p = projects[i]
            for k in 0..<perProject {
                let due = p.start + Int32(Int64(p.finish - p.start) * Int64(k + 1) / Int64(perProject + 1))
                let slipDraw = r.below(100)
                let slip = Int32(slipDraw < 60 ? 0 : slipDraw < 90 ? r.int(7...45) : r.int(60...120))
                w.raw(bytes: PortfolioGenerator.id("MS-", i * perProject + k + 1, width: mw)); w.raw(bytes: projectIDs[i])
                w.text(GeneratorText.milestoneNames[(k + i) % GeneratorText.milestoneNames.count])
                w.date(due); w.date(due - slip)
                let done = due <= sd && r.chance(85)
                if !done && due > sd && r.chance(30) { w.date(due + Int32(r.int(1...30))) } else { w.none() }
                if done { w.date(min(sd, due + Int32(r.int(-5...5)))) } else { w.none() }
                w.bool(k % 4 == 3)
                w.text(done ? (r.chance(95) ? "accepted" : "rejected") : "pending")
                w.endRow()
            }
            return perProject
        }
        let tw = PortfolioGenerator.width(plan.projects * 12) + 1
        try file("tasks", "id,project,parent,name,start,finish,baseline_start,baseline_finish,percent_complete,work,cost", units: plan.projects) {
            [projects, projectIDs] i, w, r in
            let p = projects[i]
            let length = Int64(max(8, p.finish - p.start)), baseLength = Int64(max(8, p.baselineFinish - p.start))
            for j in 0..<4 {
                let summary = PortfolioGenerator.id("T-", i * 12 + j * 3 + 1, width: tw)
                for c in 0..<3 {
                    // c == 0: the phase's summary task; 1 and 2: its two halves.
                    let lo = c == 0 ? Int64(j) * 2 : Int64(j) * 2 + Int64(c - 1), hi = c == 0 ? lo + 2 : lo + 1
                    let s = p.start + Int32(length * lo / 8), f = p.start + Int32(length * hi / 8) - 1
                    let bs = p.start + Int32(baseLength * lo / 8), bf = p.start + Int32(baseLength * hi / 8) - 1
                    w.raw(bytes: PortfolioGenerator.id("T-", i * 12 + j * 3 + c + 1, width: tw)); w.raw(bytes: projectIDs[i])
                    if c == 0 { w.none() } else { w.raw(bytes: summary) }
                    w.text(c == 0 ? GeneratorText.phases[j + 1] : GeneratorText.taskVerbs[(j * 2 + c - 1) % GeneratorText.taskVerbs.count])
                    w.date(s); w.date(f); w.date(bs); w.date(bf)
                    var done: Int64 = 0
                    if sd >= f {
                        done = 10_000
                    } else if sd > s {
                        let elapsed = Int64(sd - s) * 10_000 / Int64(max(1, f - s))
                        done = elapsed * p.spi / 1_000
                    }
                    w.fixed(min(10_000, done / 100 * 100))
                    let hours = Int64(f - s + 1) * Int64(r.int(6...40)) * (c == 0 ? 2 : 1)
                    w.fixed(hours * 10_000); w.fixed(hours * 120 * 10_000)
                    w.endRow()
                }
            }
            return 12
        }
        try file("dependencies", "from,to,type,lag", units: plan.projects) { [projectIDs, plan] i, w, r in
            var n = 0
            var halves: [Int] = []
            for j in 0..<4 {
                let first: Int = i * 12 + j * 3 + 2
                halves.append(first)
                halves.append(first + 1)
            }
            for k in 0..<7 { // the halves of the four phases, one after the other
                let a = halves[k], b = halves[k + 1]
                w.raw(bytes: PortfolioGenerator.id("T-", a, width: tw)); w.raw(bytes: PortfolioGenerator.id("T-", b, width: tw))
                w.text("FS"); w.days(r.chance(85) ? 0 : Int64(r.int(1...10))); w.endRow()
                n += 1
            }
            if r.chance(2), i + 1 < plan.projects {
                w.raw(bytes: projectIDs[i]); w.raw(bytes: projectIDs[i + 1 + r.below(plan.projects - i - 1)])
                w.text(r.chance(70) ? "FS" : "SS"); w.days(Int64(r.int(0...90))); w.endRow()
                n += 1
            }
            return n
        }
    }

    mutating func writeResourcesAllocationsAndTimesheets() throws(GeneratorError) {
        let sd = PortfolioGenerator.statusDate.raw
        resourceIDs = (1...plan.resources).map { PortfolioGenerator.id("RES-", $0, width: PortfolioGenerator.width(plan.resources)) }
        var r = rng.fork(21)
        var capacity: [Int64] = [], rate: [Int64] = []
        for _ in 0..<plan.resources {
            let c = r.below(100)
            capacity.append(c < 75 ? 40 : c < 90 ? 32 : c < 98 ? 20 : 0)
            rate.append(Int64(r.int(55...225)))
        }
        try file("resources", "id,name,role,department,capacity,rate,active", units: plan.resources) { [resourceIDs] i, w, r in
            w.raw(bytes: resourceIDs[i]); w.text(GeneratorText.personName(i * 17 + 5 + r.below(3)))
            w.text(r.pick(GeneratorText.roles)); w.text(r.pick(GeneratorText.departments))
            w.fixed(capacity[i] * 10_000); w.fixed(rate[i] * 10_000); w.bool(r.chance(97)); w.endRow()
            return 1
        }
        // Which projects each resource works on, and its allocation percentages (some over 100% in all).
        let tsAverage = plan.timesheets * 100 * 100 / (plan.resources * plan.weeks * 96)
        let allocAverage = plan.allocations * 100 / plan.resources
        var projectsOf: [[Int]] = [], percents: [[Int64]] = []
        for _ in 0..<plan.resources {
            let a = allocAverage / 100 + (r.below(100) < allocAverage % 100 ? 1 : 0)
            let n = min(plan.projects, max(a, tsAverage / 100 + (r.below(100) < tsAverage % 100 ? 1 : 0)))
            var list: [Int] = []
            while list.count < n { let p = r.below(plan.projects); if !list.contains(p) { list.append(p) } }
            var pcts = (0..<min(a, n)).map { _ in Int64(r.int(2...12)) * 5 }
            if r.chance(12), !pcts.isEmpty {
                let target = Int64(r.int(105...140))
                while pcts.reduce(0, +) < target { pcts[r.below(pcts.count)] += 5 }
            }
            projectsOf.append(list)
            percents.append(pcts)
        }
        try file("allocations", "resource,project,start,finish,percent,state", units: plan.resources) {
            [resourceIDs, projectIDs, projects] i, w, r in
            for (k, pct) in percents[i].enumerated() {
                let p = projects[projectsOf[i][k]]
                var s = max(p.start, sd - 182), f = min(p.finish, sd + 182)
                if f < s { s = p.start; f = p.finish }
                w.raw(bytes: resourceIDs[i]); w.raw(bytes: projectIDs[projectsOf[i][k]]); w.date(s); w.date(f)
                w.fixed(pct * 100); w.text(r.chance(85) ? "approved" : "requested"); w.endRow()
            }
            return percents[i].count
        }
        let lastMonday = sd - 4
        let weeks = plan.weeks
        try file("timesheets", "resource,project,week,hours,cost", units: plan.resources) { [resourceIDs, projectIDs] i, w, r in
            var n = 0
            let list = projectsOf[i]
            for k in 0..<weeks {
                if r.chance(4) { continue } // leave, public holidays
                let week = lastMonday - Int32(7 * (weeks - 1 - k))
                for (j, p) in list.enumerated() {
                    let share = j < percents[i].count ? percents[i][j] : Int64(r.int(2...6)) * 5
                    var halves = capacity[i] == 0 ? Int64(r.int(8...32)) : capacity[i] * 2 * share / 100
                    halves += Int64(r.int(-4...4))
                    if halves < 1 { halves = 1 }
                    w.raw(bytes: resourceIDs[i]); w.raw(bytes: projectIDs[p]); w.date(week)
                    w.fixed(halves * 5_000); w.fixed(halves * 5_000 * rate[i]); w.endRow()
                    n += 1
                }
            }
            return n
        }
    }

    mutating func writeRisksIssuesAndChanges() throws(GeneratorError) {
        let sd = PortfolioGenerator.statusDate.raw
        let rw = PortfolioGenerator.width(plan.risks) + 1, iw = PortfolioGenerator.width(plan.issues) + 1
        try file("risks", "id,project,title,probability,impact,cost_impact,state,owner,review_due", units: plan.risks) {
            [projectIDs, personIDs] i, w, r in
            w.raw(bytes: PortfolioGenerator.id("RSK-", i + 1, width: rw)); w.raw(bytes: r.pick(projectIDs)); w.text(r.pick(GeneratorText.riskTitles))
            w.fixed(Int64(r.int(1...19)) * 500); w.int(Int64(r.int(1...5))); w.fixed(Int64(r.int(10...2_000)) * 1_000 * 10_000)
            let s = r.below(100)
            w.text(s < 60 ? "open" : s < 80 ? "mitigating" : "closed")
            if r.chance(8) { w.none() } else { w.raw(bytes: r.pick(personIDs)) }
            if s >= 80 { w.none() } else { w.date(sd + Int32(r.int(-60...45))) }
            w.endRow()
            return 1
        }
        try file("issues", "id,project,title,severity,state,owner,opened,due,resolved", units: plan.issues) {
            [projectIDs, personIDs] i, w, r in
            w.raw(bytes: PortfolioGenerator.id("ISS-", i + 1, width: iw)); w.raw(bytes: r.pick(projectIDs)); w.text(r.pick(GeneratorText.issueTitles))
            let sev = r.below(100)
            w.text(sev < 35 ? "low" : sev < 75 ? "medium" : sev < 93 ? "high" : "critical")
            let st = r.below(100)
            w.text(st < 40 ? "open" : st < 60 ? "in_progress" : st < 80 ? "resolved" : "closed")
            if r.chance(5) { w.none() } else { w.raw(bytes: r.pick(personIDs)) }
            let opened = sd - Int32(r.int(0...365))
            w.date(opened); w.date(opened + Int32(r.int(14...60)))
            if st >= 60 { w.date(min(sd, opened + Int32(r.int(1...90)))) } else { w.none() }
            w.endRow()
            return 1
        }
        let cw = PortfolioGenerator.width(plan.projects) + 1
        var next = 0
        try file("changes", "id,project,title,cost_impact,schedule_impact,state", units: plan.projects) { [projectIDs] i, w, r in
            guard r.chance(60) else { return 0 }
            next += 1
            w.raw(bytes: PortfolioGenerator.id("CHG-", next, width: cw)); w.raw(bytes: projectIDs[i]); w.text(r.pick(GeneratorText.changeTitles))
            w.fixed(Int64(r.int(10...1_500)) * 1_000 * 10_000); w.days(Int64(r.int(0...60)))
            w.text(r.pick(["draft", "submitted", "submitted", "approved", "approved", "approved", "rejected"])); w.endRow()
            return 1
        }
    }

    mutating func writeReportsAndGates() throws(GeneratorError) {
        let sd = PortfolioGenerator.statusDate.raw
        let reports = plan.reports
        try file("status_reports", "project,as_of,overall,schedule,cost,scope,pv,ev,ac,percent_complete,summary", units: plan.projects) {
            [projects, projectIDs] i, w, r in
            let p = projects[i]
            let noActuals = r.chance(2)
            for k in 0..<reports {
                let day = sd - Int32(7 * (reports - 1 - k))
                let span = Int64(max(1, p.baselineFinish - p.start)), elapsed = Int64(max(0, min(day - p.start, p.baselineFinish - p.start)))
                let pv = p.bac * elapsed / span
                let spi = p.spi + Int64(r.int(-15...15)), cpi = p.cpi + Int64(r.int(-15...15))
                let ev = min(p.bac, pv * spi / 1_000)
                var ac = cpi > 0 ? ev * 1_000 / cpi : 0
                if pv == 0 { ac = r.chance(10) ? p.bac / 200 : 0 }
                if noActuals { ac = 0 }
                let overall = p.watermelon ? "green" : PortfolioGenerator.rag(min(cpi, spi))
                w.raw(bytes: projectIDs[i]); w.date(day); w.text(overall)
                w.text(PortfolioGenerator.rag(spi)); w.text(PortfolioGenerator.rag(cpi)); w.text(r.chance(85) ? "green" : "amber")
                w.fixed(pv * 10_000); w.fixed(ev * 10_000); w.fixed(ac * 10_000)
                w.fixed(p.bac > 0 ? ev * 10_000 / p.bac : 0)
                w.text(overall == "green" ? GeneratorText.summaries[0] : r.pick(GeneratorText.summaries)); w.endRow()
            }
            return reports
        }
        try file("gates", "project,gate,planned,held,decision", units: plan.projects) { [projects, projectIDs] i, w, r in
            let p = projects[i]
            var n = 0
            for g in 0..<6 {
                let planned = p.start + Int32(Int64(p.finish - p.start) * Int64(g) / 6)
                if g > 0 && planned > sd + 90 { break }
                w.raw(bytes: projectIDs[i]); w.text("G\(g)"); w.date(planned)
                let held = planned <= sd && r.chance(90)
                if held { w.date(min(sd, planned + Int32(r.int(0...10)))) } else { w.none() }
                let d = r.below(100)
                w.text(!held ? "pending" : d < 82 ? "approved" : d < 93 ? "conditional" : d < 97 ? "rejected" : "pending")
                w.endRow()
                n += 1
            }
            return n
        }
    }
}
