// One run of the command: the portfolio, the session, where output goes; compiles and runs sources.
import ArgumentParser
import Foundation
import PMOBase
import PMORender
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
        source = try PortfolioSource.locate(data: options.data, workspace: options.workspace, environment: env)
        exports = try ExportPolicy(allowWrite: options.allowWrite)
        store = try source.load()
        if source.isDemo && !options.quiet && Terminal.stderrIsTTY {
            Terminal.writeErr("pmo: using the bundled demo portfolio (read-only)\n")
        }
        let asOf = options.asOfDay ?? store.statusDate ?? Terminal.todayUTC
        files = UseResolver()
        let resolver = files
        session = Session(store: store, sources: sources, options: EngineOptions(asOf: asOf, maxSteps: options.maxSteps,
                                                                                maxRows: options.maxRows, maxDepth: options.maxDepth),
                          readFile: { resolver.read($0) })
        // Waivers stored with `pmo waive` apply wherever rules are checked: `pmo check`, `check` in
        // scripts and at the prompt. A script's own waiver for the same rule and entity, added later, wins.
        if source.isWorkspace { session.addWaivers(Host.storedWaivers(source.directory)) }
        let toFile = options.output != nil
        var renderer = Renderer(format: options.effectiveFormat,
                                color: !toFile && Terminal.colorEnabled(options.color, isTTY: Terminal.stdoutIsTTY),
                                width: toFile ? nil : Terminal.outputWidth)
        renderer.entityLabel = Host.entityLabel(store)
        // Under a report's title: the date it is as of, and the portfolio.
        let portfolio = source.isDemo ? "the demo portfolio" : (source.directory.split(separator: "/").last.map(String.init) ?? source.directory)
        renderer.subtitle = "As of \(asOf) · \(portfolio)"
        sink = OutputSink(renderer: renderer, path: options.output, quiet: options.quiet)
        diagnostics = DiagnosticRenderer(sources: sources,
                                         color: Terminal.colorEnabled(options.color, isTTY: Terminal.stderrIsTTY))
    }

    /// Opens the portfolio, runs `body`, writes the results; any failure becomes its exit status
    /// after its message has gone to standard error.
    /// `--timeout` and termination signals stop the run through `RunGuard` (exit 70 or 130).
    /// A caller that started the watchdog earlier (to time the wait for a lock too) passes it in.
    static func perform(_ options: CommonOptions, watchdog running: RunGuard? = nil,
                        _ body: (Host) throws(HostFailure) -> Void) throws(ExitCode) {
        let watchdog = running ?? RunGuard.start(timeout: options.timeout)
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
            if let stopped = RunGuard.active?.failure { throw stopped }
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
/// current directory.
final class UseResolver: @unchecked Sendable {
    var baseDirectory: String?

    func read(_ path: String) -> [UInt8]? {
        var candidates: [String] = []
        if path.hasPrefix("/") {
            candidates.append(path)
        } else {
            if let base = baseDirectory { candidates.append(base + "/" + path) }
            candidates.append(path)
        }
        for c in candidates where !PortfolioSource.isDirectory(c) {
            if let data = FileManager.default.contents(atPath: c) { return Array(data) }
        }
        return nil
    }
}
