// Applying the language's changes to the workspace: the session's `ChangeHost`. Each change opens the
// workspace for writing, applies the plan in one transaction with its journal entries, and loads the
// portfolio again (the data generation has stepped, so no column cache describing the old data is
// used). At a terminal a change of more than one row is listed and needs a yes.
import Foundation
import PMOBase
import PMORuntime
import Portfolio
import Workspace

final class WorkspaceChanges: ChangeHost {
    let path: String
    let by: String
    let policy: ColumnCachePolicy
    /// Whether to list a change of several rows and ask (standard input and error are a terminal).
    let asks: Bool

    init(path: String, by: String, policy: ColumnCachePolicy, asks: Bool) {
        self.path = path; self.by = by; self.policy = policy; self.asks = asks
    }

    func confirm(_ plan: ChangePlan) -> Bool {
        guard asks else { return true }
        Terminal.writeErr(WorkspaceChanges.listing(plan) + "Apply this change (\(plan.summary))? [y/N] ")
        guard let line = readLine() else { return false }
        return ["y", "yes"].contains(line.trimmingCharacters(in: .whitespaces).lowercased())
    }

    func apply(_ plan: ChangePlan) throws -> (batch: Int64, store: PortfolioStore) {
        let ws = try Workspace.open(path: path, readOnly: false)
        let batch = try ws.apply(plan, stamp: .now(by: by))
        let store = try ws.loadStore(cache: policy)
        try ws.close()
        return (batch, store)
    }

    func undo(batch: Int64, source: String) throws -> (summary: String, store: PortfolioStore) {
        let ws = try Workspace.open(path: path, readOnly: false)
        let result = try ws.undo(batch: batch, stamp: .now(by: by), source: source)
        let store = try ws.loadStore(cache: policy)
        try ws.close()
        return ("\(result.summary) (change \(result.batch))", store)
    }

    /// The rows of a plan, one line each (at most 20), with the fields that change.
    static func listing(_ plan: ChangePlan) -> String {
        let schema = Catalog.schemas[plan.kind.rawValue]
        func text(_ field: String, _ v: CellValue) -> String {
            guard let i = schema.fieldIndex(field) else { return "?" }
            return v.text(schema.fields[i].type) ?? "none"
        }
        var out = ""
        for row in plan.rows.prefix(20) {
            let what: String
            switch plan.action {
            case .update: what = row.changes.map { "\($0.field): \(text($0.field, $0.old)) -> \(text($0.field, $0.new))" }.joined(separator: ", ")
            case .insert: what = "new"
            case .delete: what = "deleted"
            }
            out += "  \(plan.kind.singular) \(row.entity): \(what)\n"
        }
        if plan.rows.count > 20 { out += "  ... and \(plan.rows.count - 20) more\n" }
        return out
    }

    /// Who changes: `--user`, else `$PMO_USER`, else the operating system's user.
    static func user(_ option: String?, _ env: [String: String]) -> String {
        if let option, !option.isEmpty { return option }
        if let u = env["PMO_USER"], !u.isEmpty { return u }
        if let u = env["USER"], !u.isEmpty { return u }
        if let u = env["LOGNAME"], !u.isEmpty { return u }
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "unknown"
    }
}

/// The workspace's journal for `as of` (read only when a day before its latest entry is asked for).
final class WorkspaceHistory: HistorySource {
    let path: String
    init(path: String) { self.path = path }

    func latestEffective() throws -> Day? {
        try Workspace.open(path: path, readOnly: true).latestEffective()
    }

    func journal() throws -> JournalIndex {
        let ws = try Workspace.open(path: path, readOnly: true)
        return JournalIndex(try ws.journal(), start: try ws.journalStart())
    }
}
