// `pmo repl` (and `pmo` with no arguments): the interactive prompt on a terminal; otherwise
// standard input is read as a script.
import ArgumentParser
import PMORender
import PMORepl
import PMORuntime
import PMOSyntax

struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Open the interactive prompt (what `pmo` alone does on a terminal).",
        discussion: prose("""
        A `pmo>` prompt with line editing, history (Up, Ctrl-R), Tab completion and `.help`.

        History is kept in $PMO_HISTFILE, else $XDG_STATE_HOME/pmo/history, else ~/.local/state/pmo/history; PMO_HISTORY= (empty) keeps none. Results taller than the screen go through $PAGER, else less (PAGER= turns paging off).

        When standard input or output is not a terminal, or --output is given, standard input is run as a script instead.
        """)
    )

    @OptionGroup var common: CommonOptions

    mutating func run() throws {
        try ReplCommand.start(common)
    }

    /// The prompt when standard input and output are terminals (and no --output file is named);
    /// otherwise standard input is a script, with the script exit statuses.
    static func start(_ common: CommonOptions) throws(ExitCode) {
        guard Terminal.stdinIsTTY, Terminal.stdoutIsTTY, common.output == nil else {
            try runStandardInput(common)
            return
        }
        let host: Host
        do {
            host = try Host(common)
            host.session.changeSource = "prompt"
        } catch {
            if let text = error.text { Terminal.writeErr(text.hasSuffix("\n") ? text : text + "\n") }
            throw error.code
        }
        let env = Terminal.environment
        guard let history = HistoryStore(path: HistoryLocation.path(environment: env)),
              let reader = EditLineReader(history: history) else {
            Terminal.writeErr("pmo: cannot start line editing on this terminal; reading standard input as a script\n")
            try runStandardInput(common)
            return
        }
        var settings = ReplSettings(
            color: Terminal.colorEnabled(common.color, isTTY: true), format: common.effectiveFormat,
            quiet: common.quiet, today: Terminal.todayUTC, paging: true, environment: env)
        settings.expanded = common.expanded
        settings.wrap = common.wrap
        settings.headers = !common.noHeaders
        let repl = Repl(host: ReplHostAdapter(host), reader: reader, settings: settings)
        let status = repl.run()
        reader.close()
        if let problem = history.saveProblem { Terminal.writeErr("pmo: \(problem)\n") }
        if status != 0 { throw ExitCode(status) }
    }

    static func runStandardInput(_ common: CommonOptions) throws(ExitCode) {
        let input = Terminal.readStandardInput()
        try Host.perform(common) { host throws(HostFailure) in
            try host.run(name: "<stdin>", bytes: input)
        }
    }
}

/// The REPL's view of the host: its session, exports under the host's policy, and `.open`.
final class ReplHostAdapter: ReplHost {
    private(set) var host: Host

    init(_ host: Host) { self.host = host }

    var session: Session { host.session }

    /// `demo`, the CSV folder's name, or the workspace file's name without `.db`.
    var workspaceName: String {
        if host.source.isDemo { return "demo" }
        let last = host.source.directory.split(separator: "/").last.map(String.init) ?? host.source.directory
        return host.source.isWorkspace && last.hasSuffix(".db") && last.count > 3 ? String(last.dropLast(3)) : last
    }

    func export(_ table: ResultTable, to path: String, at span: Span) -> Bool {
        do {
            try host.export(table, to: path, at: span)
            return true
        } catch {
            if let text = error.text { Terminal.writeErr(text.hasSuffix("\n") ? text : text + "\n") }
            return false
        }
    }

    func setBaseDirectory(_ directory: String?) { host.files.baseDirectory = directory }

    /// A folder is a folder of CSV files; anything else is taken for a workspace file.
    func open(_ path: String) -> String? {
        var options = host.options
        if PortfolioSource.isDirectory(path) {
            options.data = path
            options.workspace = nil
        } else {
            options.workspace = path
            options.data = nil
        }
        do {
            host = try Host(options)
            host.session.changeSource = "prompt"
            return nil
        } catch {
            let text = error.text ?? "cannot open '\(path)'"
            return text.hasPrefix("pmo: error: ") ? String(text.dropFirst("pmo: error: ".count)) : text
        }
    }
}
