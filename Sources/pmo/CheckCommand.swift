// `pmo check RULES...`: evaluate rule files against the portfolio and report findings, with an exit
// status for CI and cron (1 when a finding reaches --fail-on), JUnit and SARIF for CI systems, and the
// findings history of a workspace (new, persisting, resolved; --new-only).
import ArgumentParser
import Foundation
import PMOBase
import PMORender
import PMORuntime
import PMOSyntax
import Portfolio
import Workspace

/// The report formats for CI systems, which `check` and `test` write (`--format junit|sarif`).
enum CIFormat: String, CaseIterable, ExpressibleByArgument {
    case junit, sarif
}

/// `--fail-on` values: a severity, or `never`.
enum FailOn: String, CaseIterable, ExpressibleByArgument {
    case info, low, medium, high, critical, never

    var severity: RuleSeverity? { RuleSeverity(rawValue: rawValue) }
}

/// When findings make `check` and `run` exit 1: one to act on at or above a severity, a violation
/// (or, counting unknowns, an unknown outcome).
struct FindingThreshold {
    var failOn: FailOn
    var unknown: Bool

    init(_ failOn: FailOn, unknown: Bool) { self.failOn = failOn; self.unknown = unknown }

    func isReached(by findings: [Finding]) -> Bool {
        guard let threshold = failOn.severity else { return false }
        return findings.contains { f in
            f.needsAction && f.severity >= threshold && (f.outcome == .violation || (unknown && f.outcome == .unknown))
        }
    }
}

/// Reading rule files: a directory stands for its `.pmo` files in name order; `-` is standard input.
enum RuleFiles {
    static func load(_ paths: [String]) throws(ExitCode) -> [LoadedScript] {
        var out: [LoadedScript] = []
        for path in paths {
            if path == "-" {
                out.append(LoadedScript(name: "<stdin>", bytes: Terminal.readStandardInput(), base: nil))
                continue
            }
            if PortfolioSource.isDirectory(path) {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                let files = names.filter { $0.hasSuffix(".pmo") }.sorted()
                if files.isEmpty {
                    Terminal.writeErr("pmo: error: no .pmo files in '\(path)'\n")
                    throw ExitCode.missingInput
                }
                let dir = path.hasSuffix("/") ? String(path.dropLast()) : path
                for name in files { out.append(try read(dir + "/" + name)) }
                continue
            }
            out.append(try read(path))
        }
        return out
    }

    static func read(_ path: String) throws(ExitCode) -> LoadedScript {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file"
            Terminal.writeErr("pmo: error: cannot read '\(path)': \(reason)\n")
            throw ExitCode.missingInput
        }
        let base = path.lastIndex(of: "/").map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 }
        return LoadedScript(name: path, bytes: Array(data), base: base)
    }

    /// Checks and runs one file in the host's session for its declarations: what it shows is not
    /// printed (exports are still written). Check errors are exit 65, runtime errors 70.
    static func run(_ script: LoadedScript, in host: Host) throws(HostFailure) {
        host.files.baseDirectory = script.base
        let file = host.sources.add(name: script.name, bytes: script.bytes)
        let (compiled, found) = host.session.compile(file)
        if !found.isEmpty { Terminal.writeErr(host.diagnostics.render(found)) }
        let errors = found.filter { $0.severity == .error }.count
        guard errors == 0, let compiled else {
            if errors == 0 { throw HostFailure(.badInput, "\(file.name) could not be compiled") }
            throw HostFailure(.badInput, verbatim: "pmo: \(errors == 1 ? "1 error" : "\(errors) errors") in \(file.name); nothing was run")
        }
        var exportFailure: HostFailure?
        do throws(RuntimeError) {
            try host.session.run(compiled) { o in
                guard exportFailure == nil, case .export(let table, let path, let span) = o else { return }
                do throws(HostFailure) { try host.export(table, to: path, at: span) } catch { exportFailure = error }
            }
        } catch {
            Terminal.writeErr(host.diagnostics.render(error.diagnostic))
            throw HostFailure(.runtimeFailure, verbatim: nil)
        }
        if let exportFailure { throw exportFailure }
    }

    /// The options for the host: `check` and `test` write their reports themselves, so the host's own
    /// output (a streaming table to standard output, of which nothing is added) stays empty.
    static func hostOptions(_ common: CommonOptions) -> CommonOptions {
        var o = common
        o.output = nil
        o.format = .table
        return o
    }

    /// Writes a report to `--output` (atomically) or standard output.
    static func write(_ text: String, _ options: CommonOptions) throws(HostFailure) {
        if let path = options.output {
            try AtomicFile.write(Array(text.utf8), to: path)
        } else if !text.isEmpty && !Terminal.writeOut(text) {
            throw HostFailure(.cannotWrite, "cannot write to standard output")
        }
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Evaluate rule files and report findings.",
        discussion: prose("""
        The files (a directory stands for its .pmo files, in name order) run in one session for their \
        declarations: rules, waivers, definitions; what they would show is not printed, and their test \
        blocks do not run (see pmo test). Then every rule they declared is evaluated for every entity it \
        covers: pass, violation, unknown (a value it needs is none) or error.

        The report lists the findings to act on by severity, rule and entity (rule id, severity, entity \
        id and name, status, message, owner), then a summary line. Waived findings are listed as waived \
        and counted apart. --format junit gives JUnit XML (a test case per rule and entity) and \
        --format sarif gives SARIF 2.1.0, for CI systems; so does an --output file ending in .xml or .sarif.

        With a workspace, each check is remembered per set of files: the report says what is new, \
        persisting and resolved since the last check, and --new-only reports only the new findings. \
        Waivers stored in the workspace (pmo waive) apply too.

        Exit status: 0 when no finding to act on reaches --fail-on (default high); 1 when one does (a \
        violation, or with --fail-on-unknown an unknown too); 65 for errors in the files; 70 when a rule \
        could not be evaluated for some entity (the report still lists everything).
        """)
    )

    @Argument(help: ArgumentHelp("Rule files or directories of them (`-` for standard input).", valueName: "rules"))
    var files: [String] = []

    @Option(name: .customLong("fail-on"), help: ArgumentHelp(
        "Exit 1 when a violation of this severity or higher is found: info, low, medium, high, critical or never.",
        valueName: "severity"))
    var failOn: FailOn = .high

    @Flag(name: .customLong("fail-on-unknown"), help: "Count unknown outcomes (missing data) toward --fail-on too.")
    var failOnUnknown = false

    @Flag(name: .customLong("new-only"), help: "Report only findings that are new since the last check of the same files (needs a workspace).")
    var newOnly = false

    /// `--format junit` or `--format sarif`.
    var ciFormat: CIFormat? { common.format?.ci }

    @OptionGroup var common: CommonOptions

    @OptionGroup var cron: CronOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("missing the rule files to check, as in: pmo check rules/") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input ('-') can be read only once") }
    }

    /// JUnit or SARIF when asked for (or when --output ends in .xml or .sarif), else nil.
    var ciReport: CIFormat? {
        if let ciFormat { return ciFormat }
        if common.format == nil, let o = common.output?.lowercased() {
            if o.hasSuffix(".sarif") || o.hasSuffix(".sarif.json") { return .sarif }
            if o.hasSuffix(".xml") { return .junit }
        }
        return nil
    }

    mutating func run() throws {
        let scripts = try RuleFiles.load(files)
        let check = self
        try CronRun.perform(scripts, RuleFiles.hostOptions(common), cron) { host throws(HostFailure) in
            host.session.runsTests = false
            for script in scripts { try RuleFiles.run(script, in: host) }
            let findings: [Finding]
            do throws(RuntimeError) {
                findings = try host.session.check()
            } catch {
                Terminal.writeErr(host.diagnostics.render(error.diagnostic))
                throw HostFailure(.runtimeFailure, verbatim: nil)
            }
            let history = try check.recordHistory(findings, host: host, key: CronRun.scriptKey(scripts))
            try check.report(findings, history: history, host: host)
        }
    }

    /// Records the findings in the workspace's history (when the portfolio is a workspace).
    func recordHistory(_ findings: [Finding], host: Host, key: String) throws(HostFailure) -> FindingsDelta? {
        guard host.source.isWorkspace else {
            if newOnly {
                throw HostFailure(.badCommandLine, "--new-only needs a workspace, which remembers earlier checks (give --workspace FILE)")
            }
            return nil
        }
        let records = findings.filter(\.needsAction).map { f in
            FindingRecord(key: f.key, rule: f.rule, entitySet: f.kind.setName, entity: f.entityID,
                          severity: f.severity.rawValue, status: f.status, message: f.detail)
        }
        do {
            let ws = try Workspace.open(path: host.source.directory, readOnly: false)
            let delta = try ws.recordFindings(script: key, date: host.session.asOf.description, findings: records)
            CronRun.findingCounts = delta.counts
            return delta
        } catch {
            // Without --new-only the report does not need the history: a history that cannot be
            // written (a read-only workspace) is a warning.
            let message = "cannot record the findings in '\(host.source.directory)': \(error.message)"
            if newOnly { throw HostFailure(.cannotWrite, message) }
            Terminal.writeErr("pmo: warning: \(message)\n")
            return nil
        }
    }

    /// Writes the report and decides the exit status.
    func report(_ all: [Finding], history: FindingsDelta?, host: Host) throws(HostFailure) {
        var findings = all
        if newOnly, let h = history {
            let fresh = Set(h.new)
            findings = all.filter { $0.outcome == .pass || fresh.contains($0.key) }
        }
        let actOn = findings.contains(where: \.needsAction) || (!newOnly && !(history?.resolved.isEmpty ?? true))
        var text = ""
        if actOn || !common.quiet || common.output != nil {
            text = render(findings, history: history, host: host)
        }
        try RuleFiles.write(text, common)
        let errors = findings.filter { $0.outcome == .error }.count
        if errors > 0 {
            throw HostFailure(.runtimeFailure,
                              verbatim: "pmo: \(errors == 1 ? "1 rule evaluation" : "\(errors) rule evaluations") failed (see the error findings)")
        }
        if FindingThreshold(failOn, unknown: failOnUnknown).isReached(by: findings) {
            throw HostFailure(ExitCode(1), verbatim: nil)
        }
    }

    /// The report in the chosen format.
    func render(_ findings: [Finding], history: FindingsDelta?, host: Host) -> String {
        switch ciReport {
        case .junit?:
            return FindingsCI.junit(findings, rules: host.session.rules, sources: host.sources, failOnUnknown: failOnUnknown)
        case .sarif?:
            return FindingsCI.sarif(findings, rules: host.session.rules, sources: host.sources, version: PMOCommand.configuration.version)
        case nil:
            let format = common.effectiveFormat
            if format == .json {
                let extra = history.map { [("history", FindingsFormats.historyJSON($0))] } ?? []
                return Renderer.findingsJSON(findings, indent: "", extra: extra) + "\n"
            }
            let toFile = common.output != nil
            var renderer = Renderer(format: format, color: !toFile && Terminal.colorEnabled(common.color, isTTY: Terminal.stdoutIsTTY),
                                    width: toFile ? nil : Terminal.outputWidth)
            renderer.entityLabel = Host.entityLabel(host.store)
            var text = renderer.render(findings: findings)
            if let h = history, format == .table || format == .md {
                text += FindingsFormats.historyText(h, newOnly: newOnly, markdown: format == .md)
            }
            return text
        }
    }
}
