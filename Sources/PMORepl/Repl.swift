// The interactive prompt's loop: read lines until an input is complete, check and run it in the
// session, show results and errors, and go on.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CEditShim
import Foundation
import PMOBase
import PMORender
import PMORuntime
import PMOSyntax
import Portfolio

/// What the REPL needs from the program hosting it (the `pmo` command).
public protocol ReplHost: AnyObject {
    /// The session inputs run in (a new one after `open`).
    var session: Session { get }
    /// A short name for the prompt: `demo`, or the data folder's name.
    var workspaceName: String { get }
    /// Writes an exported table under the host's rules, reporting failures itself; false on failure.
    func export(_ table: ResultTable, to path: String, at span: Span) -> Bool
    /// The folder `use` and relative paths of a script are resolved against (nil: the current folder).
    func setBaseDirectory(_ directory: String?)
    /// Replaces the portfolio with the data folder at `path` (a new session). Returns an error message on failure.
    func open(_ path: String) -> String?
}

/// How the REPL shows things.
public struct ReplSettings {
    /// Colour in results, errors and the prompt.
    public var color: Bool
    public var format: Format
    /// No banner.
    public var quiet: Bool
    /// The wall clock's date: the prompt shows the as-of date when it differs.
    public var today: Day
    /// Whether long results may go through a pager (standard output is a terminal).
    public var paging: Bool
    /// Tables as records, a field per line (`.expanded`, `\x`, `--expanded`).
    public var expanded = false
    /// Long text wraps within table cells (`.wrap on`).
    public var wrap = false
    /// The header row of tables and CSV (`.headers off` leaves it out).
    public var headers = true
    public var environment: [String: String]
    /// Where results (`out`) and messages (`err`) go: standard output and error unless a test collects them.
    public var out: (String) -> Void = Console.out
    public var err: (String) -> Void = Console.err

    public init(color: Bool, format: Format, quiet: Bool, today: Day, paging: Bool, environment: [String: String]) {
        self.color = color; self.format = format; self.quiet = quiet; self.today = today
        self.paging = paging; self.environment = environment
    }
}

/// The read-check-run-show loop. Errors never end it; `let`, `def` and `as of` persist.
public final class Repl {
    let host: ReplHost
    let reader: LineReader
    var settings: ReplSettings
    /// Lines of an input that is not complete yet.
    private(set) var pending: [String] = []
    /// The last input that was one bare pipeline: a line that begins with a stage keyword continues
    /// it (language.md "Layout"): `projects where status = red`, then `sort bac desc`.
    private(set) var lastPipeline: String?
    var timer = false
    /// `.output FILE` (once: `.once FILE`): where results go instead of the screen.
    var output: (path: String, once: Bool)?

    /// Appends text to a file (created if missing).
    static func append(_ text: String, to path: String) -> Bool {
        guard let h = FileHandle(forWritingAtPath: path) ?? (FileManager.default.createFile(atPath: path, contents: nil) ? FileHandle(forWritingAtPath: path) : nil) else { return false }
        defer { try? h.close() }
        do {
            try h.seekToEnd()
            try h.write(contentsOf: Data(text.utf8))
            return true
        } catch {
            return false
        }
    }
    let completer: Completer
    let pager: Pager

    public init(host: ReplHost, reader: LineReader, settings: ReplSettings) {
        self.host = host
        self.reader = reader
        self.settings = settings
        completer = Completer(session: { host.session })
        pager = Pager(environment: settings.environment)
        reader.completer = { [unowned self] before in
            self.completer.complete(self.pending.isEmpty ? before : (self.pending + [before]).joined(separator: "\n"))
        }
    }

    /// Runs until `.quit` or the end of input; returns the exit status (0).
    public func run() -> Int32 {
        pmo_signals_install()
        EngineOptions.isCancelled = { pmo_sigint_pending() != 0 }
        defer {
            EngineOptions.isCancelled = nil
            pmo_signals_restore()
        }
        if !settings.quiet { settings.err(banner) }
        while true {
            let input = reader.readLine(prompt: pending.isEmpty ? mainPrompt : continuationPrompt,
                                        right: pending.isEmpty ? rightPrompt : "")
            switch input {
            case .endOfInput:
                settings.out("\n")
                return 0
            case .interrupted:
                pending = []
            case .line(let text):
                if !accept(text) { return 0 }
            }
        }
    }

    var banner: String {
        let asOf = host.session.asOf
        let when = asOf == settings.today ? "today (\(asOf))" : "\(asOf) (today is \(settings.today))"
        return "Querying \(host.workspaceName) as of \(when).\n"
            + "Type a query, .help for help, Tab to complete; Ctrl-D leaves.\n"
    }

    // MARK: - Prompts

    var mainPrompt: String { Prompt.styled("pmo>", "1;36", color: settings.color) + " " }
    var continuationPrompt: String { Prompt.styled("...>", "36", color: settings.color) + " " }

    /// The workspace, and the as-of date when it is not today's. (libedit drops an invisible
    /// sequence at the very end of a prompt, so a space follows the colour reset.)
    var rightPrompt: String {
        var text = host.workspaceName
        let asOf = host.session.asOf
        if asOf != settings.today { text += " · as of \(asOf)" }
        return settings.color ? Prompt.styled(text, "2", color: true) + " " : text
    }

    // MARK: - Inputs

    /// Takes one line: a meta command, part of an input, or the line that completes one.
    /// Returns false when the session should end.
    func accept(_ text: String) -> Bool {
        // A line beyond the script limits (a file pasted whole, a runaway generator) is refused at
        // once, quoting a short prefix, as `pmo run` refuses such a script; what was pending goes too.
        if let problem = ScriptLimits.inputProblem(text, pendingBytes: pending.reduce(0) { $0 + $1.utf8.count + 1 }, name: "<input>") {
            pending = []
            fail(problem)
            return true
        }
        if pending.isEmpty {
            let trimmed = text.trimmingSpaces
            if trimmed.isEmpty { return true }
            if MetaCommand.looksLikeCommand(text) {
                reader.remember(String(trimmed))
                return perform(text)
            }
            if let word = Repl.habitWords[String(trimmed)], !host.session.userNames.contains(String(trimmed)) {
                reader.remember(String(trimmed))
                return perform(word)
            }
        } else if text.trimmingSpaces.isEmpty {
            // An empty line at the continuation prompt runs what there is (its error shows what is missing).
            let source = pending.joined(separator: "\n")
            pending = []
            reader.remember(source)
            execute(source)
            return true
        }
        if pending.isEmpty, let last = lastPipeline, Parser.beginsWithStage(text) { pending = [last] }
        pending.append(text)
        let source = pending.joined(separator: "\n")
        if Parser.isIncomplete(SourceFile(id: 0, name: "<input>", bytes: Array(source.utf8))) { return true }
        pending = []
        reader.remember(source)
        execute(source)
        let (script, errors) = Parser.parse(SourceFile(id: 0, name: "<input>", bytes: Array(source.utf8)))
        if errors.isEmpty, script.statements.count == 1, case .expr = script.statements[0].kind { lastPipeline = source }
        return true
    }

    /// Words a newcomer types without the dot.
    static let habitWords = ["help": ".help", "quit": ".quit", "exit": ".quit", "\\q": ".quit", "?": ".help"]

    /// Checks and runs one complete input; shows its results, or its errors with a caret.
    func execute(_ source: String, name: String = "<input>", baseDirectory: String? = nil) {
        let session = host.session
        let file = session.sources.add(name: name, bytes: Array(source.utf8))
        let diagnostics = DiagnosticRenderer(sources: session.sources, color: settings.color)
        let (compiled, found) = session.compile(file)
        if !found.isEmpty { settings.err(diagnostics.render(found)) }
        guard let compiled, !found.contains(where: { $0.severity == .error }) else { return }
        host.setBaseDirectory(baseDirectory)
        pmo_sigint_clear()
        let started = Repl.now()
        var outputs: [Output] = []
        var failure: RuntimeError?
        var exported: [String] = []
        do {
            try session.run(compiled) { [host] o in
                if case .export(let table, let path, let span) = o {
                    if host.export(table, to: path, at: span) {
                        exported.append("wrote \(path) (\(table.rows.count) \(table.rows.count == 1 ? "row" : "rows"))")
                    }
                } else {
                    outputs.append(o)
                }
            }
        } catch {
            failure = error
        }
        let elapsed = Repl.now() - started
        show(outputs)
        for line in exported { note(line) }
        if let failure {
            if failure.message == "interrupted" {
                settings.err(settings.color ? "\n\u{1B}[33minterrupted\u{1B}[0m\n" : "\ninterrupted\n")
            } else {
                settings.err(diagnostics.render(failure.diagnostic))
            }
        }
        pmo_sigint_clear()
        if timer { settings.out(Repl.timeText(elapsed)) }
    }

    /// Renders outputs in the current format, fitted to the terminal, through the pager when taller than it.
    func show(_ outputs: [Output]) {
        guard !outputs.isEmpty else { return }
        let size = TerminalSize.current
        let toFile = output != nil
        var renderer = Renderer(format: settings.format, color: settings.color && !toFile, width: toFile ? nil : size.columns)
        renderer.expanded = settings.expanded
        renderer.wrap = settings.wrap
        renderer.headers = settings.headers
        let text = renderer.document(outputs)
        if let (path, once) = output {
            if once { output = nil }
            if !Repl.append(text, to: path) { fail("cannot write '\(path)'") }
            return
        }
        if settings.paging && pager.wants(text, rows: size.rows) && pager.show(text) { return }
        settings.out(text)
    }

    // MARK: - Time

    /// Monotonic seconds.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// `time: 12.3 ms` (or seconds above one second).
    static func timeText(_ seconds: Double) -> String {
        if seconds >= 1 {
            let centis = Int((seconds * 100).rounded())
            return "time: \(centis / 100).\(String(format2: centis % 100)) s\n"
        }
        let tenths = Int((seconds * 10_000).rounded())
        return "time: \(tenths / 10).\(tenths % 10) ms\n"
    }
}

extension String {
    /// Two digits with a leading zero.
    init(format2 n: Int) { self = n < 10 ? "0\(n)" : "\(n)" }
}
