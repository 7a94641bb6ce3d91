// Warm in-process timings: loads a portfolio once, then checks and runs each query several times.
// Usage: pmo-bench DATA_DIR QUERY_DIR [--repeat N] [--as-of YYYY-MM-DD] [--rules DIR]
import Foundation
import PMOBase
import PMORender
import PMORuntime
import PMOSyntax
import Portfolio

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func residentMB() -> Double {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in s.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kb / 1024
    }
    return 0
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
}

var args = Array(CommandLine.arguments.dropFirst())
var repeatCount = 5
var asOfText: String?
if let i = args.firstIndex(of: "--repeat"), i + 1 < args.count { repeatCount = Int(args[i + 1]) ?? 5; args.removeSubrange(i...(i + 1)) }
if let i = args.firstIndex(of: "--as-of"), i + 1 < args.count { asOfText = args[i + 1]; args.removeSubrange(i...(i + 1)) }
var rulesDir: String?
if let i = args.firstIndex(of: "--rules"), i + 1 < args.count { rulesDir = args[i + 1]; args.removeSubrange(i...(i + 1)) }
guard args.count == 2 else {
    FileHandle.standardError.write(Data("usage: pmo-bench DATA_DIR QUERY_DIR [--repeat N] [--as-of DATE] [--rules DIR]\n".utf8))
    exit(64)
}
let (dataDir, queryDir) = (args[0], args[1])

let rss0 = residentMB()
let t0 = now()
let store: PortfolioStore
do { store = try PortfolioLoader.load(directory: dataDir) } catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(65)
}
let loadTime = now() - t0
let rss1 = residentMB()
let asOf = asOfText.flatMap { Day(iso: Substring($0)) } ?? store.statusDate ?? Day(year: 2026, month: 11, day: 20) ?? Day(raw: 0)
let rows = EntityKind.allCases.map { store.table($0).count }.reduce(0, +)
print("load \(dataDir): \(rows) rows in \(String(format: "%.3f", loadTime)) s; resident \(String(format: "%.0f", rss1)) MB (\(String(format: "%.0f", rss1 - rss0)) MB for the data)")

/// Compiles and runs `text` `repeatCount` times in fresh sessions; prints the median under `label`
/// with `summarize`'s account of the last run's outputs.
@MainActor func timeScript(_ label: String, _ text: String, summarize: ([Output], Session) -> String) {
    var times: [Double] = []
    var summary = ""
    for _ in 0..<repeatCount {
        let sources = SourceMap()
        let session = Session(store: store, sources: sources, options: EngineOptions(asOf: asOf), readFile: { _ in nil })
        let start = now()
        let (compiled, diags) = session.compile(sources.add(name: label, text: text))
        guard let compiled else {
            print("\(label): \(DiagnosticRenderer(sources: sources).render(diags))")
            return
        }
        var outputs: [Output] = []
        do { try session.run(compiled) { outputs.append($0) } } catch {
            print("\(label): runtime error: \(error.message)")
            return
        }
        times.append(now() - start)
        summary = summarize(outputs, session)
    }
    if !times.isEmpty {
        print("\(label): median \(String(format: "%.2f", median(times) * 1000)) ms (min \(String(format: "%.2f", (times.min() ?? 0) * 1000)) ms, \(times.count) runs) -> \(summary)")
    }
}

let names = ((try? FileManager.default.contentsOfDirectory(atPath: queryDir)) ?? []).filter { $0.hasSuffix(".pmo") }.sorted()
for name in names {
    guard let text = try? String(contentsOfFile: queryDir + "/" + name, encoding: .utf8) else { continue }
    timeScript(name, text) { outputs, _ in
        outputs.map { o -> String in
            switch o {
            case .table(let t): return "\(t.rows.count) rows"
            case .scalar(let v): return Display.text(v, store: nil)
            case .text(let s): return s
            default: return ""
            }
        }.joined(separator: "; ")
    }
}

// History: a synthetic journal of 26 weekly imports (1% of projects change status and budget, 1% of
// milestones move their forecast, each week), then `as of` 6 months back (statement, stage and a
// second phrasing) and `was`/`changed` queries, each against the same query on the current state.
final class SyntheticHistory: HistorySource {
    let index: JournalIndex
    let latest: Day?
    init(_ entries: [JournalEntry]) {
        index = JournalIndex(entries)
        latest = entries.map(\.effective).max()
    }
    func latestEffective() throws -> Day? { latest }
    func journal() throws -> JournalIndex { index }
}

func syntheticJournal(_ store: PortfolioStore, asOf: Day) -> [JournalEntry] {
    var out: [JournalEntry] = []
    var seq: Int64 = 1
    var x: UInt64 = 7
    func next() -> UInt64 { x = x &* 6364136223846793005 &+ 1442695040888963407; return x >> 33 }
    let projects = store.table(.project), milestones = store.table(.milestone)
    guard let pid = projects.column("id"), let mid = milestones.column("id"), let bac = projects.column("bac"),
          let status = projects.column("status"), let forecast = milestones.column("forecast") else { return [] }
    var statusNow: [Int: String] = [:], bacNow: [Int: Int64] = [:], forecastNow: [Int: Day] = [:]
    let rag = ["green", "amber", "red"]
    // Latest week first: each entry's `new` is the value after it, its `old` the value before.
    for w in stride(from: 25, through: 0, by: -1) {
        guard let day = asOf.adding(days: -7 * (25 - w)) else { continue }
        for _ in 0..<max(1, projects.count / 100) {
            let p = Int(next() % UInt64(projects.count))
            let s = statusNow[p] ?? (status.isNone(p) ? "green" : rag[Int(status.smalls[p]) % 3])
            let older = rag[(rag.firstIndex(of: s)! + 1 + Int(next() % 2)) % 3]
            out.append(JournalEntry(seq: seq, batch: Int64(w + 2), set: "projects", entity: pid.string(p) ?? "", field: "status",
                                    old: older, new: s, effective: day, recorded: "", by: "bench", source: "import", reason: "import"))
            statusNow[p] = older; seq += 1
            let b = bacNow[p] ?? (bac.isNone(p) ? 0 : bac.ints[p])
            let bOld = b - 10_000_0000
            out.append(JournalEntry(seq: seq, batch: Int64(w + 2), set: "projects", entity: pid.string(p) ?? "", field: "bac",
                                    old: CellValue.int(bOld).text(.money), new: CellValue.int(b).text(.money),
                                    effective: day, recorded: "", by: "bench", source: "import", reason: "import"))
            bacNow[p] = bOld; seq += 1
        }
        for _ in 0..<max(1, milestones.count / 100) {
            let m = Int(next() % UInt64(milestones.count))
            guard let f = forecastNow[m] ?? (forecast.isNone(m) ? nil : Day(raw: forecast.codes[m])), let fOld = f.adding(days: -7) else { continue }
            out.append(JournalEntry(seq: seq, batch: Int64(w + 2), set: "milestones", entity: mid.string(m) ?? "", field: "forecast",
                                    old: fOld.description, new: f.description, effective: day, recorded: "", by: "bench",
                                    source: "import", reason: "import"))
            forecastNow[m] = fOld; seq += 1
        }
    }
    return out
}

do {
    let entries = syntheticJournal(store, asOf: asOf)
    let history = SyntheticHistory(entries)
    let back = asOf.adding(days: -182) ?? asOf
    print("history: \(entries.count) journal entries over 26 weeks; as of \(back)")
    let queries: [(String, String)] = [
        ("current: red projects", "projects where status = red | select id, bac"),
        ("as of (statement): red projects", "as of \(back)\nprojects where status = red | select id, bac"),
        ("as of (stage): red projects", "projects | as of \(back) | where status = red | select id, bac"),
        ("as of (stage last): red projects", "projects where status = red as of \(back) | select id, bac"),
        ("current: milestone forecasts", "milestones where forecast > due | select id, forecast"),
        ("as of (statement): milestone forecasts", "as of \(back)\nmilestones where forecast > due | select id, forecast"),
        ("was: red during the half year", "projects where status was red after \(back) | select id"),
        ("changed: status since 6 months", "projects where status changed after \(back) | select id"),
        ("changed + at: forecasts moved in 2 weeks", "milestones where forecast changed after today - 2w and forecast > at(forecast, today - 2w) | select id"),
        ("changes since 2 weeks", "changes since today - 2w"),
    ]
    for (label, text) in queries {
        var times: [Double] = []
        var summary = ""
        for _ in 0..<repeatCount {
            let sources = SourceMap()
            let session = Session(store: store, sources: sources, options: EngineOptions(asOf: asOf), readFile: { _ in nil })
            session.history = history
            let start = now()
            let (compiled, diags) = session.compile(sources.add(name: label, text: text))
            guard let compiled else { print("\(label): \(DiagnosticRenderer(sources: sources).render(diags))"); break }
            var outputs: [Output] = []
            do { try session.run(compiled) { outputs.append($0) } } catch { print("\(label): runtime error: \(error.message)"); break }
            times.append(now() - start)
            summary = outputs.map { if case .table(let t) = $0 { return "\(t.rows.count) rows" } else { return "" } }.joined(separator: " ")
        }
        if !times.isEmpty {
            print("history \(label): median \(String(format: "%.2f", median(times) * 1000)) ms (min \(String(format: "%.2f", (times.min() ?? 0) * 1000)) ms, \(times.count) runs) -> \(summary)")
        }
    }
}

// The rule library: every rule of examples/rules (the tests' files left out) checked at once.
if let rulesDir {
    let files = ((try? FileManager.default.contentsOfDirectory(atPath: rulesDir)) ?? [])
        .filter { $0.hasSuffix(".pmo") && !$0.hasSuffix("_test.pmo") }.sorted()
    let text = files.compactMap { try? String(contentsOfFile: rulesDir + "/" + $0, encoding: .utf8) }.joined(separator: "\n") + "\ncheck\n"
    timeScript("rule library (\(files.count) files)", text) { outputs, session in
        var findings: [Finding] = []
        for case .findings(let f) in outputs { findings += f }
        return "\(session.rules.count) rules, \(findings.count) outcomes, \(findings.filter(\.needsAction).count) to act on"
    }
}

// Lexer and parser throughput on a large script made of the benchmark queries repeated.
let corpus = names.compactMap { try? String(contentsOfFile: queryDir + "/" + $0, encoding: .utf8) }.joined(separator: "\n")
if !corpus.isEmpty {
    var big = ""
    while big.utf8.count < 8_000_000 { big += corpus + "\n" }
    let sources = SourceMap()
    let file = sources.add(name: "big.pmo", text: big)
    let l0 = now()
    let tokens = Lexer.tokenize(file)
    let lexTime = now() - l0
    let p0 = now()
    let (script, diags) = Parser.parse(file)
    let parseTime = now() - p0
    let mb = Double(big.utf8.count) / 1e6
    print("lexer: \(tokens.count) tokens, \(String(format: "%.1f", mb / lexTime)) MB/s; parser (lex + parse): \(script.statements.count) statements, \(String(format: "%.1f", mb / parseTime)) MB/s, \(diags.count) errors")
}

// The critical path method for every project (a fresh computation each run, not the store's cache),
// and downstream of a hub project over 5,000 project links (a synthetic graph over the projects).
do {
    var times: [Double] = []
    var scheduled = 0, tasks = 0, links = 0
    for _ in 0..<repeatCount {
        let start = now()
        let s = ProjectSchedules.compute(store, asOf: asOf)
        times.append(now() - start)
        scheduled = s.finish.compactMap { $0 }.count
        tasks = s.tasks.compactMap { $0 }.count
    }
    links = store.table(.dependency).count
    print("cpm (every project): median \(String(format: "%.2f", median(times) * 1000)) ms (min \(String(format: "%.2f", (times.min() ?? 0) * 1000)) ms, \(times.count) runs) -> \(scheduled) projects, \(tasks) tasks scheduled, \(links) dependency rows")
    let n = max(2, store.table(.project).count)
    var from: [Int32] = [], to: [Int32] = []
    var x: UInt64 = 42
    for i in 0..<5_000 { // node i+1 waits on an earlier node: a tree hanging from node 0 (the hub), plus cross links
        x = x &* 6364136223846793005 &+ 1442695040888963407
        let child = Int32(1 + i % (n - 1)), parent = Int32(Int(x >> 33) % max(1, Int(child)))
        from.append(parent); to.append(child)
    }
    let g = DependencyGraph(count: n, from: from, to: to)
    var hubTimes: [Double] = []
    var reached = 0
    for _ in 0..<repeatCount {
        let start = now()
        reached = g.reach(from: 0, forward: true).count
        hubTimes.append(now() - start)
    }
    print("downstream of a hub (5000 links): median \(String(format: "%.3f", median(hubTimes) * 1000)) ms -> \(reached) projects reached")
}
