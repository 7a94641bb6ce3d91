// `pmo crontab DIR` and `pmo due DIR`: crontab lines for the scheduled scripts of a directory, and
// running those whose schedule has come due since their last recorded run.
import ArgumentParser
import Foundation
import PMOBase
import PMORender
import PMORuntime
import PMOSyntax
import PMOCron
import Workspace

// MARK: - Scripts and their schedules

// MARK: - pmo crontab

struct CrontabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crontab",
        abstract: "Print crontab lines for the scheduled scripts in DIR.",
        discussion: prose("""
        Each script declaring `schedule "CRON"` gets a line that changes into the workspace's folder
        and runs it with `pmo run --quiet` (a script with a `check` statement: `pmo check --new-only
        --quiet`), so cron mails only when there is something to act on.
        Paths are absolute. Install by adding the lines to your crontab (crontab -e), or replace it:
          pmo crontab examples/cron > pmo.cron && crontab pmo.cron
        Times are read by the cron daemon in its own time zone.
        """)
    )

    @Argument(help: ArgumentHelp("The directory of scripts.", valueName: "dir"))
    var directory: String

    @Option(name: .customLong("report-dir"), help: ArgumentHelp(
        "Scripts with a report write it here as NAME.html (else a report goes to standard output).", valueName: "dir"))
    var reportDir: String?

    /// --workspace, and --timeout (added to each line).
    @OptionGroup var common: CommonOptions

    mutating func run() throws {
        let (directory, reportDir, timeout, common) = (self.directory, self.reportDir, self.common.timeout, self.common)
        try exitOnFailure { () throws(HostFailure) in
            let workspace = RunLock.absolute(try ledgerWorkspace(common))
            let scripts = try hostCall { () throws(CronFailure) in try ScheduledScript.scan(directory: directory) }
            let text = CrontabCommand.lines(scripts, workspace: workspace, pmo: ProcessIdentity.executablePath,
                                            reportDir: reportDir, timeout: timeout, directory: RunLock.absolute(directory))
            let problems = scripts.map(\.problems).joined()
            if !problems.isEmpty { Terminal.writeErr(problems) }
            if let reportDir, !PortfolioSource.isDirectory(reportDir), scripts.contains(where: { $0.hasReport && !$0.schedules.isEmpty }) {
                Terminal.writeErr("pmo: warning: the report directory '\(reportDir)' does not exist; create it before cron runs the reports\n")
            }
            if !Terminal.writeOut(text) { throw HostFailure(.cannotWrite, "cannot write to standard output: \(Terminal.errnoText)") }
            if !problems.isEmpty { throw HostFailure(.badInput, verbatim: "pmo: some schedules are invalid; their scripts were left out") }
        }
    }

    /// A word for a POSIX shell, in single quotes when needed.
    static func shellQuoted(_ s: String) -> String {
        let plain = s.unicodeScalars.allSatisfy { u in
            u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u) || "/._-+=:,".unicodeScalars.contains(u))
        }
        if plain && !s.isEmpty { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Text for a crontab comment: on one line whatever it holds (a line break in a script's name or
    /// summary would otherwise start a live crontab line); control characters are shown as `\u{..}`.
    static func commentText(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            if u.value < 0x20 || u.value == 0x7f || u.value == 0x85 || u.value == 0x2028 || u.value == 0x2029 {
                out += "\\u{" + String(u.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// Whether a word can go into a crontab line at all (no line break or other control character:
    /// cron ends the entry at a line break whatever the quotes).
    static func fitsACrontabLine(_ s: String) -> Bool { commentText(s) == s }

    /// The crontab text: a header, then per script a comment and one line per schedule.
    static func lines(_ scripts: [ScheduledScript], workspace: String, pmo: String, reportDir: String?,
                      timeout: Double?, directory: String) -> String {
        let wsDir = workspace.lastIndex(of: "/").map { String(workspace[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        var out = "# pmo: scheduled scripts of \(commentText(directory))\n"
        out += "# workspace \(commentText(workspace)); times are in the cron daemon's time zone.\n"
        out += "# Each run is recorded in the workspace (pmo runs); cron mails only when a script has something to report.\n"
        for s in scripts {
            let about = s.summary.map { ": " + commentText($0) } ?? ""
            let name = commentText(s.name)
            if s.schedules.isEmpty {
                let why = s.problems.isEmpty ? "no schedule line" : "invalid schedule, see the error"
                out += "\n# \(name)\(about)\n#   (\(why); not scheduled)\n"
                continue
            }
            let parts = [pmo, workspace, wsDir, s.path] + s.outputArguments(reportDir: reportDir)
            if !parts.allSatisfy(fitsACrontabLine) {
                out += "\n# \(name)\(about)\n#   (a path holds a line break or a control character, which a crontab line "
                    + "cannot hold; not scheduled: rename it)\n"
                continue
            }
            out += "\n# \(name)\(about)\n"
            for schedule in s.schedules {
                var words = [pmo] + s.command + ["--workspace", workspace]
                if let timeout { words += ["--timeout", RunGuard.seconds(timeout)] }
                words += s.outputArguments(reportDir: reportDir)
                words.append(s.path)
                // In a crontab line `%` starts standard input: escape it.
                let command = "cd \(shellQuoted(wsDir)) && " + words.map(shellQuoted).joined(separator: " ")
                out += schedule.text + " " + command.replacingOccurrences(of: "%", with: "\\%") + "\n"
            }
        }
        return out
    }
}

// MARK: - pmo due

struct DueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due",
        abstract: "Run each script in DIR whose schedule has come due since its last recorded run.",
        discussion: prose("""
        Meant to run from cron every few minutes (*/5 * * * * cd DIR && pmo due scripts --quiet).
        A script is due when its schedule fired after its last run in the ledger; however many times
        it fired while the machine was off, it runs once. Schedules are read in the time zone of $TZ
        (else the system's); the scripts still evaluate at --as-of or the data's status date. Each
        script runs as `pmo run` in its own process, with its own lock and ledger row; a script that
        has never run is due at once. Exit status: 0, or the first failing script's.
        """)
    )

    @Argument(help: ArgumentHelp("The directory of scripts.", valueName: "dir"))
    var directory: String

    @Option(name: .long, help: ArgumentHelp(
        "Pretend it is this local time (2026-11-23T07:05, or ending in Z for UTC), to test schedules.", valueName: "time"))
    var now: String?

    @Option(name: .customLong("report-dir"), help: ArgumentHelp(
        "Scripts with a report write it here as NAME.html.", valueName: "dir"))
    var reportDir: String?

    @Flag(name: .customLong("dry-run"), help: "Only list what is due, and why; run nothing.")
    var dryRun = false

    /// --workspace; --as-of, --timeout and --quiet are passed to every run.
    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let n = now, ScheduleClock.parse(n, zone: FixedZone(0)) == nil {
            throw ValidationError("invalid --now '\(n)': expected a time such as 2026-11-23T07:05")
        }
    }


    mutating func run() throws {
        let cmd = self
        try exitOnFailure { () throws(HostFailure) in try cmd.perform() }
    }

    func perform() throws(HostFailure) {
        let env = Terminal.environment
        let workspace = RunLock.absolute(try ledgerWorkspace(common))
        let quiet = common.quiet
        let scripts = try hostCall { () throws(CronFailure) in try ScheduledScript.scan(directory: directory) }
        let (zone, zoneName, zoneProblem) = ScheduleClock.zone(environment: env)
        if let zoneProblem { Terminal.writeErr("pmo: warning: \(zoneProblem)\n") }
        let problems = scripts.map(\.problems).joined()
        if !problems.isEmpty { Terminal.writeErr(problems) }
        let nowInstant = now.flatMap { ScheduleClock.parse($0, zone: zone) } ?? ScheduleClock.now

        // One `pmo due` per directory and workspace at a time; a second one finds nothing to do.
        let lockPath = RunLock.file(in: RunLock.directory(workspace: workspace), scriptKey: "due " + RunLock.absolute(directory), name: "due")
        let dueLock: RunLock
        do {
            dueLock = try RunLock.acquire(path: lockPath, script: "pmo due \(directory)", wait: false,
                                          shouldStop: { false }, note: { _ in })
        } catch {
            if !quiet { Terminal.writeErr("pmo: another pmo due of \(directory) is running; nothing to do\n") }
            return
        }
        defer { dueLock.release() }

        let ws = try openLedger(workspace)
        // Runs of this host that never finished are marked killed first, so they do not block.
        let host = RunLock.hostName()
        _ = try? ws.markAbandonedRuns(host: host) { pid, tag in ProcessIdentity.isAlive(pid, tag: tag) }
        var status: Int32 = problems.isEmpty ? 0 : 65
        for s in scripts where !s.schedules.isEmpty {
            let last = try workspaceCall { () throws(WorkspaceError) in try ws.lastRun(script: s.path) }
            let decision = Due.decide(s.schedules, last: last, now: nowInstant, zone: zone) { r in
                r.host != host || ProcessIdentity.isAlive(r.pid, tag: r.processTag)
            }
            switch decision {
            case .notDue(let why):
                if dryRun { _ = Terminal.writeOut("\(s.name): not due: \(why)\n") }
            case .due(let slot, let reason):
                let when = ScheduleClock.local(slot, zone: zone) + " " + zoneName
                if dryRun {
                    _ = Terminal.writeOut("\(s.name): due for \(when): \(reason)\n")
                    continue
                }
                if reason.hasPrefix("the clock") { Terminal.writeErr("pmo: warning: \(s.name): \(reason)\n") }
                let code = runChild(s, slot: slot, label: when, workspace: workspace)
                if code != 0 && code != 75 && status == 0 { status = code }
            }
        }
        if status != 0 { throw HostFailure(ExitCode(status), verbatim: nil) }
    }

    /// Runs one script as `pmo run` in a child process, in the workspace's folder; its output is shown
    /// under a heading naming the script (only when it printed something).
    func runChild(_ s: ScheduledScript, slot: Int64, label: String, workspace: String) -> Int32 {
        let quiet = common.quiet
        var args = s.isCheck ? ["check", "--new-only"] : ["run"]
        args += ["--workspace", workspace, "--scheduled-for", CivilTime.iso(unixSeconds: slot)]
        if quiet { args.append("--quiet") }
        if let timeout = common.timeout { args += ["--timeout", RunGuard.seconds(timeout)] }
        if let asOf = common.asOf { args += ["--as-of", asOf] }
        args += s.outputArguments(reportDir: reportDir)
        args.append(s.path)
        let fm = FileManager.default
        let tmp = fm.temporaryDirectory.appendingPathComponent("pmo-due-\(getpid())-\(UUID().uuidString)")
        _ = fm.createFile(atPath: tmp.path, contents: nil)
        defer { try? fm.removeItem(at: tmp) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ProcessIdentity.executablePath)
        p.arguments = args
        let wsDir = workspace.lastIndex(of: "/").map { String(workspace[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        p.currentDirectoryURL = URL(fileURLWithPath: wsDir)
        p.standardInput = FileHandle.nullDevice
        p.standardError = FileHandle.standardError
        do {
            let out = try FileHandle(forWritingTo: tmp)
            p.standardOutput = out
            try p.run()
            p.waitUntilExit()
            try out.close()
        } catch {
            Terminal.writeErr("pmo: error: cannot run \(s.name): \(error.localizedDescription)\n")
            return 70
        }
        let printed = (try? Data(contentsOf: tmp)) ?? Data()
        let code = p.terminationReason == .exit ? p.terminationStatus : 70
        if !printed.isEmpty || (!quiet && code == 0) {
            let exit = code == 0 ? "" : ", exit \(code)"
            _ = Terminal.writeOut("== \(s.name) (scheduled \(label)\(exit)) ==\n")
            _ = Terminal.writeOut(String(decoding: printed, as: UTF8.self))
        }
        return code
    }
}
