// `pmo journal`: the workspace's change journal, oldest first, in any output format.
import ArgumentParser
import PMOBase
import PMORuntime
import Portfolio
import Workspace

struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Show the change journal: every change to every field, who made it, when and why.",
        usage: """
        pmo journal [--since DATE] [--set SET] [--by WHO] [--workspace FILE]
                    [--format FORMAT] [--output FILE]
        """,
        discussion: prose("""
        One row per changed field (a row inserted or deleted is one row whose field is *), in the
        order they were recorded; `effective` is the date the change takes effect (`effective DATE`
        in the language, `pmo import --effective DATE`).
          pmo journal --since 2026-12-01
          pmo journal --set projects --by dana.kim --format csv
        """)
    )

    @Option(name: .long, help: ArgumentHelp("Only changes effective on or after this date (YYYY-MM-DD).", valueName: "date"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Only changes to this entity set.", valueName: "set"))
    var set: String?

    @Option(name: .long, help: ArgumentHelp("Only changes made by this user.", valueName: "who"))
    var by: String?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let s = since, Day(iso: Substring(s)) == nil {
            throw ValidationError("invalid --since date '\(s)': expected a calendar date as YYYY-MM-DD")
        }
        if let s = set, EntityKind(setName: s) == nil {
            throw ValidationError("unknown entity set '\(s)'" + NameHint.hint(s, EntityKind.allCases.map(\.setName)))
        }
        if common.data != nil { throw ValidationError("--data folders have no journal: the journal is kept in a workspace") }
    }

    mutating func run() throws {
        let filter = JournalFilter(since: since.flatMap { Day(iso: Substring($0)) }, set: set, by: by)
        try Host.perform(common) { host throws(HostFailure) in
            guard host.source.isWorkspace else {
                throw HostFailure(.missingInput, "no workspace: the journal is kept in a workspace (pmo init, pmo import, or --workspace FILE)")
            }
            let entries = try workspaceCall { () throws(WorkspaceError) in
                try Workspace.open(path: host.source.directory, readOnly: true).journal(filter)
            }
            host.handle(.table(JournalCommand.table(entries)))
        }
    }

    static func table(_ entries: [JournalEntry]) -> ResultTable {
        let names: [(String, ColumnKind)] = [("batch", .number), ("set", .text), ("entity", .text), ("field", .text), ("old", .text),
                                             ("new", .text), ("effective", .date), ("recorded", .text), ("by", .text),
                                             ("source", .text), ("reason", .text)]
        let rows: [[Value]] = entries.map { e in
            [.int(e.batch), .string(e.set), .string(e.entity), .string(e.field), e.old.map(Value.string) ?? .none,
             e.new.map(Value.string) ?? .none, .date(e.effective), .string(e.recorded), .string(e.by), .string(e.source), .string(e.reason)]
        }
        return ResultTable(columns: names.map { ResultColumn(name: $0.0, kind: $0.1) }, rows: rows)
    }
}
