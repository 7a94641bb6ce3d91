// `pmo runs`: the run ledger of a workspace, in any output format.
import ArgumentParser
import Foundation
import PMOBase
import PMOCron
import PMORender
import PMORuntime
import Workspace

/// The workspace holding the run ledger: `--workspace`, else `$PMO_WORKSPACE`, else `./portfolio.db`;
/// a missing file is exit 66.
func ledgerWorkspace(_ common: CommonOptions) throws(HostFailure) -> String {
    let path = PortfolioSource.workspacePath(option: common.workspace, environment: Terminal.environment)
    guard FileManager.default.fileExists(atPath: path) else {
        throw HostFailure(.missingInput, "no workspace '\(path)': the run ledger is kept in a workspace; "
                          + "create one with pmo init (or pass --workspace FILE)")
    }
    return path
}

/// Opens a workspace for the ledger: for writing when the file allows it (which also brings an older
/// workspace's schema up to date), else read-only.
func openLedger(_ path: String) throws(HostFailure) -> Workspace {
    let writable = FileManager.default.isWritableFile(atPath: path)
    return try workspaceCall { () throws(WorkspaceError) in try Workspace.open(path: path, readOnly: !writable) }
}

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "Show the run ledger: every run of a saved script, oldest first.",
        discussion: prose("""
        Each `pmo run`, `pmo check` and `pmo due` on a workspace is recorded: the script, the
        schedule slot it ran for, the as-of date, start (UTC), duration, status and exit code, and the
        findings that were new, persisting and resolved. A run that was killed is recorded as
        `killed` by the next run that finds it unfinished.
          pmo runs
          pmo runs --script daily-governance.pmo --since 2026-11-01 --format csv
        """)
    )

    @Option(name: .long, help: ArgumentHelp("Only runs of this script (a path, or a file name).", valueName: "script"))
    var script: String?

    @Option(name: .long, help: ArgumentHelp("Only runs started on or after this date (YYYY-MM-DD, UTC) or time.", valueName: "date"))
    var since: String?

    /// --workspace, --format, --output, --color (the other common options do not apply).
    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let s = since, CivilTime.parseISO(s) == nil {
            throw ValidationError("invalid --since '\(s)': expected a date as YYYY-MM-DD (or a time such as 2026-11-23T07:00Z)")
        }
    }

    mutating func run() throws {
        let (script, since, common) = (self.script, self.since, self.common)
        let (output, color) = (common.output, common.color)
        try exitOnFailure { () throws(HostFailure) in
            let ws = try openLedger(try ledgerWorkspace(common))
            let sinceISO = since.flatMap(CivilTime.parseISO).map { CivilTime.iso(unixSeconds: $0) }
            var rows = try workspaceCall { () throws(WorkspaceError) in try ws.runs(since: sinceISO) }
            if let s = script { rows = rows.filter { RunsCommand.matches($0.script, s) } }
            let fmt = try common.documentFormat()
            let table = RunsCommand.table(rows, shortPaths: fmt == .table)
            let toFile = output != nil
            var renderer = Renderer(format: fmt, color: !toFile && Terminal.colorEnabled(color, isTTY: Terminal.stdoutIsTTY),
                                    width: toFile ? nil : Terminal.outputWidth)
            // One table: its rows are the document.
            renderer.jsonShape = .result
            let text = renderer.document([.table(table)])
            if let output {
                try AtomicFile.write(Array(text.utf8), to: output)
            } else if !Terminal.writeOut(text) {
                throw HostFailure(.cannotWrite, "cannot write to standard output: \(Terminal.errnoText)")
            }
        }
    }

    /// A ledger script (one path, or several separated by spaces) matches a path or a file name.
    static func matches(_ recorded: String, _ wanted: String) -> Bool {
        let paths = recorded.split(separator: " ").map(String.init)
        if FileManager.default.fileExists(atPath: wanted) {
            let abs = RunLock.absolute(wanted)
            return paths.contains(abs)
        }
        return paths.contains { $0 == wanted || $0.hasSuffix("/" + wanted) }
    }

    /// The ledger as a result table.
    static func table(_ runs: [RunRecord], shortPaths: Bool) -> ResultTable {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        func short(_ s: String) -> String {
            guard shortPaths else { return s }
            return s.split(separator: " ").map { p in p.hasPrefix(cwd) ? String(p.dropFirst(cwd.count)) : String(p) }
                .joined(separator: " ")
        }
        var columns: [(String, ColumnKind)] = [
            ("id", .number), ("script", .text), ("scheduled_for", .text), ("as_of", .date), ("started", .text),
            ("seconds", .number), ("status", .text), ("exit", .number), ("new", .number), ("persisting", .number),
            ("resolved", .number),
        ]
        if !shortPaths { columns += [("host", .text), ("pid", .number)] }
        columns.append(("message", .text))
        let rows: [[Value]] = runs.map { r in
            var row: [Value] = [
                .int(r.id), .string(short(r.script)), r.scheduledFor.map { .string($0) } ?? .none,
                r.asOf.flatMap { Day(iso: Substring($0)) }.map { .date($0) } ?? .none,
                .string(r.started),
                r.durationMs.map { .real(Double($0) / 1000) } ?? .none,
                .string(r.status.rawValue), r.exitCode.map { .int(Int64($0)) } ?? .none,
                .int(Int64(r.counts.new)), .int(Int64(r.counts.persisting)), .int(Int64(r.counts.resolved)),
            ]
            if !shortPaths { row += [.string(r.host), .int(Int64(r.pid))] }
            row.append(r.message.map { .string($0) } ?? .none)
            return row
        }
        return ResultTable(columns: columns.map { ResultColumn(name: $0.0, kind: $0.1) }, rows: rows)
    }
}
