// One run of the command: the portfolio, the session, where output goes; compiles and runs sources.
#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import PMOBase
import PMOCron
import PMORender
import PMORepl
import PMORuntime
import PMOSyntax
import Portfolio
import Workspace

/// Everything one invocation needs. Scripts run in order in one session, so definitions carry over.
final class Host {
    let options: CommonOptions
    let source: PortfolioSource
    let store: PortfolioStore
    let sources = SourceMap()
    let session: Session
    let sink: OutputSink
    let diagnostics: DiagnosticRenderer
    let exports: ExportPolicy
    let files: UseResolver
    /// The first export that could not be written: the run stops producing output after it.
    private var exportFailure: HostFailure?
    /// Every finding of the `check` statements run so far (for `pmo run --fail-on`).
    private(set) var findings: [Finding] = []
    /// The first line of what ended the last failed run (for the run ledger).
    nonisolated(unsafe) static var failureSummary: String?

    init(_ options: CommonOptions) throws(HostFailure) {
        self.options = options
        let env = Terminal.environment
        var located = try PortfolioSource.locate(data: options.data, workspace: options.workspace, environment: env)
        located.encoding = options.inputEncoding
        source = located
        exports = try ExportPolicy(allowWrite: options.allowWrite)
        store = try source.load()
        // A signal or --timeout that came while the portfolio loaded ends the run now, before any output.
        if let stopped = RunGuard.active?.failure { throw HostFailure(stopped) }
        if source.isDemo && !options.quiet && Terminal.stderrIsTTY {
            Terminal.writeErr("pmo: using the bundled demo portfolio (read-only)\n")
        }
        let asOf = options.asOfDay ?? store.statusDate ?? Terminal.todayUTC
        files = UseResolver(allowRead: options.allowRead)
        let resolver = files
        session = Session(store: store, sources: sources, options: EngineOptions(asOf: asOf, maxSteps: options.maxSteps,
                                                                                maxRows: options.maxRows, maxDepth: options.maxDepth),
                          readFile: { resolver.read($0) })
        session.useAccess = { resolver.access($0) }
        // Waivers stored with `pmo waive` apply wherever rules are checked: `pmo check`, `check` in
        // scripts and at the prompt. A script's own waiver for the same rule and entity, added later, wins.
        if source.isWorkspace { session.addWaivers(Host.storedWaivers(source.directory)) }
        // Changes (update, insert, delete, undo) go to a workspace; a folder of CSV files or the demo is read-only.
        if source.isWorkspace {
            session.history = WorkspaceHistory(path: source.directory)
            session.changeHost = WorkspaceChanges(path: source.directory, by: WorkspaceChanges.user(options.user, env),
                                                  policy: (try? PortfolioSource.cachePolicy(env)) ?? .auto,
                                                  asks: Terminal.stdinIsTTY && Terminal.stderrIsTTY)
        } else {
            session.readOnlyReason = source.isDemo
                ? "it is the bundled demo portfolio, which is read-only"
                : "it is read from the CSV files of '\(source.directory)' (--data), which pmo never writes"
        }
        // --as-of shows every set as it stood at the end of that day (the journal's effective dates).
        if let day = options.asOfDay {
            do { try session.travel(to: day) } catch {
                throw HostFailure(.runtimeFailure, error.message)
            }
        }
        let toFile = options.output != nil
        var renderer = Renderer(format: try options.documentFormat(),
                                color: !toFile && Terminal.colorEnabled(options.color, isTTY: Terminal.stdoutIsTTY),
                                width: toFile ? nil : Terminal.outputWidth)
        renderer.entityLabel = Host.entityLabel(store)
        renderer.expanded = options.expanded
        renderer.wrap = options.wrap
        renderer.headers = !options.noHeaders
        // Under a report's title: the date it is as of, and the portfolio.
        let portfolio = source.isDemo ? "the demo portfolio" : (source.directory.split(separator: "/").last.map(String.init) ?? source.directory)
        renderer.subtitle = "As of \(asOf) · \(portfolio)"
        if let assets = options.assets {
            renderer.assetsLink = ChartAssets.link(assets: assets, output: options.output)
        }
        sink = OutputSink(renderer: renderer, path: options.output, quiet: options.quiet)
        sink.assetsFolder = options.assets
        diagnostics = DiagnosticRenderer(sources: sources,
                                         color: Terminal.colorEnabled(options.color, isTTY: Terminal.stderrIsTTY))
    }

    /// Opens the portfolio, runs `body`, writes the results; any failure becomes its exit status
    /// after its message has gone to standard error.
    /// `--timeout` and termination signals stop the run through `RunGuard` (exit 70 or 130).
    /// The watchdog of `--timeout` and termination signals; its hard stop (the engine did not stop in
    /// time) reports the failure and ends the process with its exit status.
    /// The loaders poll the same flag (`LoadCancellation`), so a signal that comes while a large
    /// portfolio loads ends the run at once.
    static func watchdog(timeout: Double?) -> RunGuard {
        LoadCancellation.isCancelled = { RunGuard.active?.isStopping ?? false }
        return RunGuard.start(timeout: timeout) { failure in
            let f = HostFailure(failure)
            if let text = f.text { Terminal.writeErr(text + "\n") }
            _exit(f.code.rawValue)
        }
    }

    /// A caller that started the watchdog earlier (to time the wait for a lock too) passes it in.
    static func perform(_ options: CommonOptions, watchdog running: RunGuard? = nil,
                        _ body: (Host) throws(HostFailure) -> Void) throws(ExitCode) {
        let watchdog = running ?? Host.watchdog(timeout: options.timeout)
        defer { if running == nil { watchdog.finish() } }
        do throws(HostFailure) {
            let host = try Host(options)
            do throws(HostFailure) {
                try body(host)
            } catch {
                try? host.sink.finish(succeeded: false)
                throw error
            }
            try host.sink.finish(succeeded: true)
        } catch {
            if let text = error.text {
                Terminal.writeErr(text.hasSuffix("\n") ? text : text + "\n")
                if failureSummary == nil { failureSummary = Host.summary(text) }
            }
            throw error.code
        }
    }

    /// The first line of an error text without the `pmo: error: ` prefix.
    static func summary(_ text: String) -> String {
        let line = text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? text
        return line.hasPrefix("pmo: error: ") ? String(line.dropFirst("pmo: error: ".count)) : line
    }

    /// Compiles one source and, when it has no errors, runs it. Check errors are exit 65 (nothing
    /// ran), runtime errors 70; diagnostics go to standard error.
    func run(_ file: SourceFile, baseDirectory: String?) throws(HostFailure) {
        files.baseDirectory = baseDirectory
        if let stopped = RunGuard.active?.failure { throw HostFailure(stopped) }
        if let problem = ScriptLimits.problem(file.bytes, name: file.name) {
            Host.failureSummary = problem
            throw HostFailure(.badInput, problem)
        }
        let (compiled, found) = session.compile(file)
        if !found.isEmpty { Terminal.writeErr(diagnostics.render(found)) }
        let errorCount = found.filter { $0.severity == .error }.count
        guard errorCount == 0, let compiled else {
            Host.failureSummary = found.first { $0.severity == .error }.map { "\(file.name): \($0.message)" }
            if errorCount == 0 { throw HostFailure(.badInput, "\(file.name) could not be compiled") }
            if options.quiet { throw HostFailure(.badInput, verbatim: nil) }
            let summary = errorCount == 1 ? "1 error" : "\(errorCount) errors"
            throw HostFailure(.badInput, verbatim: "pmo: \(summary) in \(file.name); nothing was run")
        }
        exportFailure = nil
        do {
            try session.run(compiled) { [self] o in self.handle(o) }
        } catch {
            // A run stopped by --timeout or a signal says so instead of showing where it stopped.
            if let stopped = RunGuard.active?.failure { throw HostFailure(stopped) }
            Host.failureSummary = "\(file.name): \(error.message)"
            Terminal.writeErr(diagnostics.render(error.diagnostic))
            throw HostFailure(.runtimeFailure, verbatim: nil)
        }
        if let failure = exportFailure { throw failure }
    }

    /// The waivers stored in the workspace (`pmo waive`); a workspace whose
    /// waivers cannot be read is a warning, not a failure.
    static func storedWaivers(_ path: String) -> [Waiver] {
        do {
            // The portfolio was read from it read-only, so its migrations (the waivers table) are done.
            let ws = try Workspace.open(path: path, readOnly: true)
            return try ws.storedWaivers().compactMap { w in
                guard let kind = EntityKind(setName: w.entitySet), let until = Day(iso: Substring(w.until)) else { return nil }
                return Waiver(rule: w.rule, kind: kind, entityID: w.entity, until: until, approver: w.approver, reason: w.reason)
            }
        } catch {
            Terminal.writeErr("pmo: warning: cannot read the waivers of '\(path)': \(error.message)\n")
            return []
        }
    }

    /// Registers and runs a text (a `-c` statement, standard input, one typed line).
    func run(name: String, bytes: [UInt8], baseDirectory: String? = nil) throws(HostFailure) {
        try run(sources.add(name: name, bytes: bytes), baseDirectory: baseDirectory)
    }

    /// Runs the text of `pmo -c` or `pmo query`. With one statement, `--format json` prints that
    /// statement's result itself (rows as an array of objects); with several, the array of results.
    func runCommandText(_ text: String) throws(HostFailure) {
        let file = sources.add(name: "<command line>", bytes: Array(text.utf8))
        let (script, _) = Parser.parse(file, maxDepth: options.maxDepth)
        if script.statements.count == 1 { sink.renderer.jsonShape = .result }
        // On a terminal, results taller than the screen go through the pager, as at the prompt.
        if sink.path == nil, sink.renderer.format == .table, Terminal.stdoutIsTTY {
            let pager = Pager(environment: Terminal.environment)
            if pager.command != nil { sink.pager = pager }
        }
        try run(file, baseDirectory: nil)
    }

    /// One output from the session: exports are written here, everything else goes to the sink.
    func handle(_ o: Output) {
        if exportFailure != nil { return }
        if case .export(let table, let path, let span) = o {
            do {
                try export(table, to: path, at: span)
            } catch {
                exportFailure = error
            }
            return
        }
        if case .findings(let found) = o { findings += found }
        sink.add(o)
    }

    /// Writes an exported table in the format of the path's extension, under an allowed directory.
    func export(_ table: ResultTable, to path: String, at span: Span) throws(HostFailure) {
        func fail(_ code: ExitCode, _ message: String, _ help: String? = nil) -> HostFailure {
            Terminal.writeErr(diagnostics.render(Diagnostic.error(message, at: span, help: help)))
            return HostFailure(code, verbatim: nil)
        }
        let target: String
        switch exports.check(path) {
        case .success(let t): target = t
        case .failure(let refusal):
            throw fail(refusal.cannotWrite ? .cannotWrite : .runtimeFailure, refusal.message, refusal.help)
        }
        guard let format = Format(fileExtensionOf: path) else {
            let ext = path.split(separator: "/").last.flatMap { name in
                name.contains(".") ? name.split(separator: ".").last.map(String.init) : nil
            }
            let what = ext.map { "unknown export format '.\($0)'" } ?? "export path '\(path)' has no extension"
            throw fail(.runtimeFailure, what, "name the file with .csv, .json, .md or .html")
        }
        var renderer = Renderer(format: format, color: false, width: nil)
        renderer.entityLabel = sink.renderer.entityLabel
        do {
            try AtomicFile.write(Array(renderer.document([.table(table)]).utf8), to: target)
        } catch {
            throw fail(.cannotWrite, (error.text ?? "cannot write '\(path)'").replacingOccurrences(of: "pmo: error: ", with: ""))
        }
    }

    /// Entities that reach the renderer show their id (else their name).
    static func entityLabel(_ store: PortfolioStore) -> (EntityKind, Int32) -> String {
        { kind, row in
            let t = store.table(kind)
            guard row >= 0, Int(row) < t.count,
                  let text = t.column("id")?.string(Int(row)) ?? t.column("name")?.string(Int(row)) else {
                return "\(kind.singular) #\(row)"
            }
            return text
        }
    }
}

/// Serves `use "path"`: relative paths are looked up beside the script being run, then in the
/// current directory. Only pmo scripts (files ending in `.pmo`, after symbolic links) under the
/// script's directory, the current directory or a `--allow-read DIR` are read: a script cannot
/// read `/proc/self/environ` or `~/.ssh/id_rsa` through `use` and have a diagnostic quote it.
final class UseResolver: @unchecked Sendable {
    var baseDirectory: String?
    /// `--allow-read` directories, as real paths.
    let allowRead: [String]
    /// The largest script `use` reads.
    static let maxBytes = ScriptLimits.maxBytes

    init(allowRead: [String] = []) {
        self.allowRead = allowRead.compactMap(UseResolver.realPath)
    }

    static func realPath(_ path: String) -> String? {
        guard let r = realpath(path, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }

    func candidates(_ path: String) -> [String] {
        if path.hasPrefix("/") { return [path] }
        var out: [String] = []
        if let base = baseDirectory { out.append(base + "/" + path) }
        out.append(path)
        return out
    }

    /// The real path of the file `use` names, or why it may not be read.
    func access(_ path: String) -> Result<String, UseRefusal> {
        guard path.hasSuffix(".pmo") else {
            return .failure(UseRefusal("'use' reads pmo scripts only (files ending in .pmo), and '\(path)' is not one",
                                       help: "put the definitions in a .pmo file"))
        }
        guard let found = candidates(path).lazy.compactMap(UseResolver.realPath).first else {
            return .failure(UseRefusal("cannot read '\(path)'", help: "paths are relative to the file that uses them"))
        }
        guard found.hasSuffix(".pmo") else {
            return .failure(UseRefusal("'\(path)' leads to '\(found)', which is not a pmo script (.pmo)"))
        }
        guard SafeFiles.oddity(found) == nil else {
            return .failure(UseRefusal("'\(path)' is not a regular file"))
        }
        var roots = allowRead
        if let cwd = UseResolver.realPath(".") { roots.append(cwd) }
        if let base = baseDirectory, let real = UseResolver.realPath(base) { roots.append(real) }
        guard roots.contains(where: { $0 == "/" || found.hasPrefix($0 + "/") }) else {
            return .failure(UseRefusal("'\(path)' is outside the script's directory and the current directory",
                                       help: "allow its directory with --allow-read DIR"))
        }
        return .success(found)
    }

    func read(_ path: String) -> [UInt8]? {
        for c in candidates(path) where !PortfolioSource.isDirectory(c) {
            let fd = SafeFiles.openRegular(c, O_RDONLY)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var out: [UInt8] = []
            var buf = [UInt8](repeating: 0, count: 1 << 16)
            while out.count <= UseResolver.maxBytes {
                let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                out += buf[0..<n]
            }
            return out.count <= UseResolver.maxBytes && ScriptLimits.problem(out, name: c) == nil ? out : nil
        }
        return nil
    }
}
