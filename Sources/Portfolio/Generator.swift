// `pmo generate`: a deterministic synthetic portfolio written as CSV files in the import format.
// The same size and seed give byte-identical files. The data has the skew real portfolios have:
// budgets spread over three orders of magnitude, projects without sponsors, over-allocated and
// zero-capacity people, overdue milestones, reports with zero PV or AC, and projects reported
// green whose indices say red.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import PMOBase

/// The sizes of generated portfolios (research/domain.md §8.2).
public enum GeneratorSize: String, CaseIterable, Sendable {
    case tiny, medium, large

    struct Plan {
        var portfolios, programs, projects, people, resources, milestones, allocations, timesheets, risks, issues: Int
        var reports: Int
        var weeks: Int
    }

    var plan: Plan {
        switch self {
        case .tiny: return Plan(portfolios: 1, programs: 2, projects: 8, people: 20, resources: 25, milestones: 40,
                                allocations: 40, timesheets: 6_000, risks: 30, issues: 20, reports: 12, weeks: 52)
        case .medium: return Plan(portfolios: 3, programs: 12, projects: 100, people: 300, resources: 1_000, milestones: 2_000,
                                  allocations: 1_500, timesheets: 250_000, risks: 400, issues: 400, reports: 52, weeks: 104)
        case .large: return Plan(portfolios: 10, programs: 80, projects: 5_000, people: 2_500, resources: 10_000, milestones: 100_000,
                                 allocations: 40_000, timesheets: 4_000_000, risks: 20_000, issues: 20_000, reports: 52, weeks: 104)
        }
    }
}

public struct GeneratorError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

/// Writes a synthetic portfolio into a directory.
public struct PortfolioGenerator {
    /// The portfolio's data date (a Friday), as in the demo.
    public static let statusDate = Day(raw: 20_777) // 2026-11-20

    let plan: GeneratorSize.Plan
    let dir: String
    var rng: SplitMix64
    /// Rows written per file.
    public private(set) var counts: [String: Int] = [:]

    // What later sets refer to.
    var personIDs: [[UInt8]] = []
    var projectIDs: [[UInt8]] = []
    var resourceIDs: [[UInt8]] = []
    var projects: [Project] = []

    struct Project {
        var portfolio: Int, program: Int
        var start: Int32, finish: Int32, baselineFinish: Int32
        var bac: Int64
        /// Cost and schedule performance in thousandths (1000 = on plan).
        var cpi: Int64, spi: Int64
        var watermelon: Bool
    }

    /// Generates every file; returns the number of rows of each.
    public static func generate(size: GeneratorSize, seed: UInt64, into dir: String) throws(GeneratorError) -> [String: Int] {
        if mkdir(dir, 0o777) != 0 && errno != EEXIST {
            throw GeneratorError(message: "cannot create directory '\(dir)': \(String(cString: strerror(errno)))")
        }
        var g = PortfolioGenerator(plan: size.plan, dir: dir, rng: SplitMix64(seed: seed))
        try g.run()
        return g.counts
    }

    static func id(_ prefix: String, _ n: Int, width: Int) -> [UInt8] {
        var digits = String(n)
        while digits.count < width { digits = "0" + digits }
        return Array((prefix + digits).utf8)
    }

    static func width(_ count: Int) -> Int { max(3, String(count).count) }

    /// Writes `<name>.csv`: the header, then `units` calls of `body` (each writes the rows of one unit,
    /// such as a project or a resource, and returns how many), flushing to disk as the text grows.
    mutating func file(_ name: String, _ header: String, units: Int = 1,
                       _ body: (Int, inout CSVWriter, inout SplitMix64) -> Int) throws(GeneratorError) {
        let sink = try FileSink(path: dir + "/" + name + ".csv")
        var w = CSVWriter(capacity: 1 << 22)
        for h in header.split(separator: ",") { w.text(String(h)) }
        w.endRow()
        var salt: UInt64 = 0xCBF2_9CE4_8422_2325 // FNV-1a of the name: each file has its own stream
        for b in name.utf8 { salt = (salt ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        var r = rng.fork(salt)
        var rows = 0
        for u in 0..<units {
            rows += body(u, &w, &r)
            if w.count >= 1 << 22 { try sink.put(w.take()) }
        }
        try sink.put(w.take())
        try sink.finish()
        counts[name] = rows
    }

    mutating func run() throws(GeneratorError) {
        let p = plan
        let sd = PortfolioGenerator.statusDate.raw
        try file("settings", "key,value") { _, w, _ in
            w.text("currency"); w.text("USD"); w.endRow()
            w.text("fiscal_year_start"); w.int(1); w.endRow()
            w.text("status_date"); w.date(sd); w.endRow()
            return 3
        }
        // Public holidays around the status date (fixed dates: no draw, so no other file changes).
        try file("holidays", "date,name") { _, w, _ in
            let days: [(Int, Int, Int, String)] = [(2025, 12, 25, "Christmas Day"), (2026, 1, 1, "New Year's Day"),
                                                   (2026, 5, 25, "Memorial Day"), (2026, 7, 3, "Independence Day (observed)"),
                                                   (2026, 9, 7, "Labor Day"), (2026, 11, 26, "Thanksgiving Day"),
                                                   (2026, 12, 25, "Christmas Day"), (2027, 1, 1, "New Year's Day")]
            var n = 0
            for (y, m, d, name) in days {
                guard let day = Day(year: y, month: m, day: d) else { continue }
                w.date(day.raw); w.text(name); w.endRow()
                n += 1
            }
            return n
        }
        personIDs = (1...p.people).map { PortfolioGenerator.id("P-", $0, width: PortfolioGenerator.width(p.people)) }
        try file("people", "id,name,email,department", units: personIDs.count) { [personIDs] i, w, r in
            let name = GeneratorText.personName(i * 13 + r.below(7))
            w.raw(bytes: personIDs[i]); w.text(name); w.text(GeneratorText.email(name, i + 1)); w.text(r.pick(GeneratorText.departments))
            w.endRow()
            return 1
        }
        makeProjects()
        try writePortfoliosAndPrograms()
        try writeProjects()
        try writeMilestonesTasksAndDependencies()
        try writeResourcesAllocationsAndTimesheets()
        try writeRisksIssuesAndChanges()
        try writeReportsAndGates()
    }

    /// Budgets: most projects are small, a few are very large (tiers of a log scale).
    mutating func makeProjects() {
        var r = rng.fork(11)
        let sd = PortfolioGenerator.statusDate.raw
        projectIDs = (1...plan.projects).map { PortfolioGenerator.id("PRJ-", $0, width: PortfolioGenerator.width(plan.projects) + 1) }
        for i in 0..<plan.projects {
            let tier = r.below(100)
            let bac: Int64 = tier < 45 ? Int64(r.int(50...500)) * 1_000 : tier < 80 ? Int64(r.int(500...2_500)) * 1_000
                : tier < 95 ? Int64(r.int(2_500...10_000)) * 1_000 : Int64(r.int(10_000...60_000)) * 1_000
            let start = sd - Int32(r.int(-180...1_000))
            let length = Int32(r.int(180...1_100))
            let baselineFinish = start + length
            let finish = baselineFinish + (r.chance(40) ? Int32(r.int(7...240)) : 0)
            let health = r.below(100)
            let cpi: Int64 = health < 60 ? Int64(r.int(950...1_150)) : health < 80 ? Int64(r.int(900...949)) : Int64(r.int(700...899))
            let spi: Int64 = health < 55 ? Int64(r.int(950...1_100)) : health < 78 ? Int64(r.int(900...949)) : Int64(r.int(650...899))
            let portfolio = i % plan.portfolios
            let programsPer = max(1, plan.programs / plan.portfolios)
            let program = min(plan.programs - 1, portfolio * programsPer + r.below(programsPer))
            projects.append(Project(portfolio: portfolio, program: program, start: start, finish: finish, baselineFinish: baselineFinish,
                                    bac: bac, cpi: cpi, spi: spi, watermelon: r.chance(8)))
        }
    }

    mutating func writePortfoliosAndPrograms() throws(GeneratorError) {
        let w1 = PortfolioGenerator.width(plan.portfolios), w2 = PortfolioGenerator.width(plan.programs)
        let caps = (0..<plan.portfolios).map { pf in projects.filter { $0.portfolio == pf }.reduce(Int64(0)) { $0 + $1.bac } }
        try file("portfolios", "id,name,owner,currency,budget_cap") { [personIDs, plan] _, w, r in
            for i in 0..<plan.portfolios {
                w.raw(bytes: PortfolioGenerator.id("PF-", i + 1, width: w1))
                w.text(GeneratorText.portfolioNames[i % GeneratorText.portfolioNames.count] + (i >= 10 ? " \(i / 10 + 1)" : ""))
                w.raw(bytes: r.pick(personIDs)); w.text("USD")
                w.fixed(caps[i] / 1_000 * Int64(r.int(900...1_150)) * 10_000); w.endRow()
            }
            return plan.portfolios
        }
        try file("programs", "id,name,portfolio,manager,sponsor,state") { [personIDs, plan] _, w, r in
            for i in 0..<plan.programs {
                w.raw(bytes: PortfolioGenerator.id("PRG-", i + 1, width: w2))
                w.text(r.pick(GeneratorText.areas) + " " + r.pick(GeneratorText.programActions))
                w.raw(bytes: PortfolioGenerator.id("PF-", min(plan.portfolios, i / max(1, plan.programs / plan.portfolios) + 1), width: w1))
                w.raw(bytes: r.pick(personIDs))
                if r.chance(5) { w.none() } else { w.raw(bytes: r.pick(personIDs)) }
                w.text(r.chance(85) ? "active" : r.pick(["proposed", "on_hold", "closed"])); w.endRow()
            }
            return plan.programs
        }
    }

    mutating func writeProjects() throws(GeneratorError) {
        let sd = PortfolioGenerator.statusDate.raw
        let w1 = PortfolioGenerator.width(plan.portfolios), w2 = PortfolioGenerator.width(plan.programs)
        try file("projects", "id,name,code,program,portfolio,manager,sponsor,state,phase,status,priority,start,finish,baseline_finish,bac,contingency,business_case,tags") {
            [projects, projectIDs, personIDs] _, w, r in
            for (i, p) in projects.enumerated() {
                let area = r.pick(GeneratorText.areas)
                w.raw(bytes: projectIDs[i]); w.text(area + " " + r.pick(GeneratorText.objects) + " " + r.pick(GeneratorText.actions))
                w.text(String(area.prefix(3)).uppercased() + "-" + String(i + 1))
                w.raw(bytes: PortfolioGenerator.id("PRG-", p.program + 1, width: w2)); w.raw(bytes: PortfolioGenerator.id("PF-", p.portfolio + 1, width: w1))
                w.raw(bytes: r.pick(personIDs))
                if r.chance(8) { w.none() } else { w.raw(bytes: r.pick(personIDs)) }
                let progress = sd < p.start ? -1 : Int((Int64(sd - p.start) * 100) / Int64(max(1, p.finish - p.start)))
                w.text(progress < 0 ? (r.chance(50) ? "approved" : "proposed") : progress >= 100 ? "closed" : r.chance(6) ? "on_hold" : "active")
                w.text(progress < 0 ? "initiation" : progress < 15 ? "planning" : progress < 90 ? "execution" : progress < 100 ? "closing" : "closed")
                w.text(PortfolioGenerator.rag(p.watermelon ? 1_000 : min(p.cpi, p.spi)))
                w.int(Int64(r.int(0...100)))
                w.date(p.start); w.date(p.finish); w.date(p.baselineFinish)
                w.fixed(p.bac * 10_000); w.fixed(p.bac / 100 * Int64(r.int(5...15)) * 10_000)
                if r.chance(7) { w.none() } else { w.text(r.chance(80) ? "approved" : r.pick(["draft", "submitted", "rejected"])) }
                let n = r.int(0...3)
                w.text((0..<n).map { k in GeneratorText.tags[(i * 3 + k * 5 + r.below(3)) % GeneratorText.tags.count] }
                    .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.joined(separator: ";"))
                w.endRow()
            }
            return projects.count
        }
    }

    static func rag(_ index: Int64) -> String { index >= 950 ? "green" : index >= 900 ? "amber" : "red" }
}

/// A file written in large chunks.
struct FileSink {
    let path: String
    let fd: Int32

    init(path: String) throws(GeneratorError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o666)
        if fd < 0 { throw FileSink.failure(path) }
    }

    static func failure(_ path: String) -> GeneratorError {
        GeneratorError(message: "cannot write '\(path)': \(String(cString: strerror(errno)))")
    }

    func put(_ bytes: [UInt8]) throws(GeneratorError) {
        var done = 0
        var failed = false
        bytes.withUnsafeBytes { raw in
            while done < raw.count {
                let n = write(fd, raw.baseAddress.map { $0 + done }, raw.count - done)
                if n < 0 { if errno == EINTR { continue }; failed = true; return }
                done += n
            }
        }
        if failed { throw FileSink.failure(path) }
    }

    func finish() throws(GeneratorError) {
        if close(fd) != 0 { throw FileSink.failure(path) }
    }
}
