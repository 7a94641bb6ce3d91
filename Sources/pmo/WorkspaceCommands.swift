// `pmo init`, `pmo import` and `pmo export`: creating a workspace, loading files into it, and
// writing an entity set back out.
import ArgumentParser
import Foundation
import PMOBase
import Portfolio
import Workspace

extension ExitCode {
    /// 75 (EX_TEMPFAIL): another process holds the workspace's lock.
    static let locked = ExitCode(75)
}

/// The root command reads `--workspace`, `--data`, `--format` and `--quiet` wherever they appear on
/// the command line, so the commands below take them from the same option group (hidden from their
/// help, which names the ones that apply in its usage line).

/// Reports a failure on standard error and exits with its status.
func exitOnFailure(_ body: () throws(HostFailure) -> Void) throws(ExitCode) {
    do { try body() } catch {
        if let text = error.text { Terminal.writeErr(text.hasSuffix("\n") ? text : text + "\n") }
        throw error.code
    }
}

/// Runs a workspace operation, turning its failure into the host's.
func workspaceCall<T>(_ body: () throws(WorkspaceError) -> T) throws(HostFailure) -> T {
    do { return try body() } catch { throw HostFailure(error) }
}

/// `3 portfolios, 9 programs, 37 projects, ...` (sets with rows only).
func describeCounts(_ counts: [EntityKind: Int]) -> String {
    let parts = EntityKind.allCases.compactMap { k -> String? in
        guard let n = counts[k], n > 0 else { return nil }
        return "\(n) \(k.setName)"
    }
    return parts.isEmpty ? "empty" : parts.joined(separator: ", ")
}

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a workspace (an SQLite file), empty or with the demo portfolio.",
        usage: "pmo init [PATH] [--demo] [--quiet]",
        discussion: prose("""
        The file is PATH, else $PMO_WORKSPACE, else ./portfolio.db. An existing file is never
        overwritten. Queries then use the workspace found the same way (or --workspace FILE).
          pmo init --demo
          pmo init plans/2027.db
        """)
    )

    @Argument(help: ArgumentHelp("The workspace file to create.", valueName: "path"))
    var path: String?

    @Flag(name: .long, help: "Fill the new workspace with the bundled demo portfolio.")
    var demo = false

    @OptionGroup(title: "Common options (--workspace and --quiet apply here)") var common: CommonOptions

    mutating func run() throws {
        let env = Terminal.environment
        let target = path ?? PortfolioSource.workspacePath(option: common.workspace, environment: env)
        let demo = self.demo, quiet = common.quiet
        try exitOnFailure { () throws(HostFailure) in
            if target.isEmpty { throw HostFailure(.badCommandLine, "the workspace path is empty") }
            var demoDir: String?
            if demo {
                guard let d = PortfolioSource.demoDirectory(environment: env) else {
                    throw HostFailure(.missingInput, "the bundled demo portfolio (examples/demo) was not found")
                }
                demoDir = d
            }
            let counts = try workspaceCall { () throws(WorkspaceError) in
                try Workspace.initialize(path: target, importing: demoDir.map { ImportRequest(paths: [$0]) })
            }
            if !quiet {
                let what = demo ? "with the demo portfolio (\(describeCounts(counts)))" : "empty"
                Terminal.writeErr("pmo: created workspace '\(target)', \(what)\n")
            }
        }
    }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load CSV, JSON or Microsoft Project XML files into the workspace, all or nothing.",
        usage: """
        pmo import FILE|DIR... [--as SET] [--map FILE] [--delimiter C]
                   [--date-format F] [--decimal-comma] [--project ID]
                   [--encoding NAME] [--dry-run] [--workspace FILE] [--quiet]
        """,
        discussion: prose("""
        CSV: one file per entity set, named after it (projects.csv) or given --as SET; a directory
        imports its <set>.csv files and settings.csv. JSON: an object of arrays keyed by set name
        ({"projects": [...], "milestones": [...]}), or one array of rows with --as SET. Microsoft
        Project XML (MSPDI, .xml): tasks, milestones, dependencies, resources and assignments of the
        project given by --project ID. Rows are keyed by id (sets without ids by their natural key),
        so importing the same file twice changes nothing; a column the file does not have keeps its
        value (a file with only id,bac updates budgets). Timesheets and allocations may have several
        lines per key (a line per task: the optional task column); a file is authoritative for each
        resource, project and week (allocations: resource, project, start, finish) it contains. The
        summary counts rows new, changed, unchanged and removed. Files are UTF-8 (a byte-order mark,
        UTF-8 or UTF-16, is recognised); other bytes are an error unless --encoding names the
        encoding. CSV dialects: the separator is detected from the header (, ; or tab) unless
        --delimiter says; --date-format DD/MM/YYYY (or DD/MMM/YY h:mm a...) reads dates, and
        --decimal-comma numbers written 1.234,56. The --map file renames columns (Issue key -> id),
        ignores columns (ignore: Reporter, Labels; ignore: * for every column that is not a
        field), maps values (severity: Highest=critical, High=high), reads people by e-mail or name
        (people: owner) and may set the dialect (date-format: ...); a CSV with the header from,to
        still renames. Every problem of the file set (up to 100) is reported as file:line:col
        (exit 65) and the workspace is left exactly as it was; --dry-run checks everything and
        says what would change, writing nothing.
          pmo import exports/                       # projects.csv, milestones.csv, ...
          pmo import jira.csv --as issues --map examples/maps/jira-issues.map
          pmo import issues.csv --date-format DD/MM/YYYY --decimal-comma --dry-run
          pmo import plan.xml --project PRJ-0042
        """)
    )

    @Argument(help: ArgumentHelp("Files or directories to import.", valueName: "file"))
    var files: [String] = []

    @Option(name: .customLong("as"), help: ArgumentHelp("The entity set a single CSV file or JSON array holds.", valueName: "set"))
    var asSet: String?

    @Option(name: .long, help: ArgumentHelp("A map file: renames (Issue key -> id), ignore:, value maps (severity: Highest=critical), people:, dialect lines; or a CSV from,to.", valueName: "file"))
    var map: String?

    @Option(name: .long, help: ArgumentHelp("The character between CSV cells: , ; | or tab (default: detected from the header).", valueName: "c"))
    var delimiter: String?

    @Option(name: .long, help: ArgumentHelp("How CSV dates are written: DD/MM/YYYY, MM/DD/YYYY, DD/MMM/YY h:mm a... (ISO dates are always read).",
                                            valueName: "format"))
    var dateFormat: String?

    @Flag(name: .long, help: "CSV numbers are written with a decimal comma and points between thousands (1.234,56).")
    var decimalComma = false

    @Flag(name: .long, help: "Read and check everything, report every problem and what would change, and write nothing.")
    var dryRun = false

    @Option(name: .long, help: ArgumentHelp("The project a Microsoft Project file's tasks belong to.", valueName: "id"))
    var project: String?

    @Option(name: .long, help: ArgumentHelp(
        "The date the import's differences take effect in the journal (YYYY-MM-DD; default: --as-of, else the status date, else today, UTC).",
        valueName: "date"))
    var effective: String?


    @OptionGroup(title: "Common options (--workspace and --quiet apply here)") var common: CommonOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("missing the files to import, as in: pmo import projects.csv") }
        if let e = effective, Day(iso: Substring(e)) == nil {
            throw ValidationError("invalid --effective date '\(e)': expected a calendar date as YYYY-MM-DD")
        }
        if let s = asSet, EntityKind(setName: s) == nil {
            throw ValidationError("unknown entity set '\(s)'" + NameHint.hint(s, EntityKind.allCases.map(\.setName)))
        }
        if let d = delimiter, CSVDialect.separator(named: d) == nil {
            throw ValidationError("invalid --delimiter '\(d)': expected one character such as ; or |, or tab")
        }
        if let f = dateFormat, case .failure(let e) = DateFormat.parse(f) { throw ValidationError("invalid --date-format: " + e.message) }
    }

    /// The dialect the options give.
    var dialect: CSVDialect {
        var format: DateFormat?
        if let f = dateFormat, case .success(let d) = DateFormat.parse(f) { format = d }
        return CSVDialect(separator: delimiter.flatMap(CSVDialect.separator(named:)), dateFormat: format, decimalComma: decimalComma)
    }

    mutating func run() throws {
        let path = PortfolioSource.workspacePath(option: common.workspace, environment: Terminal.environment)
        let request = (files, asSet.flatMap { EntityKind(setName: $0) }, map, project, common.inputEncoding)
        let dialect = self.dialect, dryRun = self.dryRun
        let quiet = common.quiet
        let day = effective.flatMap { Day(iso: Substring($0)) } ?? common.asOfDay
        let how = ImportJournalling(effective: day, stamp: .now(by: WorkspaceChanges.user(common.user, Terminal.environment)))
        try exitOnFailure { () throws(HostFailure) in
            let summary = try workspaceCall { () throws(WorkspaceError) in
                let columns = try request.2.map { m throws(WorkspaceError) in try ColumnMap.load(path: m) } ?? ColumnMap()
                let ws = try Workspace.open(path: path, readOnly: false, journalDay: day ?? Terminal.todayUTC)
                return try ws.importFiles(ImportRequest(paths: request.0, asSet: request.1, map: columns, project: request.3,
                                                        encoding: request.4, dialect: dialect, dryRun: dryRun),
                                          journalling: how)
            }
            if dryRun {
                // What would change is the command's answer: on standard output, even with --quiet.
                _ = Terminal.writeOut("dry run, nothing written to '\(path)': the import would give \(summary.description)\n")
            } else if !quiet { Terminal.writeErr("pmo: imported into '\(path)': \(summary.description)\n") }
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write one entity set to a CSV or JSON file (in the import format), or the whole workspace to a directory.",
        usage: """
        pmo export SET --to FILE [--format csv|json]
                   [--workspace FILE | --data DIR] [--quiet]
        pmo export --all --to DIR [--workspace FILE | --data DIR] [--quiet]
        """,
        discussion: prose("""
        The format follows the file's extension (.csv or .json) unless --format is given; the file
        is written atomically. The portfolio is found as for queries (--workspace, --data, ...).
        --all writes DIR/<set>.csv for every set (a header alone for an empty one), settings.csv
        (currency, fiscal year, status date, thresholds, critical float) and waivers.csv (the waivers
        pmo waive stored): pmo init + pmo import DIR gives a workspace that answers the same. The
        journal (history, as of before the import) is not part of it.
          pmo export projects --to projects.csv
          pmo export risks --to risks.json
          pmo export --all --to backup/
        """)
    )

    @Argument(help: ArgumentHelp("The entity set: projects, milestones, timesheets...", valueName: "set"))
    var set: String?

    @Flag(name: .long, help: "Export every set, the settings and the waivers into the directory --to names.")
    var all = false

    @Option(name: .long, help: ArgumentHelp("The file to write (with --all: the directory).", valueName: "file"))
    var to: String

    @OptionGroup(title: "Common options (--workspace, --data, --format csv|json and --quiet apply here)") var common: CommonOptions

    /// `--format`, which queries also take: only csv and json apply here.
    var chosenFormat: ExportFormat? { common.format.flatMap { ExportFormat(rawValue: $0.rawValue) } }

    func validate() throws {
        if all {
            if let s = set { throw ValidationError("--all exports every set: name no set (found '\(s)')") }
            if let f = common.format, f.rawValue != "csv" { throw ValidationError("export --all writes csv files, not \(f.rawValue)") }
            return
        }
        guard let set else { throw ValidationError("missing the entity set to export, as in: pmo export projects --to projects.csv (or --all --to DIR)") }
        if EntityKind(setName: set) == nil {
            throw ValidationError("unknown entity set '\(set)'" + NameHint.hint(set, EntityKind.allCases.map(\.setName)))
        }
        if let f = common.format, chosenFormat == nil { throw ValidationError("export writes csv or json, not \(f.rawValue)") }
        if common.format == nil && ExportFormat(path: to) == nil {
            throw ValidationError("cannot tell the format of '\(to)': name a .csv or .json file, or pass --format")
        }
    }

    mutating func run() throws {
        if all { return try runAll() }
        guard let kind = set.flatMap(EntityKind.init(setName:)) else { throw ExitCode.badCommandLine }
        let target = to, chosen = chosenFormat, quiet = common.quiet
        let workspace = common.workspace, data = common.data
        try exitOnFailure { () throws(HostFailure) in
            let source = try PortfolioSource.locate(data: data, workspace: workspace, environment: Terminal.environment)
            let rows: Int
            try OutputGuard.check(target)
            if source.isWorkspace {
                rows = try workspaceCall { () throws(WorkspaceError) in
                    try Workspace.open(path: source.directory, readOnly: true).export(set: kind, to: target, format: chosen)
                }
            } else {
                let store = try source.load()
                guard let f = chosen ?? ExportFormat(path: target) else { throw HostFailure(.badCommandLine, "unknown export format") }
                try AtomicFile.write(EntityExport.bytes(store, kind, f), to: target)
                rows = store.table(kind).count
            }
            if !quiet { Terminal.writeErr("pmo: wrote \(rows) \(kind.setName) to '\(target)'\n") }
        }
    }

    /// `--all`: every set, the settings and the waivers, as files in a directory.
    func runAll() throws {
        let target = to, quiet = common.quiet
        let workspace = common.workspace, data = common.data
        try exitOnFailure { () throws(HostFailure) in
            let source = try PortfolioSource.locate(data: data, workspace: workspace, environment: Terminal.environment)
            for name in WholeExport.fileNames() { try OutputGuard.check(target.hasSuffix("/") ? target + name : target + "/" + name) }
            let summary: ExportAllSummary
            if source.isWorkspace {
                summary = try workspaceCall { () throws(WorkspaceError) in
                    try Workspace.open(path: source.directory, readOnly: true).exportAll(to: target)
                }
            } else {
                let store = try source.load()
                summary = try workspaceCall { () throws(WorkspaceError) in
                    try WholeExport.write(store, directory: source.directory, to: target)
                }
            }
            if !quiet { Terminal.writeErr("pmo: wrote \(summary.description) to '\(target)' (\(summary.files) files)\n") }
        }
    }
}
