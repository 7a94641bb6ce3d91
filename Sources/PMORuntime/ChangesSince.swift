// `changes since DATE` (and `changes_since(DATE)`, the same as a table): what changed after DATE up
// to `today`, for people and the weekly pack: status transitions, milestones whose forecast moved,
// budget and date changes, new and closed (or deleted) risks and issues. Read from the journal (and,
// for a project's status, from its status reports too: a status is its latest report's overall).
import PMOBase
import PMOSyntax
import Portfolio

extension Compiler {
    static let changesColumns: [(String, VType)] = [
        ("what", .string), ("set", .string), ("entity", .string), ("name", .string), ("field", .string),
        ("from", .string), ("to", .string), ("effective", .date), ("by", .string), ("reason", .string),
    ]

    /// The kinds of change shown, in the order they are shown.
    static let changeKinds = ["status", "forecast", "budget", "dates", "new risk", "closed risk", "deleted risk",
                              "new issue", "closed issue", "deleted issue"]

    @inline(never) func historyCall(_ n: String, _ args: [Expr], _ span: Span) -> Compiled {
        n == "at" ? historyAt(args, span) : changesSince(args, span)
    }

    @inline(never) func changesSince(_ args: [Expr], _ span: Span) -> Compiled {
        guard args.count == 1 else { return errorCompiled("'changes since' takes one date, as in changes since today - 7d", span) }
        let d = compile(args[0])
        switch d.type {
        case .date, .period, .any: break
        default: return errorCompiled("'changes since' needs a date but found \(d.type)", args[0].span, help: "as in changes since today - 7d")
        }
        let ev = d.eval
        let type = VType.table(Compiler.changesColumns.map { TableColumn(name: $0.0, type: $0.1) })
        return Compiled(type, { ctx in
            let since: Day
            switch try ev(ctx) {
            case .date(let x): since = x
            case .period(let p): since = p.start.adding(days: -1) ?? p.start
            case .none: throw RuntimeError("'changes since' needs a date but it is none", at: span)
            default: throw RuntimeError("'changes since' needs a date", at: span)
            }
            return .table(try Compiler.changesTable(ctx, since: since))
        })
    }

    /// The changes effective after `since` and on or before the as-of date, kind by kind, each kind
    /// in the order they took effect.
    static func changesTable(_ ctx: Ctx, since: Day) throws -> ResultTable {
        let store = ctx.store, today = ctx.asOf
        var rows: [(kind: Int, effective: Day, seq: Int64, row: [Value])] = []
        func name(_ k: EntityKind, _ entity: String) -> Value {
            guard let r = store.idIndex(k)[entity], let n = store.table(k).column("name") ?? store.table(k).column("title"),
                  let s = n.string(Int(r)) else { return .none }
            return .string(s)
        }
        func add(_ what: String, _ e: JournalEntry, field: String? = nil, from: String?, to: String?) {
            guard let kind = changeKinds.firstIndex(of: what), let k = EntityKind(setName: e.set) else { return }
            rows.append((kind, e.effective, e.seq, [.string(what), .string(e.set), .string(e.entity), name(k, e.entity),
                                                    .string(field ?? e.field), from.map(Value.string) ?? .none,
                                                    to.map(Value.string) ?? .none, .date(e.effective), .string(e.by), .string(e.reason)]))
        }
        let entries = try ctx.journalIndex()?.entries ?? []
        for e in entries where e.effective > since && e.effective <= today {
            switch (e.set, e.field) {
            case ("projects", "status"): add("status", e, from: e.old, to: e.new)
            case ("milestones", "forecast"): add("forecast", e, from: e.old, to: e.new)
            case ("projects", "bac"), ("projects", "contingency"): add("budget", e, from: e.old, to: e.new)
            case ("projects", "start"), ("projects", "finish"), ("projects", "baseline_finish"),
                 ("milestones", "due"), ("milestones", "baseline_due"): add("dates", e, from: e.old, to: e.new)
            case ("risks", JournalEntry.rowField), ("issues", JournalEntry.rowField):
                let one = e.set == "risks" ? "risk" : "issue"
                if e.old == nil { add("new \(one)", e, field: "", from: nil, to: nil) }
                else if e.new == nil { add("deleted \(one)", e, field: "", from: nil, to: nil) }
            case ("risks", "state"), ("issues", "state"):
                if e.new == "closed" { add("closed \(e.set == "risks" ? "risk" : "issue")", e, from: e.old, to: e.new) }
            default: break
            }
        }
        // A project's status is its latest status report's overall: a report dated after `since` that
        // changed it is a transition too.
        let projects = store.table(.project)
        let ids = projects.column("id")
        let names = projects.column("name")
        let reportDates = store.table(.statusReport).column("as_of")
        for p in 0..<projects.count {
            guard let rep = store.latestStatusReport(project: Int32(p), asOf: today), let dates = reportDates,
                  Day(raw: dates.codes[Int(rep)]) > since else { continue }
            let before = store.projectStatus(project: Int32(p), asOf: since), after = store.projectStatus(project: Int32(p), asOf: today)
            guard before != after else { continue }
            func rag(_ v: UInt8?) -> Value { v.map { Int($0) < EnumType.rag.cases.count ? .string(EnumType.rag.cases[Int($0)]) : .none } ?? .none }
            let day = Day(raw: dates.codes[Int(rep)])
            rows.append((0, day, -1, [.string("status"), .string("projects"), ids?.string(p).map(Value.string) ?? .none,
                                      names?.string(p).map(Value.string) ?? .none, .string("status"), rag(before), rag(after),
                                      .date(day), .none, .string("status report of \(day)")]))
        }
        rows.sort { ($0.kind, $0.effective, $0.seq) < ($1.kind, $1.effective, $1.seq) }
        return ResultTable(columns: changesColumns.map { ResultColumn(name: $0.0, kind: $0.1.columnKind) }, rows: rows.map(\.row))
    }
}
